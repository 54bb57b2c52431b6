"""pytest plugin: drive Lua from pytest, collect Lua tests, compare scripts with golden transcripts.

Registered through the ``pytest11`` entry point, so installing luatorch is enough:

* the ``lua`` fixture: a fresh :class:`~luatorch.runtime.Runtime` per test with helpers
  (``lua.run``, ``lua.eval``, ``lua.output``, ``lua.raises``);
* ``test_*.lua`` files (ini ``lua_files``): every global ``test_*`` function, every test of a
  returned ``torch.TestSuite`` (or plain table of functions, or ``torch.Tester``), and every test
  that a ``torch.Tester`` would ``run()`` is one item; ``torch.Tester`` assertion failures fail the
  item with their message; reports show the Lua message, the source around the failing line and
  the Lua stack;
* golden transcripts (ini ``lua_golden_dirs``): in those folders a ``NAME.lua`` next to
  ``NAME.out`` is one item that passes when the script prints exactly the bytes of ``NAME.out``.

The plugin is split by concern: ``collection`` (Lua test files), ``item`` (one Lua test),
``glue`` (the Lua half and loading a file), ``fixture`` (the ``lua`` fixture's object),
``golden`` (transcripts) and ``reporting`` (failure reports); this module holds what pytest
loads (options, the collection hook, the fixture) and the public names. It imports the
runtime and ``tensor``; nothing in the library imports it.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from pathlib import Path

import pytest

from .collection import LuaFile
from .fixture import LuaFixture, LuaRunError
from .golden import (
    GoldenMismatch,
    GoldenResult,
    LuaGoldenFile,
    LuaGoldenItem,
    check_golden,
    run_golden,
    run_script,
)
from .item import LuaItem
from .reporting import LuaFailureRepr, LuaTestFailure

__all__ = [
    "GoldenMismatch",
    "GoldenResult",
    "LuaFailureRepr",
    "LuaFile",
    "LuaFixture",
    "LuaGoldenFile",
    "LuaGoldenItem",
    "LuaItem",
    "LuaRunError",
    "LuaTestFailure",
    "check_golden",
    "lua",
    "run_golden",
    "run_script",
]


# ------------------------------------------------------------------------------------ options
def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("luatorch", "Lua tests (luatorch)")
    group.addoption(
        "--lua-runtime-per-module",
        action="store_true",
        default=False,
        help="share one Lua runtime among the tests of a .lua file (faster, less isolated)",
    )
    parser.addini(
        "lua_files",
        type="args",
        default=["test_*.lua"],
        help="glob patterns of Lua test files (default: test_*.lua)",
    )
    parser.addini(
        "lua_golden_dirs",
        type="paths",
        default=[],
        help="folders where NAME.lua next to NAME.out is a golden-transcript test",
    )


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix != ".lua":
        return None
    config = parent.config
    if file_path.with_suffix(".out").is_file() and _in_golden_dirs(config, file_path):
        return LuaGoldenFile.from_parent(parent, path=file_path)
    patterns = config.getini("lua_files")
    if any(fnmatch.fnmatch(file_path.name, p) for p in patterns):
        return LuaFile.from_parent(parent, path=file_path)
    return None


def _in_golden_dirs(config: pytest.Config, path: Path) -> bool:
    path = path.resolve()
    for d in config.getini("lua_golden_dirs"):
        d = Path(d).resolve()
        if path.parent == d or d in path.parents:
            return True
    return False


# ------------------------------------------------------------------------- the lua fixture
@pytest.fixture
def lua(request: pytest.FixtureRequest) -> Iterator[LuaFixture]:
    """A fresh luatorch runtime (``torch`` loaded) with run/eval/raises/output helpers."""
    yield LuaFixture(script_dir=str(request.path.parent))

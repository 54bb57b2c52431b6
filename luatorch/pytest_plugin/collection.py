"""Collection of ``test_*.lua`` files: a file runs once in a fresh runtime (nothing is tested
yet) and gives one item per test it defines."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..runtime import LuaError
from .glue import _load, _Loaded, _stdout_write
from .item import LuaItem
from .reporting import LuaTestFailure, _describe


def _chunkname(config: pytest.Config, path: Path) -> str:
    """The name Lua messages give the file: relative to the rootdir when inside it (as th)."""
    try:
        return str(path.relative_to(config.rootpath))
    except ValueError:
        return str(path)


class LuaFile(pytest.File):
    """A ``test_*.lua`` file: one item per test function it defines."""

    def _setup_names(self) -> None:
        self.source = self.path.read_text(encoding="utf-8", errors="surrogateescape")
        self.chunk = _chunkname(self.config, self.path)
        self._shared: _Loaded | LuaTestFailure | None = None

    def collect(self) -> Iterator[pytest.Item]:
        self._setup_names()
        try:
            loaded = _load(self.path, self.chunk, self.source)
        except LuaError as e:
            raise LuaTestFailure(error=(e.message, e.traceback)) from None
        used: dict[str, int] = {}
        for entry in loaded.entries:
            name = str(entry.name)
            key = (name, str(entry.kind))
            n = used.get(name, 0)
            used[name] = n + 1
            yield LuaItem.from_parent(
                self,
                name=name if n == 0 else f"{name}[{n}]",
                lua_key=key,
                lua_index=n,
                lua_line=int(entry.line or 0),
            )

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, LuaTestFailure):
            return _describe(
                excinfo.value,
                self.chunk,
                self.source,
                self.path,
                self.name,
                self.config.getoption("tbstyle", "auto"),
            )
        return super().repr_failure(excinfo, style)

    # shared runtime for --lua-runtime-per-module, built by the first item that runs
    def shared(self) -> _Loaded:
        if self._shared is None:
            try:
                self._shared = _load(self.path, self.chunk, self.source, _stdout_write)
            except LuaError as e:
                self._shared = LuaTestFailure(error=(e.message, e.traceback))
        if isinstance(self._shared, LuaTestFailure):
            raise self._shared
        return self._shared

    def teardown(self) -> None:
        self._shared = None

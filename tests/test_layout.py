"""The import rule the layout promises (README, "How it is built"): the numpy library and the nn
kernels know nothing of Lua or of the layers above them, and neither does the .t7 code."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import luatorch

# the package being tested (the source tree, or an installed copy)
PACKAGE = Path(luatorch.__file__).resolve().parent

# what each low-level package must never import (module names and their submodules)
ABOVE = [
    "lupa",
    "luatorch.runtime",
    "luatorch.packages",
    "luatorch.repl",
    "luatorch.kernel",
    "luatorch.pytest_plugin",
    "luatorch.cli",
]
FORBIDDEN = {
    "tensor": ABOVE + ["luatorch.thnn", "luatorch.t7"],
    "thnn": ABOVE + ["luatorch.t7"],
    "t7": ABOVE + ["luatorch.thnn"],
}


def imported_modules(source: str, module: str) -> set[str]:
    """Every module a source file imports, anywhere in it (lazy imports in functions too),
    with relative imports resolved against ``module`` (the file's dotted name)."""
    package = module.rsplit(".", 1)[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            names.add(prefix)
            # `from . import runtime` names a module too
            names.update(f"{prefix}.{alias.name}" for alias in node.names)
    return names


def violations(source: str, module: str, forbidden: list[str]) -> list[str]:
    return sorted(
        name
        for name in imported_modules(source, module)
        if any(name == f or name.startswith(f + ".") for f in forbidden)
    )


def modules_of(package: str) -> list[tuple[str, Path]]:
    """(dotted name, path) of every module in luatorch/<package>."""
    out = []
    for path in sorted((PACKAGE / package).rglob("*.py")):
        parts = path.relative_to(PACKAGE / package).with_suffix("").parts
        out.append((".".join(("luatorch", package, *parts)), path))
    return out


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_import_runs_upward(package: str) -> None:
    found = {
        module: bad
        for module, path in modules_of(package)
        if (bad := violations(path.read_text(encoding="utf-8"), module, FORBIDDEN[package]))
    }
    assert found == {}


def test_the_checker_sees_upward_imports() -> None:
    # the check above could pass by seeing nothing: it must catch each form of import
    src = (
        "import lupa\n"
        "from ..runtime import Runtime\n"
        "def f():\n"
        "    from ..runtime import bindings\n"
        "    import luatorch.repl.loop\n"
        "from . import core\n"
    )
    bad = set(violations(src, "luatorch.tensor.math", FORBIDDEN["tensor"]))
    # (``from ..runtime import Runtime`` names the module and, possibly, a submodule Runtime)
    assert bad == {
        "lupa",
        "luatorch.runtime.bindings",
        "luatorch.repl.loop",
        "luatorch.runtime",
        "luatorch.runtime.Runtime",
    }
    assert modules_of("tensor") and modules_of("thnn") and modules_of("t7")


def test_importing_the_numerics_loads_no_lua() -> None:
    code = (
        "import sys, luatorch.tensor.ops, luatorch.thnn, luatorch.t7\n"
        "luatorch.thnn.kernels()\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'lupa'"
        " or m.startswith(('luatorch.runtime', 'luatorch.packages')))\n"
        "print(bad)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "[]"

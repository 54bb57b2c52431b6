"""nn kernels in THNN's shape: tensors and numbers in, outputs written in place.

Each family lives in its own module; every public function named ``<Module>_<method>`` is exported
to Lua as ``nn.THNN.<Module>_<method>``. This package knows nothing of Lua: it imports only
``tensor`` (its maths, BLAS calls and thread pool) and numpy, never lupa, the runtime, ``t7`` or
the packages.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any


def kernels() -> dict[str, Callable[..., Any]]:
    """Every kernel of every family module in this package (modules starting with _ are helpers)."""
    out: dict[str, Callable[..., Any]] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"luatorch.thnn.{info.name}")
        for name in dir(mod):
            obj = getattr(mod, name)
            if "_" in name and name[0].isupper() and callable(obj):
                out[name] = obj
    return out


# a kernel's definition at the start of a line: ``def Name_method(`` or ``Name_method = ...``
_DEFINITION = re.compile(
    r"^(?:def\s+([A-Z]\w*_\w*)\s*\(|([A-Z]\w*_\w*)\s*(?::[^=\n]*)?=(?!=))", re.M
)


def index() -> dict[str, str]:
    """Every kernel's name and the family module defining it, read from the sources without
    importing them (the same names as :func:`kernels`: tests/runtime/test_memory.py checks)."""
    out: dict[str, str] = {}
    for path in sorted(Path(__path__[0]).glob("[!_]*.py")):
        for m in _DEFINITION.finditer(path.read_text(encoding="utf-8")):
            out.setdefault(m.group(1) or m.group(2), path.stem)
    return out


def exports(bindings: Any) -> dict[str, Callable[..., Any]]:
    """The kernels for Lua. A family module is imported on its first call: importing all
    of them costs 2 MB of resident memory, which a script using a few layers does not need."""
    wrap = bindings.wrap

    def exported(name: str, module: str) -> Callable[..., Any]:
        f: Callable[..., Any] | None = None

        def call(*args: Any) -> Any:
            nonlocal f
            if f is None:
                f = getattr(importlib.import_module(f"luatorch.thnn.{module}"), name)
                bindings.after_loading()
            return wrap(f(*args))

        call.__name__ = name
        return call

    found = index()
    if not found:  # no sources to read (a build that ships bytecode only): import them all
        found = {name: f.__module__.rsplit(".", 1)[1] for name, f in kernels().items()}
    return {"THNN_" + name: exported(name, module) for name, module in found.items()}

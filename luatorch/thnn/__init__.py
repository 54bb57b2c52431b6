"""nn kernels in THNN's shape: tensors and numbers in, outputs written in place.

Each family lives in its own module; every public function named ``<Module>_<method>`` is exported
to Lua as ``nn.THNN.<Module>_<method>``. This package knows nothing of Lua: it imports only
``tensor`` (its maths, BLAS calls and thread pool) and numpy, never lupa, the runtime, ``t7`` or
the packages.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
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


def exports(bindings: Any) -> dict[str, Callable[..., Any]]:
    wrap = bindings.wrap

    def exported(f: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            return wrap(f(*args))

        call.__name__ = f.__name__
        return call

    return {"THNN_" + name: exported(f) for name, f in kernels().items()}

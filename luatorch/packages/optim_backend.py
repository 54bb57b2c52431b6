"""Python side of optim.Logger: directory creation, and whether plots can be drawn.

Logger:plot draws through the gnuplot package as Torch's does (lua/gnuplot, drawn with
matplotlib by gnuplot_backend.py); matplotlib is optional, and without it Logger warns once.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from typing import Any


def _mkdir(path: Any) -> None:
    """``mkdir -p``, silently ignoring failures as Torch's ``os.execute('mkdir -p ...')`` did."""
    try:
        os.makedirs(str(path), exist_ok=True)
    except OSError:
        pass


def _can_plot() -> bool:
    return importlib.util.find_spec("matplotlib") is not None


def exports(bindings: Any) -> dict[str, Callable[..., Any]]:
    """Functions Lua reaches as ``torch._py.optim_*`` (optim/Logger.lua uses them)."""
    return {"optim_mkdir": _mkdir, "optim_can_plot": lambda: _can_plot()}

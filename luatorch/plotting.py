"""Python side of optim.Logger: directory creation and PNG plots drawn with matplotlib.

Torch's Logger drew with gnuplot; here matplotlib (an optional dependency, imported only when
a plot is drawn) renders the same curves with gnuplot's look: its colour cycle, a grid, the
``<Logger::name>`` title and a 640x480 image.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from typing import Any

import numpy as np

from .tensor.core import TorchError

WIDTH, HEIGHT, DPI = 640, 480, 100

# gnuplot 5's default line colours, so plots look like the ones Torch users know
GNUPLOT_COLORS = [
    "#9400d3",
    "#009e73",
    "#56b4e9",
    "#e69f00",
    "#f0e442",
    "#0072b2",
    "#e51e10",
    "#000000",
]

# gnuplot style words accepted by Torch's Logger, as Logger's one-character styles
_WORDS = {
    "lines": "-",
    "points": "+",
    "linespoints": "+-",
    "dots": ".",
    "boxes": "|",
    "impulses": "|",
    "steps": "-",
    "csplines": "~",
}


def _mkdir(path: Any) -> None:
    """``mkdir -p``, silently ignoring failures as Torch's ``os.execute('mkdir -p ...')`` did."""
    try:
        os.makedirs(str(path), exist_ok=True)
    except OSError:
        pass


def _can_plot() -> bool:
    return importlib.util.find_spec("matplotlib") is not None


def _natural_spline(x: np.ndarray, y: np.ndarray, n: int = 20) -> tuple[np.ndarray, np.ndarray]:
    """Natural cubic spline through (x, y), sampled n times per interval (gnuplot csplines)."""
    m = len(x)
    if m < 3:
        return x, y
    h = np.diff(x)
    # tridiagonal system for the second derivatives, zero at both ends
    a = np.zeros((m, m))
    r = np.zeros(m)
    a[0, 0] = a[-1, -1] = 1.0
    for i in range(1, m - 1):
        a[i, i - 1], a[i, i], a[i, i + 1] = h[i - 1], 2 * (h[i - 1] + h[i]), h[i]
        r[i] = 6 * ((y[i + 1] - y[i]) / h[i] - (y[i] - y[i - 1]) / h[i - 1])
    s = np.linalg.solve(a, r)
    xs = np.linspace(x[0], x[-1], (m - 1) * n + 1)
    k = np.clip(np.searchsorted(x, xs, side="right") - 1, 0, m - 2)
    t0, t1, hk = xs - x[k], x[k + 1] - xs, h[k]
    ys = (
        (s[k] * t1**3 + s[k + 1] * t0**3) / (6 * hk)
        + (y[k] / hk - s[k] * hk / 6) * t1
        + (y[k + 1] / hk - s[k + 1] * hk / 6) * t0
    )
    return xs, ys


def _draw(ax: Any, x: np.ndarray, y: np.ndarray, style: str, label: str, color: str) -> None:
    style = _WORDS.get(style.strip(), style.strip())
    if style == ".":
        ax.plot(x, y, linestyle="none", marker=".", markersize=3, color=color, label=label)
    elif style == "+":
        ax.plot(x, y, linestyle="none", marker="+", color=color, label=label)
    elif style in ("+-", "-+"):
        ax.plot(x, y, linestyle="-", marker="+", color=color, label=label)
    elif style == "~":
        xs, ys = _natural_spline(x, y)
        ax.plot(xs, ys, linestyle="-", color=color, label=label)
    elif style == "|":
        ax.bar(x, y, width=1.0, fill=False, edgecolor=color, label=label)
    else:  # '-' and any other gnuplot style string: lines
        ax.plot(x, y, linestyle="-", color=color, label=label)


def _plot(path: Any, title: Any, plots: Any, logscale: Any = False) -> None:
    """Draw Logger curves into a 640x480 PNG at ``path``.

    ``plots`` is a Lua list of ``{name=, y={...}, style=}`` tables, one per curve and style.
    """
    if not _can_plot():
        raise TorchError("<Logger> plotting needs matplotlib (pip install matplotlib)")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    names: dict[str, str] = {}
    for i in range(1, len(plots) + 1):
        entry = plots[i]
        name, style, ys = str(entry["name"]), entry["style"], entry["y"]
        if not isinstance(style, str):
            raise TorchError("<Logger> style should be a string or a table of strings")
        y = np.array([float(ys[j]) for j in range(1, len(ys) + 1)], dtype=np.float64)
        x = np.arange(1, len(y) + 1, dtype=np.float64)
        # one colour per symbol: several styles of one symbol share it
        color = names.setdefault(name, GNUPLOT_COLORS[len(names) % len(GNUPLOT_COLORS)])
        # only the first style of a symbol gets a legend entry
        label = name if sum(1 for j in range(1, i) if str(plots[j]["name"]) == name) == 0 else None
        _draw(ax, x, y, style, label, color)
    if logscale:
        ax.set_yscale("log")
    ax.grid(True)
    ax.set_title(str(title))
    ax.legend(loc="best")
    try:
        fig.savefig(str(path), format="png", dpi=DPI)
    except OSError as exc:
        raise TorchError(f"<Logger> cannot write {path}: {exc.strerror or exc}") from exc


def exports(bindings: Any) -> dict[str, Callable[..., Any]]:
    """Functions Lua reaches as ``torch._py.optim_*`` (optim/Logger.lua wraps them)."""
    return {"optim_mkdir": _mkdir, "optim_can_plot": _can_plot, "optim_plot": _plot}

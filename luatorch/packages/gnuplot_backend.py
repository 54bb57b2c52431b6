"""Drawing for the gnuplot Lua package with matplotlib (Agg): figures become image files.

Lua keeps each figure's state (series, title, labels, grid, axis, legend place, output file) and
draws it here: ``gp_begin(options)``, one ``gp_add_*`` per series, then ``gp_finish(path,
format)``. matplotlib is optional; without it drawing raises a clear error at once.

Drawing is lazy, as gnuplot's window only ever showed the latest state: after a change Lua
calls ``gp_request(path, draw)``, which keeps ``draw`` as the pending picture of its file. It
runs when control returns from Lua to Python (``flush_pending``: the end of a script, a REPL
line, a notebook cell), at exit, at an explicit ``gnuplot.plotflush``/``figprint``, or, in a
long loop, once the oldest pending change is ``THROTTLE`` seconds old. A training loop calling
``Logger:plot`` every iteration thus draws a few pictures, not one per call.
"""

from __future__ import annotations

import atexit
import importlib.util
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from ..tensor.core import Tensor, TorchError

_LEGEND_PLACES = {
    ("right", "top"): "upper right",
    ("left", "top"): "upper left",
    ("center", "top"): "upper center",
    ("right", "bottom"): "lower right",
    ("left", "bottom"): "lower left",
    ("center", "bottom"): "lower center",
    ("right", "middle"): "center right",
    ("left", "middle"): "center left",
    ("center", "middle"): "center",
}


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise TorchError(
            "gnuplot: drawing figures needs matplotlib (pip install matplotlib, or luatorch[plot])"
        ) from None
    matplotlib.use("Agg", force=True)  # no screen: always draw into files
    import matplotlib.pyplot as plt

    return plt


THROTTLE = 5.0  # seconds a pending picture may wait while Lua keeps running

# path -> (the Lua function drawing its figure, when it became pending)
pending_figures: dict[str, tuple[Any, float]] = {}
_atexit_registered = False


_found: bool | None = None


def _can_draw() -> bool:
    """Whether matplotlib is importable, without paying for its import (seconds) now."""
    global _found
    if "matplotlib" in sys.modules:
        return sys.modules["matplotlib"] is not None
    if _found is None:
        _found = importlib.util.find_spec("matplotlib") is not None
    return _found


def flush_pending() -> None:
    """Draw every pending picture (their files then show the figures' latest state)."""
    while pending_figures:
        path = next(iter(pending_figures))
        draw, _ = pending_figures.pop(path)
        try:
            draw()
        except Exception as e:  # nobody to raise to any more: say it
            sys.stderr.write(f"{e}\n")


def _values(t: Any) -> np.ndarray:
    if not isinstance(t, Tensor):
        raise TorchError("gnuplot: expecting a tensor")
    # a copy: the picture may be drawn after the script has changed the tensor
    return np.array(t.arr, dtype=np.float64) if t.size else np.empty(0)


def _spline(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """gnuplot's 'smooth csplines': a natural cubic spline through the points (x sorted)."""
    order = np.argsort(x, kind="stable")
    x, y = x[order], y[order]
    x, idx = np.unique(x, return_index=True)
    y = y[idx]
    n = x.size
    if n < 3:
        return x, y
    h = np.diff(x)
    # tridiagonal system for the second derivatives (natural ends), solved by Thomas' method
    a = h[:-1].copy()
    b = 2 * (h[:-1] + h[1:])
    c = h[1:].copy()
    d = 6 * (np.diff(y[1:]) / h[1:] - np.diff(y[:-1]) / h[:-1])
    m = n - 2
    for i in range(1, m):
        w = a[i] / b[i - 1]
        b[i] -= w * c[i - 1]
        d[i] -= w * d[i - 1]
    s = np.zeros(m)
    s[-1] = d[-1] / b[-1]
    for i in range(m - 2, -1, -1):
        s[i] = (d[i] - c[i] * s[i + 1]) / b[i]
    sec = np.concatenate([[0.0], s, [0.0]])
    xs = np.linspace(x[0], x[-1], 300)  # gnuplot's `set samples 300` in Torch's style
    k = np.clip(np.searchsorted(x, xs) - 1, 0, n - 2)
    t0, t1 = x[k + 1] - xs, xs - x[k]
    hk = h[k]
    ys = (
        (sec[k] * t0**3 + sec[k + 1] * t1**3) / (6 * hk)
        + (y[k] / hk - sec[k] * hk / 6) * t0
        + (y[k + 1] / hk - sec[k + 1] * hk / 6) * t1
    )
    return xs, ys


class _Figure:
    def __init__(self) -> None:
        self.options: dict[str, Any] = {}
        self.items: list[tuple] = []


def exports(bindings: Any) -> dict[str, Callable[..., Any]]:
    """Functions for lua/gnuplot (``torch._py.gp_*``)."""
    state = {"fig": _Figure()}

    def begin(options: Any) -> None:
        fig = _Figure()
        if options is not None:
            for k, v in options.items():
                fig.options[str(k)] = v
        state["fig"] = fig

    def add_line(name: Any, x: Any, y: Any, style: Any) -> None:
        xv, yv = _values(x), _values(y)
        state["fig"].items.append(("line", str(name or ""), xv, yv, str(style or "")))

    def add_image(m: Any, palette: Any) -> None:
        state["fig"].items.append(("image", _values(m), str(palette or "gray")))

    def add_surface(name: Any, x: Any, y: Any, z: Any) -> None:
        state["fig"].items.append(("surface", str(name or ""), _values(x), _values(y), _values(z)))

    def finish(path: str, fmt: str) -> None:
        _render(state["fig"], str(path), str(fmt))

    def request(path: str, draw: Any, now: Any = False) -> None:
        """A figure of file ``path`` changed; ``draw()`` (Lua) draws its latest state."""
        global _atexit_registered
        if not _can_draw():
            _pyplot()  # raises the clear error now, at the user's line
        path = str(path)
        since = pending_figures[path][1] if path in pending_figures else time.monotonic()
        if now or time.monotonic() - since >= THROTTLE:
            pending_figures.pop(path, None)
            draw()
            return
        pending_figures[path] = (draw, since)
        if not _atexit_registered:
            atexit.register(flush_pending)
            _atexit_registered = True

    return {
        "gp_begin": begin,
        "gp_add_line": add_line,
        "gp_add_image": add_image,
        "gp_add_surface": add_surface,
        "gp_finish": finish,
        "gp_request": request,
        "gp_flush": flush_pending,
    }


def _render(fig: _Figure, path: str, fmt: str) -> None:
    plt = _pyplot()
    opts = fig.options
    surface = any(it[0] == "surface" for it in fig.items)
    f = plt.figure(figsize=(6.4, 4.8), dpi=100)  # gnuplot's png terminal: 640x480
    try:
        ax = f.add_subplot(111, projection="3d") if surface else f.add_subplot(111)
        labelled = False
        for it in fig.items:
            if it[0] == "line":
                labelled |= _draw_line(ax, *it[1:])
            elif it[0] == "image":
                m, palette = it[1], it[2]
                cmap = "gray" if "gray" in palette or "grey" in palette else "gnuplot"
                im = ax.imshow(m, cmap=cmap, interpolation="nearest", aspect="auto")
                f.colorbar(im, ax=ax)
            else:
                name, x, y, z = it[1:]
                ax.plot_wireframe(x, y, z, label=name or None)
                labelled |= bool(name)
        if opts.get("title"):
            ax.set_title(str(opts["title"]))
        if opts.get("xlabel"):
            ax.set_xlabel(str(opts["xlabel"]))
        if opts.get("ylabel"):
            ax.set_ylabel(str(opts["ylabel"]))
        if surface and opts.get("zlabel"):
            ax.set_zlabel(str(opts["zlabel"]))
        if opts.get("grid"):
            ax.grid(True)
        if opts.get("logscale"):  # gnuplot's `set logscale`: every axis
            ax.set_xscale("log")
            ax.set_yscale("log")
        axis = opts.get("axis")
        if axis in ("equal", "image"):
            ax.set_aspect("equal")
        elif axis is not None and not isinstance(axis, str):
            ax.set_xlim(float(axis[1]), float(axis[2]))
            ax.set_ylim(float(axis[3]), float(axis[4]))
        if labelled:
            loc = _LEGEND_PLACES.get(
                (str(opts.get("hloc", "right")), str(opts.get("vloc", "top"))), "upper right"
            )
            # PostScript has no transparency: an opaque legend box draws without a warning
            ax.legend(loc=loc, framealpha=1.0 if fmt in ("eps", "ps") else None)
        f.savefig(path, format=fmt)
    except OSError as e:
        raise TorchError(f"gnuplot: cannot write {path}: {e.strerror or e}") from None
    finally:
        plt.close(f)


def _draw_line(ax: Any, name: str, x: np.ndarray, y: np.ndarray, style: str) -> bool:
    """One plot series in gnuplot's style; True when it has a legend entry."""
    columns = [y] if y.ndim == 1 else [y[:, j] for j in range(y.shape[1])]
    label = name or None
    s = style.strip()
    if s.startswith("with "):
        s = s[5:].split()[0] if len(s) > 5 else ""
    for j, col in enumerate(columns):
        lab = label if j == 0 else None
        if s in ("+", "points"):
            ax.plot(x, col, "+", label=lab)
        elif s in (".", "dots"):
            ax.plot(x, col, ",", label=lab)
        elif s in ("-", "lines"):
            ax.plot(x, col, "-", label=lab)
        elif s in ("|", "boxes", "impulses"):
            width = float(np.min(np.diff(np.sort(x)))) if x.size > 1 else 1.0
            ax.bar(x, col, width=width * 0.9 if width > 0 else 0.9, label=lab)
        elif s.startswith("~") or s in ("csplines", "acsplines"):
            xs, ys = _spline(x, col)
            ax.plot(xs, ys, "-", label=lab)
        elif s in ("v", "V", "vectors") and x.ndim == 2:
            ax.quiver(
                x[:, 0],
                col if col.ndim == 1 else y[:, 0],
                x[:, 1],
                y[:, 1],
                angles="xy",
                scale_units="xy",
                scale=1,
                label=lab,
            )
            break
        else:  # '', '+-', 'linespoints' and other gnuplot styles: Torch's default linespoints
            ax.plot(x, col, "-+", label=lab)
    return label is not None

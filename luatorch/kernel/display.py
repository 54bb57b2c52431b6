"""Rich output for notebooks (the Python side of Lua's ``itorch``): PNG encoding, HTML, media
files and ``itorch.Plot`` drawn with matplotlib.

Nothing here needs Jupyter: ``install(rt, publish)`` gives a runtime the ``itorch._backend``
table that ``lua/itorch`` uses; ``publish(data, metadata, display_id, update)`` is the kernel's
way of sending a ``display_data`` (or ``update_display_data``) message. Without ``publish``
(a plain runtime) the display functions raise a clean Lua error, and ``Plot:save`` still works.
"""

from __future__ import annotations

import base64
import html as htmlmod
import io
import mimetypes
import os
import struct
import uuid
import zlib
from collections.abc import Callable
from typing import Any

import numpy as np

from ..tensor.core import Tensor, TorchError

Publish = Callable[[dict[str, Any], dict[str, Any], "str | None", bool], None]


# ----------------------------------------------------------------------------------- PNG
def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png_bytes(pixels: np.ndarray) -> bytes:
    """A PNG file for ``pixels``: uint8 HxW (grey) or HxWx3 (RGB).

    Pillow writes it when installed; otherwise it is written here with zlib (8-bit, filter 0).
    """
    pixels = np.ascontiguousarray(pixels, dtype=np.uint8)
    try:
        from PIL import Image
    except ImportError:
        Image = None
    if Image is not None:
        buf = io.BytesIO()
        Image.fromarray(pixels).save(buf, format="PNG")
        return buf.getvalue()
    h, w = pixels.shape[:2]
    colour = 2 if pixels.ndim == 3 else 0
    rows = pixels.reshape(h, -1)
    raw = np.concatenate([np.zeros((h, 1), np.uint8), rows], axis=1).tobytes()
    header = struct.pack(">IIBBBBB", w, h, 8, colour, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 6))
        + _chunk(b"IEND", b"")
    )


def tensor_pixels(t: Tensor) -> np.ndarray:
    """An image tensor (HxW, 1xHxW or 3xHxW, values in [0, 1]) as uint8 pixels."""
    if not isinstance(t, Tensor):
        raise TorchError("itorch.image: expecting an image tensor")
    a = np.asarray(t.arr, dtype=np.float64)
    if a.ndim == 3 and a.shape[0] == 1:
        a = a[0]
    elif a.ndim == 3 and a.shape[0] == 3:
        a = a.transpose(1, 2, 0)
    elif a.ndim != 2:
        raise TorchError(
            "itorch.image: expecting a HxW, 1xHxW or 3xHxW image, got a tensor "
            "of size " + "x".join(str(s) for s in a.shape)
        )
    if a.size == 0:
        raise TorchError("itorch.image: empty image")
    a = np.nan_to_num(a, nan=0.0)
    return (np.clip(a, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# ---------------------------------------------------------------------------------- plots
class _PlotSpec:
    """What one ``itorch.Plot`` holds: decorations and a list of glyphs."""

    def __init__(self) -> None:
        self.options: dict[str, Any] = {}
        self.items: list[tuple] = []


def _values(t: Any, what: str) -> np.ndarray:
    if isinstance(t, Tensor):
        return np.asarray(t.arr, dtype=np.float64).reshape(-1) if t.size else np.empty(0)
    raise TorchError(f"itorch.Plot: {what} needs to be a 1D tensor/table of N elements")


def _colour(c: Any) -> Any:
    if c is None:
        return "red"
    if isinstance(c, str):
        return c
    try:  # a Lua table of colours, one per point
        return [str(c[i]) for i in range(1, len(c) + 1)]
    except TypeError:
        return str(c)


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise TorchError(
            "itorch.Plot: drawing needs matplotlib (pip install matplotlib, or luatorch[plot])"
        ) from None
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def render_plot(spec: _PlotSpec, fmt: str = "png") -> bytes:
    """Draw a plot with matplotlib; the file's bytes in ``fmt`` (png, svg, pdf)."""
    plt = _pyplot()
    fig = plt.figure(figsize=(6.4, 4.8), dpi=100)
    try:
        ax = fig.add_subplot(111)
        labelled = False
        for kind, colour, legend, args in spec.items:
            label = legend if legend and legend != "unnamed" else None
            labelled |= label is not None
            if kind == "circle":
                x, y = args
                ax.scatter(x, y, s=60, c=colour, alpha=0.5, edgecolors=colour, label=label)
            elif kind == "triangle":
                x, y = args
                ax.scatter(x, y, s=60, c=colour, marker="^", alpha=0.5, label=label)
            elif kind == "line":
                x, y = args
                ax.plot(x, y, color=colour if isinstance(colour, str) else None, label=label)
            elif kind == "segment":
                x0, y0, x1, y1 = args
                c = colour if isinstance(colour, str) else None
                for i in range(x0.size):
                    ax.plot(
                        [x0[i], x1[i]],
                        [y0[i], y1[i]],
                        color=c,
                        linewidth=2,
                        label=label if i == 0 else None,
                    )
            elif kind == "quad":
                x0, y0, x1, y1 = args
                ax.bar(
                    x0,
                    y1 - y0,
                    width=x1 - x0,
                    bottom=y0,
                    align="edge",
                    color=colour,
                    alpha=0.7,
                    edgecolor=colour if isinstance(colour, str) else None,
                    label=label,
                )
            elif kind == "quiver":
                u, v, rows, cols = args
                gx, gy = np.meshgrid(np.arange(1, cols + 1), np.arange(1, rows + 1))
                ax.quiver(gy.reshape(-1), gx.reshape(-1), u, v, color=colour, label=label)
            elif kind == "text":
                x, y, texts = args
                for xi, yi, s in zip(x, y, texts, strict=False):
                    ax.annotate(s, (xi, yi), color=colour if isinstance(colour, str) else None)
        opts = spec.options
        if opts.get("title"):
            ax.set_title(str(opts["title"]))
        if opts.get("xaxis"):
            ax.set_xlabel(str(opts["xaxis"]))
        if opts.get("yaxis"):
            ax.set_ylabel(str(opts["yaxis"]))
        ax.grid(True, alpha=0.3)
        if opts.get("legend") and labelled:
            ax.legend()
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt)
        return buf.getvalue()
    finally:
        plt.close(fig)


def plot_html(png: bytes) -> str:
    """A stand-alone HTML page showing a plot (what ``Plot:save('x.html')`` writes)."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        '<title>itorch.Plot</title></head>\n<body>\n<img src="data:image/png;base64,'
        + _b64(png)
        + '"/>\n</body>\n</html>\n'
    )


# ------------------------------------------------------------------------- the Lua backend
_MEDIA = {"audio": ("mp3", "wav", "ogg", "aac"), "video": ("mp4", "ogg", "ogv", "webm")}


def exports(publish: Publish | None) -> dict[str, Any]:
    """The functions behind ``itorch`` (``itorch._backend``), publishing through ``publish``."""
    state = {"plot": _PlotSpec()}

    def send(
        data: dict[str, Any],
        metadata: dict[str, Any] | None = None,
        display_id: Any = None,
        update: bool = False,
    ) -> str:
        if publish is None:
            raise TorchError(
                "itorch: no notebook here (rich output needs the Torch Jupyter "
                "kernel: python -m luatorch.kernel install)"
            )
        did = str(display_id) if display_id is not None else uuid.uuid4().hex
        publish(data, metadata or {}, did, update)
        return did

    def image(t: Tensor) -> None:
        pixels = tensor_pixels(t)
        h, w = pixels.shape[:2]
        send(
            {"image/png": _b64(png_bytes(pixels)), "text/plain": f"<image {w}x{h}>"},
            {"image/png": {"width": w, "height": h}},
        )

    def image_file(path: str) -> None:
        mime = mimetypes.guess_type(path)[0] or ""
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            raise TorchError(f"itorch.image: cannot open {path}: {e.strerror or e}") from None
        if mime == "image/svg+xml":
            send({"image/svg+xml": data.decode("utf-8", "replace"), "text/plain": path})
        elif mime in ("image/png", "image/jpeg", "image/gif"):
            send({mime: _b64(data), "text/plain": path})
        else:
            raise TorchError(f"itorch.image: unsupported image file {path}")

    def html(text: str, window_id: Any = None) -> str:
        return send(
            {"text/html": str(text), "text/plain": "<html>"}, None, window_id, window_id is not None
        )

    def media(kind: str, path: str) -> str:
        ext = os.path.splitext(path)[1][1:].lower()
        if ext not in _MEDIA[kind]:
            raise TorchError(
                f"itorch.{kind}: {', '.join(_MEDIA[kind])} files supported. "
                f"But found extension: {ext}"
            )
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            raise TorchError(f"File could not be opened: {path}") from e
        ext = "ogg" if ext == "ogv" else ext
        tag = f'<{kind} controls src="data:{kind}/{ext};base64,{_b64(data)}"></{kind}>'
        return send({"text/html": tag, "text/plain": f"<{kind} {htmlmod.escape(path)}>"})

    def notebook() -> bool:
        return publish is not None

    # Plot: Lua sends the decorations, then each glyph, then asks for a drawing
    def plot_begin(options: Any) -> None:
        spec = _PlotSpec()
        if options is not None:
            for k, v in options.items():
                spec.options[str(k)] = v
        state["plot"] = spec

    def plot_add(
        kind: str,
        colour: Any,
        legend: Any,
        a: Any = None,
        b: Any = None,
        c: Any = None,
        d: Any = None,
    ) -> None:
        spec = state["plot"]
        kind = str(kind)
        legend = None if legend is None else str(legend)
        if kind in ("circle", "line", "triangle"):
            x, y = _values(a, "x"), _values(b, "y")
            if x.size != y.size:
                raise TorchError("x and y have to have same number of elements")
            args: tuple = (x, y)
        elif kind in ("segment", "quad"):
            args = tuple(
                _values(v, n) for v, n in zip((a, b, c, d), ("x0", "y0", "x1", "y1"), strict=True)
            )
            if len({v.size for v in args}) != 1:
                raise TorchError("x0, y0, x1 and y1 should have same number of elements")
        elif kind == "quiver":
            if not (
                isinstance(a, Tensor)
                and isinstance(b, Tensor)
                and a.arr.ndim == 2
                and a.arr.shape == b.arr.shape
            ):
                raise TorchError("U and V should be 2D and of same size")
            rows, cols = a.arr.shape
            args = (
                np.asarray(a.arr, np.float64).reshape(-1),
                np.asarray(b.arr, np.float64).reshape(-1),
                rows,
                cols,
            )
        elif kind == "text":
            texts = [str(c[i]) for i in range(1, len(c) + 1)]
            args = (_values(a, "x"), _values(b, "y"), texts)
        else:
            raise TorchError(f"itorch.Plot: unknown glyph {kind}")
        spec.items.append((kind, _colour(colour), legend, args))

    def plot_draw(window_id: Any = None, update: bool = False) -> str:
        png = render_plot(state["plot"])
        return send(
            {"image/png": _b64(png), "text/plain": "<itorch.Plot>"}, None, window_id, bool(update)
        )

    def plot_save(path: str) -> None:
        path = str(path)
        ext = os.path.splitext(path)[1][1:].lower()
        try:
            if ext in ("png", "svg", "pdf"):
                data = render_plot(state["plot"], ext)
                with open(path, "wb") as f:
                    f.write(data)
            else:  # iTorch saved HTML; so do we, with the picture inside
                with open(path, "w", encoding="utf-8") as f:
                    f.write(plot_html(render_plot(state["plot"])))
        except OSError as e:
            raise TorchError(f"filename cannot be opened in write mode: {path}") from e

    def plot_tohtml() -> str:
        return plot_html(render_plot(state["plot"]))

    return {
        "notebook": notebook,
        "image": image,
        "image_file": image_file,
        "html": html,
        "media": media,
        "plot_begin": plot_begin,
        "plot_add": plot_add,
        "plot_draw": plot_draw,
        "plot_save": plot_save,
        "plot_tohtml": plot_tohtml,
    }


def install(rt: Any, publish: Publish | None = None) -> None:
    """Give ``rt`` the ``itorch._backend`` table (before ``require 'itorch'``)."""
    table = rt.lua.table_from(exports(publish))
    rt.lua.globals().package.loaded["itorch._backend"] = table

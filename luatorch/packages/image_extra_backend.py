"""The rest of torch/image's C functions for lua/image/more.lua: colour spaces (HSL, HSV, Lab),
warp (simple, bilinear, bicubic, lanczos sampling of a flow field), rectangles, and JPEG/PNG
images held in memory (compressJPG, decompressJPG, ...). Formulas are image.c's; byte images
hold 0..255 and round as image.c does (x + 0.5, saturated)."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from typing import Any

import numpy as np

from ..tensor.core import Tensor, TorchError, tensor_from_array
from .image_backend import _pil

_FLOAT = ("Double", "Float")


def _store(dst: Tensor, values: np.ndarray) -> None:
    """Write float results into dst as image.c's FromIntermediate does for its type."""
    if dst.ttype not in _FLOAT:
        values = np.clip(np.floor(values + 0.5), 0, 255)
    dst.arr[...] = values


def _read(src: Tensor) -> tuple[np.ndarray, float]:
    a = np.asarray(src.arr, dtype=np.float64)
    return a, (255.0 if src.ttype not in _FLOAT else 1.0)


def _hue(r: np.ndarray, g: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    mx = np.maximum(np.maximum(r, g), b)
    mn = np.minimum(np.minimum(r, g), b)
    d = mx - mn
    safe = np.where(d == 0, 1.0, d)
    h = np.where(
        mx == r,
        (g - b) / safe + np.where(g < b, 6.0, 0.0),
        np.where(mx == g, (b - r) / safe + 2.0, (r - g) / safe + 4.0),
    )
    h = np.where(d == 0, 0.0, h / 6.0)
    return h, mx, mn, d


def _rgb2hsl(r: np.ndarray, g: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    h, mx, mn, d = _hue(r, g, b)
    l_ = (mx + mn) / 2
    denom = np.where(l_ > 0.5, 2 - mx - mn, mx + mn)
    s = np.where(d == 0, 0.0, d / np.where(denom == 0, 1.0, denom))
    return h, s, np.where(d == 0, mx, l_)


def _hue2rgb(p: np.ndarray, q: np.ndarray, t: np.ndarray) -> np.ndarray:
    t = np.where(t < 0, t + 1, t)
    t = np.where(t > 1, t - 1, t)
    return np.where(
        t < 1 / 6,
        p + (q - p) * 6 * t,
        np.where(t < 1 / 2, q, np.where(t < 2 / 3, p + (q - p) * (2 / 3 - t) * 6, p)),
    )


def _hsl2rgb(h: np.ndarray, s: np.ndarray, l_: np.ndarray) -> tuple[np.ndarray, ...]:
    q = np.where(l_ < 0.5, l_ * (1 + s), l_ + s - l_ * s)
    p = 2 * l_ - q
    grey = s == 0
    return tuple(np.where(grey, l_, _hue2rgb(p, q, h + off)) for off in (1 / 3, 0.0, -1 / 3))


def _rgb2hsv(r: np.ndarray, g: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    h, mx, mn, d = _hue(r, g, b)
    s = np.where(d == 0, 0.0, d / np.where(mx == 0, 1.0, mx))
    return h, s, mx


def _hsv2rgb(h: np.ndarray, s: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, ...]:
    i = np.floor(h * 6)
    f = h * 6 - i
    p, q, t = v * (1 - s), v * (1 - f * s), v * (1 - (1 - f) * s)
    sector = np.mod(i, 6).astype(np.int64)  # C's i % 6 is negative for negative i: never here
    choices = [(v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q)]
    return tuple(np.choose(sector, [c[k] for c in choices]) for k in range(3))


_EPS, _K = 216.0 / 24389.0, 24389.0 / 27.0
_XN, _ZN = 0.950456, 1.088754


def _rgb2lab(r: np.ndarray, g: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    def expand(c: np.ndarray) -> np.ndarray:
        return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)

    r, g, b = expand(r), expand(g), expand(b)
    x = (0.412453 * r + 0.357580 * g + 0.180423 * b) / _XN
    y = 0.212671 * r + 0.715160 * g + 0.072169 * b
    z = (0.019334 * r + 0.119193 * g + 0.950227 * b) / _ZN

    def f(c: np.ndarray) -> np.ndarray:
        return np.where(c > _EPS, np.cbrt(c), (_K * c + 16) / 116)

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def _lab2rgb(l_: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    fy = (l_ + 16) / 116
    fz = fy - b / 200
    fx = a / 500 + fy
    x = fx**3
    x = np.where(x <= _EPS, (116 * fx - 16) / _K, x) * _XN
    y = np.where(l_ > _K * _EPS, ((l_ + 16) / 116) ** 3, l_ / _K)
    z = fz**3
    z = np.where(z <= _EPS, (116 * fz - 16) / _K, z) * _ZN
    r = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z
    g = -0.9692660 * x + 1.8760108 * y + 0.0415560 * z
    bb = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z

    def compress(c: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            return np.where(c <= 0.0031308, 12.92 * c, 1.055 * np.power(c, 1 / 2.4) - 0.055)

    return compress(r), compress(g), compress(bb)


_CONVERSIONS = {
    "rgb2hsl": _rgb2hsl,
    "hsl2rgb": _hsl2rgb,
    "rgb2hsv": _rgb2hsv,
    "hsv2rgb": _hsv2rgb,
    "rgb2lab": _rgb2lab,
    "lab2rgb": _lab2rgb,
}


def _cubic(p0: Any, p1: Any, p2: Any, p3: Any, x: Any) -> Any:
    a1 = p2 - p0
    a2 = 2 * p0 - 5 * p1 + 4 * p2 - p3
    a3 = 3 * (p1 - p2) + p3 - p0
    return p1 + 0.5 * x * (a1 + x * (a2 + x * a3))


def _lanczos_weights(pos: np.ndarray, base: np.ndarray, rad: int = 3) -> list[np.ndarray]:
    out = []
    for i in range(2 * rad):
        d = np.abs(pos - (base - rad + 1 + i)).astype(np.float32)
        with np.errstate(invalid="ignore", divide="ignore"):
            w = (rad * np.sin(np.pi * d) * np.sin(np.pi * d / rad)) / (np.pi * np.pi * d * d)
        w = np.where(d < 1e-6, 1.0, np.where(d > rad, 0.0, w))
        out.append(w.astype(np.float32))
    return out


def warp(
    src: np.ndarray,
    flow: np.ndarray,
    mode: str,
    offset: bool,
    pad: bool,
    value: float,
    out_hw: tuple[int, int],
) -> np.ndarray:
    """image.c's warp: each destination pixel samples src at (y, x) + flow (flow[0] is y)."""
    c, sh, sw = src.shape
    h, w = out_hw
    ys, xs = np.meshgrid(
        np.arange(h, dtype=np.float32), np.arange(w, dtype=np.float32), indexing="ij"
    )
    iy = flow[0].astype(np.float32) + (ys if offset else 0)
    ix = flow[1].astype(np.float32) + (xs if offset else 0)
    off = (iy < 0) | (iy > sh - 1) | (ix < 0) | (ix > sw - 1)
    ix = np.clip(ix, 0, sw - 1)
    iy = np.clip(iy, 0, sh - 1)
    if mode == "simple":
        out = src[:, np.floor(iy + 0.5).astype(np.int64), np.floor(ix + 0.5).astype(np.int64)]
    elif mode == "bilinear":
        x0, y0 = np.floor(ix).astype(np.int64), np.floor(iy).astype(np.int64)
        x1, y1 = np.minimum(x0 + 1, sw - 1), np.minimum(y0 + 1, sh - 1)
        nw = (x0 + 1 - ix) * (y0 + 1 - iy)
        ne = (ix - x0) * (y0 + 1 - iy)
        sw_ = (x0 + 1 - ix) * (iy - y0)
        se = (ix - x0) * (iy - y0)
        out = src[:, y0, x0] * nw + src[:, y0, x1] * ne + src[:, y1, x0] * sw_ + src[:, y1, x1] * se
    elif mode == "bicubic":
        xp, yp = np.floor(ix).astype(np.int64), np.floor(iy).astype(np.int64)
        dx, dy = ix - xp, iy - yp
        rows = []
        for i in range(4):
            v = yp + i - 1
            ps = []
            for j in range(4):
                u = xp + j - 1
                inside = (v >= 0) & (v < sh) & (u >= 0) & (u < sw)
                val = src[:, np.clip(v, 0, sh - 1), np.clip(u, 0, sw - 1)]
                ps.append(np.where(inside, val, value))
            rows.append(_cubic(*ps, dx))
        out = _cubic(*rows, dy)
    elif mode == "lanczos":
        xp, yp = np.floor(ix).astype(np.int64), np.floor(iy).astype(np.int64)
        lu, lv = _lanczos_weights(ix, xp), _lanczos_weights(iy, yp)
        total = sum(a * b for a in lu for b in lv)
        out = np.zeros((c, h, w))
        for i, wu in enumerate(lu):
            u = np.clip(xp - 2 + i, 0, sw - 1)
            for j, wv in enumerate(lv):
                v = np.clip(yp - 2 + j, 0, sh - 1)
                out += src[:, v, u] * (wu * wv)
        out = out / total
    else:
        raise TorchError("Incorrect arguments (mode is not lanczos | bicubic | bilinear | simple)!")
    if pad:
        out = np.where(off[None], value, out)
    return out


def polar(
    src: np.ndarray, out_hw: tuple[int, int], full: bool, bilinear: bool, log: bool, double: bool
) -> np.ndarray:
    """image.c's polar and logPolar: row j of the result is the angle 2 pi j / height, column
    i the radius (m i / width, or exp(i log(m) / width)) from the image centre; pixels outside
    the image are 0; bilinear falls back to the nearest pixel at the border."""
    c, sh, sw = src.shape
    h, w = out_hw
    f32 = np.float32
    mid_y, mid_x = f32(sh) / f32(2), f32(sw) / f32(2)
    if full:
        m = f32(np.sqrt(f32(sw) * f32(sw) + f32(sh) * f32(sh)) / 2)
    else:
        m = mid_x if sw < sh else mid_y
    j = np.arange(h, dtype=f32)[:, None]
    i = np.arange(w, dtype=f32)[None, :]
    a = (2 * np.pi * j.astype(np.float64) / h).astype(f32)  # computed in double, kept in float
    if log:
        fw = f32(np.log(m) / f32(w))
        r = np.exp(i * fw).astype(f32)
    else:
        r = (m * i / f32(w)).astype(f32)
    # positions computed in double (C's cos of a float angle), then held in float by the
    # bilinear versions (in the tensor's own precision by polarBilinear on doubles)
    a64, r64 = a.astype(np.float64), r.astype(np.float64)
    rj = r64 * np.cos(a64) + float(mid_y)
    ri = -r64 * np.sin(a64) + float(mid_x)
    if bilinear and (log or not double):
        rj, ri = rj.astype(f32).astype(np.float64), ri.astype(f32).astype(np.float64)
    i0, j0 = np.floor(ri).astype(np.int64), np.floor(rj).astype(np.int64)
    inside = (i0 >= 0) & (j0 >= 0) & (i0 <= sw - 1) & (j0 <= sh - 1)
    near = src[:, np.clip(j0, 0, sh - 1), np.clip(i0, 0, sw - 1)]
    out = np.where(inside[None], near, 0.0)
    if bilinear:
        wi, wj = ri - i0, rj - j0
        full_ok = inside & (i0 + 1 <= sw - 1) & (j0 + 1 <= sh - 1)
        i1, j1 = np.clip(i0 + 1, 0, sw - 1), np.clip(j0 + 1, 0, sh - 1)
        ci0, cj0 = np.clip(i0, 0, sw - 1), np.clip(j0, 0, sh - 1)
        blend = (
            (1 - wi) * (1 - wj) * src[:, cj0, ci0]
            + wi * (1 - wj) * src[:, cj0, i1]
            + (1 - wi) * wj * src[:, j1, ci0]
            + wi * wj * src[:, j1, i1]
        )
        out = np.where(full_ok[None], blend, out)
    return out.astype(f32).astype(np.float64)  # the C code holds each value in a float


@functools.lru_cache(maxsize=256)
def _glyph(c: str) -> np.ndarray:
    """A character as a 8 x 6 mask (Pillow's default bitmap font: the cell is Torch's, the
    glyph shapes are Pillow's)."""
    Image = _pil()
    from PIL import ImageDraw, ImageFont

    try:
        font = ImageFont.load_default(size=8)
    except TypeError:  # Pillow before 10.1: the bitmap font has no sizes
        font = ImageFont.load_default()
    img = Image.new("L", (6, 8), 0)
    ImageDraw.Draw(img).text((0, -1), c, fill=255, font=font)
    return np.asarray(img) > 96


def _draw_text(
    out: np.ndarray, text: str, x: int, y: int, size: int, color: list, bg: list | None, wrap: bool
) -> None:
    """image.c's text layout: 6 x 8 cells scaled by size, '\n' starts a line at x, '\r' is
    skipped, with wrap a character that would reach the right edge starts a line at 0."""
    h, w = out.shape[1], out.shape[2]
    cx, cy = x, y
    for c in text:
        if c == "\n":
            cy += size * 8
            cx = x
            continue
        if c == "\r":
            continue
        if wrap and cx + size * 6 >= w:
            cx = 0
            cy += size * 8
        if not (cx >= w or cy >= h or cx + 6 * size - 1 < 0 or cy + 8 * size - 1 < 0):
            mask = np.kron(_glyph(c), np.ones((size, size), dtype=bool))
            region = np.zeros((h, w), dtype=bool)
            fill = np.zeros((h, w), dtype=bool)
            y0, x0 = max(cy, 0), max(cx, 0)
            y1, x1 = min(cy + 8 * size, h), min(cx + 6 * size, w)
            sub = mask[y0 - cy : y1 - cy, x0 - cx : x1 - cx]
            region[y0:y1, x0:x1] = sub
            fill[y0:y1, x0:x1] = ~sub
            for k in range(3):
                out[k][region] = color[k]
                if bg is not None:
                    out[k][fill] = bg[k]
        cx += size * 6


def exports(bindings: Any) -> dict[str, Callable[..., Any]]:
    """Functions for lua/image/more.lua."""
    wrap = bindings.wrap

    def colorspace(dst: Tensor, src: Tensor, which: str) -> None:
        a, scale = _read(src)
        if which in ("rgb2lab", "lab2rgb") and scale != 1.0:
            raise TorchError(f"image.{which}: not supported for torch.ByteTensor")
        chans = _CONVERSIONS[which](a[0] / scale, a[1] / scale, a[2] / scale)
        _store(dst, np.stack(chans) * scale)

    def warp_(
        dst: Tensor,
        src: Tensor,
        field: Tensor,
        mode: str,
        offset: bool,
        clamp: str,
        pad_value: float,
    ) -> None:
        a, _ = _read(src)
        flow = np.asarray(field.arr, dtype=np.float64)
        if flow.ndim != 3 or flow.shape[0] != 2:
            raise TorchError("image.warp: the flow field must be 2xHxW")
        out = warp(
            a,
            flow,
            mode,
            bool(offset),
            clamp == "pad",
            float(pad_value),
            (dst.size[1], dst.size[2]),
        )
        _store(dst, out)

    def draw_rect(out: Tensor, x1: int, y1: int, x2: int, y2: int, lw: int, color: Any) -> None:
        cols = [int(color[i]) for i in (1, 2, 3)]
        vals = cols if out.ttype not in _FLOAT else [c / 255.0 for c in cols]
        a = out.arr
        h, w = a.shape[1], a.shape[2]
        lo = lw // 2 + 1
        hi = lw - lo - 1
        x1l, y1l = max(0, x1 - lo), max(0, y1 - lo)
        x1u, y1u = min(w, x1 + hi + 1), min(h, y1 + hi + 1)
        x2l, y2l = max(0, x2 - lo), max(0, y2 - lo)
        x2u, y2u = min(w, x2 + hi + 1), min(h, y2 + hi + 1)
        for k in range(3):
            if y2u > y1l:
                a[k, y1l:y2u, x1l:x1u] = vals[k]
                a[k, y1l:y2u, x2l:x2u] = vals[k]
            if x2u > x1l:
                a[k, y1l:y1u, x1l:x2u] = vals[k]
                a[k, y2l:y2u, x1l:x2u] = vals[k]

    def compress(t: Tensor, fmt: str, quality: Any) -> Any:
        """The image encoded as a JPEG or PNG file, in a ByteTensor."""
        Image = _pil()
        a = np.asarray(t.arr, dtype=np.float64)
        if t.ttype in _FLOAT:  # saturated, times 255, truncated: as image.save
            a = np.floor(np.clip(a, 0.0, 1.0) * 255.0)
        a = np.clip(a, 0, 255).astype(np.uint8)
        if a.ndim == 3:
            a = a[0] if a.shape[0] == 1 else a.transpose(1, 2, 0)
        img = Image.fromarray(np.ascontiguousarray(a))
        buf = io.BytesIO()
        if fmt == "jpg":
            if img.mode in ("LA", "RGBA"):
                img = img.convert("RGB")
            img.save(buf, format="JPEG", quality=int(quality))
        else:
            img.save(buf, format="PNG")
        return wrap(tensor_from_array(np.frombuffer(buf.getvalue(), dtype=np.uint8), "Byte"))

    def decompress(t: Tensor, depth: Any, ttype: str) -> Any:
        Image = _pil()
        try:
            img = Image.open(io.BytesIO(np.ascontiguousarray(t.arr).tobytes()))
            img.load()
        except Exception:  # Pillow raises many kinds for undecodable data
            raise TorchError("image.decompress: not a JPEG or PNG image") from None
        if depth is None:
            depth = {"L": 1, "LA": 2, "RGBA": 4}.get(img.mode, 3)
        mode = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}[int(depth)]
        a = np.asarray(img.convert(mode), dtype=np.uint8)
        a = a[None] if a.ndim == 2 else a.transpose(2, 0, 1)
        return wrap(tensor_from_array(np.ascontiguousarray(a), ttype))

    def size(path: str) -> Any:
        Image = _pil()
        try:
            with Image.open(path) as img:
                depth = {"L": 1, "LA": 2, "RGBA": 4, "1": 1, "I;16": 1}.get(img.mode, 3)
                return depth, img.height, img.width
        except OSError as e:
            reason = e.strerror or "not an image file"
            raise TorchError(f"image.getSize: cannot read {path} ({reason})") from None

    def polar_(dst: Tensor, src: Tensor, full: bool, bilinear: bool, log: bool) -> None:
        if src.dim() not in (2, 3) or dst.dim() != src.dim():
            raise TorchError("image.polar: src and dst depths do not match")
        a, _ = _read(src)
        a3 = a[None] if a.ndim == 2 else a
        out = polar(
            a3,
            (dst.size[-2], dst.size[-1]),
            bool(full),
            bool(bilinear),
            bool(log),
            src.ttype == "Double",
        )
        _store(dst, out[0] if a.ndim == 2 else out)

    def draw_text(
        out: Tensor, text: str, x: int, y: int, size: int, color: Any, bg: Any, wrap: bool
    ) -> None:
        def rgb(c: Any) -> list:
            vals = [int(c[i]) for i in (1, 2, 3)]
            return vals if out.ttype not in _FLOAT else [v / 255.0 for v in vals]

        _draw_text(
            out.arr,
            text,
            int(x),
            int(y),
            int(size),
            rgb(color),
            None if bg is None else rgb(bg),
            bool(wrap),
        )

    return {
        "img_draw_text": draw_text,
        "img_polar": polar_,
        "img_colorspace": colorspace,
        "img_warp": warp_,
        "img_draw_rect": draw_rect,
        "img_compress": compress,
        "img_decompress": decompress,
        "img_size": size,
    }

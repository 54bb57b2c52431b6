"""Image files and resampling for the image Lua package (``torch._py.img_*``).

Reading and writing PNG/JPEG uses Pillow (optional: a clear error when it is missing); scaling is
numpy. Tensors are Torch's image layout, channels x height x width.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any

import numpy as np

from ..tensor.core import Tensor, TorchError, tensor_from_array


def _pil() -> Any:
    try:
        from PIL import Image
    except ImportError:
        raise TorchError(
            "image: reading and writing image files needs Pillow "
            "(pip install pillow, or luatorch[image])"
        ) from None
    return Image


@functools.lru_cache(maxsize=256)
def _linear_weights(src_len: int, dst_len: int) -> np.ndarray:
    """image.c's scaleLinear_rowcol as a (dst_len x src_len) matrix: linear interpolation with
    the end samples mapped onto each other when enlarging, area averaging when shrinking.
    Positions are computed in float32, as there."""
    w = np.zeros((dst_len, src_len))
    f32 = np.float32
    if dst_len == src_len:
        return np.eye(src_len)
    if dst_len > src_len:
        if src_len == 1:
            w[:, 0] = 1.0
            return w
        scale = f32(src_len - 1) / f32(dst_len - 1)
        for di in range(dst_len - 1):
            pos = f32(di) * scale
            si = int(pos)
            frac = float(pos - f32(si))
            w[di, si] += float(f32(1) - f32(frac))
            w[di, si + 1] += frac
        w[dst_len - 1, src_len - 1] = 1.0
        return w
    scale = f32(src_len) / f32(dst_len)
    si0, f0 = 0, f32(0)
    for di in range(dst_len):
        pos = f32(di + 1) * scale
        si1 = int(pos)
        f1 = pos - f32(si1)
        row = w[di]
        row[si0] += float(f32(1) - f0)
        n = f32(1) - f0
        for si in range(si0 + 1, si1):
            row[si] += 1.0
            n += f32(1)
        if si1 < src_len:
            row[si1] += float(f1)
            n += f1
        row /= float(n)
        si0, f0 = si1, f1
    return w


@functools.lru_cache(maxsize=256)
def _cubic_weights(src_len: int, dst_len: int) -> np.ndarray:
    """image.c's scaleCubic_rowcol as a matrix (Catmull-Rom, ends extrapolated linearly)."""
    w = np.zeros((dst_len, src_len))
    f32 = np.float32
    if dst_len == src_len:
        return np.eye(src_len)
    if src_len == 1:
        w[:, 0] = 1.0
        return w
    scale = f32(src_len - 1) if dst_len == 1 else f32(src_len - 1) / f32(dst_len - 1)
    for di in range(dst_len - 1):
        pos = f32(di) * scale
        si = int(pos)
        x = float(pos - f32(si))
        # value = p1 + x/2 (p2 - p0 + x (2p0 - 5p1 + 4p2 - p3 + x (3(p1 - p2) + p3 - p0)))
        c0 = 0.5 * x * (-1 + x * (2 - x))
        c1 = 1 + 0.5 * x * x * (-5 + 3 * x)
        c2 = 0.5 * x * (1 + x * (4 - 3 * x))
        c3 = 0.5 * x * x * (-1 + x)
        coeffs = {si: c1, si + 1: c2}
        if si > 0:
            coeffs[si - 1] = coeffs.get(si - 1, 0.0) + c0
        else:  # p0 = 2 p1 - p2
            coeffs[si] += 2 * c0
            coeffs[si + 1] -= c0
        if si + 2 < src_len:
            coeffs[si + 2] = coeffs.get(si + 2, 0.0) + c3
        else:  # p3 = 2 p2 - p1
            coeffs[si + 1] += 2 * c3
            coeffs[si] -= c3
        for k, c in coeffs.items():
            w[di, k] += c
    w[dst_len - 1, src_len - 1] = 1.0
    return w


def _resample_axis(a: np.ndarray, axis: int, n: int, mode: str) -> np.ndarray:
    """Resample one axis of a to n samples: 'simple' (nearest), 'bilinear' or 'bicubic'."""
    m = a.shape[axis]
    if n == m:
        return a
    if mode == "simple":
        idx = np.minimum((np.arange(n) * m) // n, m - 1)
        return np.take(a, idx, axis=axis)
    w = _cubic_weights(m, n) if mode == "bicubic" else _linear_weights(m, n)
    return np.moveaxis(np.tensordot(w, np.moveaxis(a, axis, 0), axes=(1, 0)), 0, axis)


def exports(bindings: Any) -> dict[str, Callable[..., Any]]:
    """Functions for lua/image."""
    wrap = bindings.wrap

    def load(path: str, depth: Any, ttype: str) -> Any:
        """An image file as a depth x h x w tensor of ttype, values 0..255."""
        Image = _pil()
        if not os.path.exists(path):
            raise TorchError(f"image.load: file {path} does not exist")
        try:
            img = Image.open(path)
            img.load()
        except Exception as e:  # Pillow raises many kinds for unreadable files
            raise TorchError(f"image.load: cannot read {path} ({e})") from None
        if depth is None:
            depth = {"L": 1, "LA": 2, "RGBA": 4, "P": 3}.get(img.mode, 3)
            if img.mode == "P" and "transparency" in img.info:
                depth = 4
        depth = int(depth)
        mode = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}.get(depth)
        if mode is None:
            raise TorchError("image.load: depth must be 1, 2, 3 or 4")
        a = np.asarray(img.convert(mode), dtype=np.uint8)
        a = a[None, :, :] if a.ndim == 2 else a.transpose(2, 0, 1)
        return wrap(tensor_from_array(np.ascontiguousarray(a), ttype))

    def save(path: str, t: Tensor, scale: Any) -> None:
        """Write a (c x) h x w tensor; float values are in 0..1 when scale is true."""
        Image = _pil()
        if not isinstance(t, Tensor) or t.dim() not in (2, 3):
            raise TorchError("image.save: expecting a 2D or 3D tensor")
        a = np.asarray(t.arr, dtype=np.float64)
        if scale:
            # as torch/image: saturate to [0, 1], times 255, and the C cast to a byte truncates
            a = np.floor(np.clip(a, 0.0, 1.0) * 255.0)
        a = np.clip(a, 0, 255).astype(np.uint8)
        if a.ndim == 3:
            if a.shape[0] == 1:
                a = a[0]
            elif a.shape[0] in (2, 3, 4):
                a = a.transpose(1, 2, 0)
            else:
                raise TorchError("image.save: a 3D tensor must have 1, 2, 3 or 4 channels")
        mode = (
            {2: "L", 3: "RGB"}.get(a.ndim)
            if a.ndim == 2
            else {2: "LA", 3: "RGB", 4: "RGBA"}[a.shape[2]]
        )
        img = Image.fromarray(np.ascontiguousarray(a), mode=mode)
        ext = os.path.splitext(path)[1].lower()
        if ext in (".jpg", ".jpeg") and img.mode in ("LA", "RGBA"):
            img = img.convert("RGB" if img.mode == "RGBA" else "L")
        try:
            img.save(path, quality=75) if ext in (".jpg", ".jpeg") else img.save(path)
        except (OSError, ValueError, KeyError) as e:
            raise TorchError(f"image.save: cannot write {path} ({e})") from None

    def scale(dst: Tensor, src: Tensor, mode: str) -> None:
        """Resample src into dst's height and width (both (c x) h x w): rows first, into a
        buffer of the tensor's own type (a byte image is rounded there too), then columns."""
        a = np.asarray(src.arr, dtype=np.float64)
        h, w = dst.size[-2], dst.size[-1]

        def stored(x: np.ndarray) -> np.ndarray:
            if dst.ttype == "Float":
                return x.astype(np.float32).astype(np.float64)
            if dst.ttype not in ("Double", "Float") and mode != "simple":
                return np.clip(np.floor(x + 0.5), 0, 255)
            return x

        tmp = stored(_resample_axis(a, a.ndim - 1, w, mode))
        dst.arr[...] = stored(_resample_axis(tmp, a.ndim - 2, h, mode))

    def rotate(dst: Tensor, src: Tensor, theta: float, mode: str) -> None:
        """Rotate src about its centre by theta radians into dst (as image.c: the source pixel
        of each destination pixel, corners outside the source are 0)."""
        if src.dim() not in (2, 3) or dst.dim() != src.dim():
            raise TorchError("rotate: src not 2 or 3 dimensional")
        a = np.asarray(src.arr, dtype=np.float64)
        a3 = a[None] if a.ndim == 2 else a
        h, w = a3.shape[1], a3.shape[2]
        xc, yc = (w - 1) / 2.0, (h - 1) / 2.0
        c, s = np.cos(theta), np.sin(theta)
        jd, id_ = np.meshgrid(
            np.arange(h, dtype=np.float64), np.arange(w, dtype=np.float64), indexing="ij"
        )
        rx = c * (id_ - xc) - s * (jd - yc)
        ry = c * (jd - yc) + s * (id_ - xc)
        if mode == "bilinear":
            i0 = np.floor(rx + xc).astype(np.int64)
            j0 = np.floor(ry + yc).astype(np.int64)
            wi, wj = rx + xc - i0, ry + yc - j0
            i1, j1 = i0 + 1, j0 + 1
            # on the border, take the nearest pixel instead of blending with the outside
            i1 = np.where((i1 == w) & (wi < 0.5), i0, i1)
            j1 = np.where((j1 == h) & (wj < 0.5), j0, j1)
            i0 = np.where((i0 == -1) & (wi > 0.5), i1, i0)
            j0 = np.where((j0 == -1) & (wj > 0.5), j1, j0)
            ok = (i0 >= 0) & (j0 >= 0) & (i1 < w) & (j1 < h)
            ci0, ci1 = np.clip(i0, 0, w - 1), np.clip(i1, 0, w - 1)
            cj0, cj1 = np.clip(j0, 0, h - 1), np.clip(j1, 0, h - 1)
            out = (
                a3[:, cj0, ci0] * ((1 - wi) * (1 - wj))
                + a3[:, cj0, ci1] * (wi * (1 - wj))
                + a3[:, cj1, ci0] * ((1 - wi) * wj)
                + a3[:, cj1, ci1] * (wi * wj)
            )
        else:
            # C's round(): halves away from zero
            ii = (np.sign(rx + xc) * np.floor(np.abs(rx + xc) + 0.5)).astype(np.int64)
            jj = (np.sign(ry + yc) * np.floor(np.abs(ry + yc) + 0.5)).astype(np.int64)
            ok = (ii >= 0) & (jj >= 0) & (ii < w) & (jj < h)
            out = a3[:, np.clip(jj, 0, h - 1), np.clip(ii, 0, w - 1)]
        out = np.where(ok[None], out, 0.0)
        if dst.ttype not in ("Double", "Float"):
            out = np.floor(out + 0.5)
        dst.arr[...] = out[0] if a.ndim == 2 else out

    def translate(dst: Tensor, src: Tensor, shiftx: int, shifty: int) -> None:
        """Copy src into dst shifted by (shiftx, shifty) pixels; what falls outside is cut."""
        a, d = src.arr, dst.arr
        h, w = a.shape[-2], a.shape[-1]
        dh, dw = d.shape[-2], d.shape[-1]
        x0, y0 = max(0, -shiftx), max(0, -shifty)
        x1, y1 = min(w, dw - shiftx), min(h, dh - shifty)
        if x1 > x0 and y1 > y0:
            d[..., y0 + shifty : y1 + shifty, x0 + shiftx : x1 + shiftx] = a[..., y0:y1, x0:x1]

    return {
        "img_load": load,
        "img_save": save,
        "img_scale": scale,
        "img_rotate": rotate,
        "img_translate": translate,
    }

"""TH's 2D correlation and convolution loops (lib/TH/generic/THTensorConv.c), bit for bit.

THNN's connection-table convolutions call three pointer functions of TH on one plane at a time:
``validXCorr2Dptr`` (a valid correlation added into an output plane), ``fullConv2Dptr`` (a full
convolution added into a larger plane) and ``validXCorr2DRevptr`` (the kernel gradient: the
correlation of an image with a gradient plane, scaled). Each has two branches: a scalar loop in
the tensor's type (``real sum`` over a window, or ``+= z * w`` one term at a time) and, for unit
column strides on wide enough rows, rows updated with THVector_(cadd), a fused multiply-add on
the AVX2 machines Torch7 runs on. Each changes the order and the rounding, so each is followed
here as TH runs it.

The functions work on stacks of planes (N, rows, cols), one kernel per plane, so that the
connections of a table that touch different planes run together; loops go over kernel offsets
(and, for the kernel gradient's fused branch, over gradient positions), never over elements.
"""

from __future__ import annotations

from itertools import product

import numpy as np

from ..tensor import accreal, libm
from ._grid import window_slices, windows


def _fma(a: np.ndarray, c: np.ndarray, acc: np.ndarray) -> np.ndarray:
    """a * c + acc rounded once (THVector_(cadd) with AVX2), in acc's type."""
    return libm.call("fmaf" if acc.dtype == np.float32 else "fma", a, c, acc)


def _rows(j: int, step: int, n: int) -> slice:
    return window_slices((j,), (step,), (1,), (n,))[0]


def valid_xcorr(r: np.ndarray, t: np.ndarray, k: np.ndarray, sr: int, sc: int) -> None:
    """validXCorr2Dptr with alpha 1, per plane: r (N, or, oc) += the valid correlation of t
    (N, ir, ic) with k (N, kr, kc) at strides (sr, sc)."""
    n, oh, ow = r.shape
    kr, kc = k.shape[1:]
    if sc != 1 or ow < 4:
        # a real sum over each window, row after row, then added to the output
        win = windows(t[None], (kr, kc), (sr, sc), (1, 1), (oh, ow))[0]
        prod = win * k[:, None, None]
        r += accreal.seq(prod.reshape(n, oh, ow, -1), -1, r.dtype)
        return
    # output rows updated by one fused multiply-add per kernel offset
    for ky, kx in product(range(kr), range(kc)):
        src = t[:, _rows(ky, sr, oh), kx : kx + ow]
        r[...] = _fma(src, k[:, ky, kx, None, None], r)


def full_conv(r: np.ndarray, t: np.ndarray, k: np.ndarray, sr: int, sc: int) -> None:
    """fullConv2Dptr with alpha 1, per plane: r (N, (ir-1)*sr + kr, (ic-1)*sc + kc) += the full
    convolution of t (N, ir, ic) with k (N, kr, kc)."""
    ir, ic = t.shape[1:]
    kr, kc = k.shape[1:]
    w = k[:, :, :, None, None]
    if sc != 1 or ic < 4:
        # THNN walks the input pixels and adds z * w to each output pixel the kernel covers:
        # an output pixel receives its terms with the kernel offsets in decreasing order
        for ky, kx in product(reversed(range(kr)), reversed(range(kc))):
            r[:, _rows(ky, sr, ir), _rows(kx, sc, ic)] += t * w[:, ky, kx]
        return
    # input rows after input rows, each spread with one fused multiply-add per kernel offset:
    # rows in decreasing kernel row order, columns in increasing order
    for ky in reversed(range(kr)):
        for kx in range(kc):
            dst = r[:, _rows(ky, sr, ir), kx : kx + ic]
            dst[...] = _fma(t, w[:, ky, kx], dst)


def valid_xcorr_rev(
    r: np.ndarray, t: np.ndarray, k: np.ndarray, sr: int, sc: int, alpha: np.generic
) -> None:
    """validXCorr2DRevptr called once per batch item: r (N, or, oc) += alpha * the correlation
    of the images t (B, N, ir, ic) with the gradient planes k (B, N, kr, kc), where
    or = ir - (kr - 1) * sr and oc = ic - (kc - 1) * sc; item after item, gradient position
    after gradient position (z = k * alpha in real, then r += z * t over the window)."""
    b, n, kr, kc = k.shape
    orr, oc = r.shape[1:]
    z = k * alpha
    win = windows(t, (orr, oc), (sr, sc), (1, 1), (kr, kc))  # (B, N, kr, kc, or, oc)
    if sc != 1 or kc < 4:
        terms = (z[..., None, None] * win).transpose(1, 0, 2, 3, 4, 5).reshape(n, -1, orr, oc)
        r[...] = accreal.seq(np.concatenate([r[:, None], terms], axis=1), 1, r.dtype)
        return
    # one fused multiply-add of a whole window per gradient position, in sequence
    steps = win.transpose(0, 2, 3, 1, 4, 5).reshape(b * kr * kc, n, orr, oc)
    zs = np.broadcast_to(z.transpose(0, 2, 3, 1)[..., None, None], (b, kr, kc, n, orr, oc))
    acc = np.ascontiguousarray(r)
    libm.fma_chain(acc, steps, zs.reshape(steps.shape))
    r[...] = acc

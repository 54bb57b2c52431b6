"""Element-wise transfer functions, forward and backward side by side.

Tanh:      y = tanh(x)               dx = dy * (1 - y^2)
Sigmoid:   y = 1 / (1 + exp(-x))     dx = dy * y * (1 - y)
Threshold: y = x if x > th else v    dx = dy if x > th else 0
"""

from __future__ import annotations

import numpy as np

from ..tensor import libm
from ..tensor.core import Tensor
from ..tensor.threadpool import MIN_WORK, parallel
from . import _native
from ._grid import scratch
from ._util import check_nelement, check_shape, resize_as


def Tanh_updateOutput(input: Tensor, output: Tensor) -> None:
    # THTensor_(tanh): the C library's tanhf / tanh
    libm.th("tanh", input.arr, out=resize_as(output, input))


def Tanh_updateGradInput(
    input: Tensor, gradOutput: Tensor, gradInput: Tensor, output: Tensor
) -> None:
    # THNN: gradOutput * (1. - z*z): z*z in real, the rest in double, stored as real
    check_shape(output, gradOutput, "output", "gradOutput")
    y = output.arr
    np.copyto(
        resize_as(gradInput, output),
        gradOutput.arr * (1.0 - (y * y).astype(np.float64)),
        casting="unsafe",
    )


def Sigmoid_updateOutput(input: Tensor, output: Tensor) -> None:
    # THTensor_(sigmoid): TH_sigmoid, 1 / (1 + exp(-x)) in real with the C library's exp
    out = resize_as(output, input)
    np.copyto(out, libm.sigmoid(input.arr), casting="unsafe")


def Sigmoid_updateGradInput(
    input: Tensor, gradOutput: Tensor, gradInput: Tensor, output: Tensor
) -> None:
    # THNN: gradOutput * (1. - z) * z, in double, stored as real
    check_nelement(output, gradOutput, "output", "gradOutput")
    y = output.arr.astype(np.float64)
    np.copyto(resize_as(gradInput, output), gradOutput.arr * (1.0 - y) * y, casting="unsafe")


def _split(fn, a: np.ndarray, op: int | None = None) -> None:
    """fn(lo, hi) over rows [lo, hi) of a's first axis on the kernel threads when a is large;
    one call over everything otherwise. op: elements per numpy call when fn loops over
    blocks (threadpool.parallel)."""
    if a.ndim == 0 or a.size < MIN_WORK * 2:
        fn(0, a.shape[0] if a.ndim else 1)
    else:
        parallel(fn, a.shape[0], a.size, op)


def Threshold_updateOutput(
    input: Tensor, output: Tensor, threshold: float, val: float, inplace: bool
) -> None:
    x = input.arr
    th, v = x.dtype.type(threshold), x.dtype.type(val)
    if inplace:
        # THNN: x <= threshold becomes val (NaN stays NaN)
        _split(lambda lo, hi: np.copyto(x[lo:hi], v, where=x[lo:hi] <= th), x)
        output.set(input.storage, input.offset, input.size, input.stride)
        return
    out = resize_as(output, input)
    if threshold == 0 and val == 0 and out.dtype == x.dtype and x.ndim:
        # ReLU: fmax maps NaN and -0 to +0 as x > 0 ? x : 0 does, 20x faster than np.where
        _split(lambda lo, hi: np.fmax(x[lo:hi], 0.0, out=out[lo:hi]), x)
    else:
        np.copyto(out, np.where(x > th, x, v), casting="unsafe")


def Threshold_updateGradInput(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    threshold: float,
    val: float,
    inplace: bool,
) -> None:
    check_nelement(input, gradOutput, "input", "gradOutput")
    x = input.arr
    g = gradOutput.arr
    th = x.dtype.type(threshold)
    if inplace:
        # THNN: gradOutput set to 0 where input <= threshold (kept where input is NaN)
        if g.shape != x.shape:
            g = g.reshape(x.shape)
        _split(lambda lo, hi: np.copyto(g[lo:hi], 0, where=x[lo:hi] <= th), g)
        gradInput.set(gradOutput.storage, gradOutput.offset, gradOutput.size, gradOutput.stride)
        return
    out = resize_as(gradInput, input)
    if g.shape != out.shape:
        g = g.reshape(out.shape)
    if out.ndim == 0:
        np.copyto(out, np.where(x > th, g, 0), casting="unsafe")
        return
    if x.dtype == out.dtype and _native.threshold_backward(x, g, out, th):
        return
    # the mask covers a block of rows at a time, per thread: a mask of the whole input kept a
    # byte per element alive (1.5 MB in LeNet's first layer)
    bits = _BITS.get(out.dtype) if g.dtype == out.dtype else None
    if bits is not None and all(a.flags.c_contiguous for a in (x, g, out)):
        # gradOutput's bits and-ed with all-ones or zeros: +0 where blocked, as THNN; a masked
        # copy is not vectorized (7x slower). Over blocks of elements: the masks stay small
        xf, gf, of = x.reshape(-1), g.reshape(-1).view(bits), out.reshape(-1).view(bits)

        def select(lo: int, hi: int) -> None:
            for e0 in range(lo, hi, _BITS_BLOCK):
                e1 = min(hi, e0 + _BITS_BLOCK)
                mask = scratch("threshold_mask", (e1 - e0,), np.bool_)
                np.greater(xf[e0:e1], th, out=mask)
                m = scratch("threshold_bits", (e1 - e0,), bits)
                np.negative(mask.view(np.int8), out=m, casting="unsafe")
                np.bitwise_and(gf[e0:e1], m, out=of[e0:e1])

        _split(select, xf, _BITS_BLOCK)
        return
    rows = max(1, _MASK_BLOCK // max(1, x[0].size))

    def part(lo: int, hi: int) -> None:
        for r0 in range(lo, hi, rows):
            r1 = min(hi, r0 + rows)
            mask = scratch("threshold_mask", (r1 - r0,) + x.shape[1:], np.bool_)
            # THNN: input > threshold ? gradOutput : 0, so a blocked negative gradient gives +0
            # (a product with the mask would give -0 and keep NaN)
            np.greater(x[r0:r1], th, out=mask)
            o = out[r0:r1]
            o[...] = 0
            np.copyto(o, g[r0:r1], where=mask, casting="unsafe")

    _split(part, out, rows * max(1, x[0].size))


# elements of the input per block of Threshold_updateGradInput's mask
_MASK_BLOCK = 1 << 17
# elements per block of the bit selection (its int64 mask: 128 KB per thread)
_BITS_BLOCK = 1 << 14
# integer views of the floating types, for selecting gradients by their bits
_BITS = {np.dtype(np.float64): np.dtype(np.int64), np.dtype(np.float32): np.dtype(np.int32)}

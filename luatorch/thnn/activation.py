"""Element-wise transfer functions, forward and backward side by side.

Tanh:      y = tanh(x)               dx = dy * (1 - y^2)
Sigmoid:   y = 1 / (1 + exp(-x))     dx = dy * y * (1 - y)
Threshold: y = x if x > th else v    dx = dy if x > th else 0
"""

from __future__ import annotations

import numpy as np

from ..tensor.core import Tensor
from ..threads import MIN_WORK, parallel
from ._grid import scratch
from ._util import resize_as


def Tanh_updateOutput(input: Tensor, output: Tensor) -> None:
    np.tanh(input.arr, out=resize_as(output, input))


def Tanh_updateGradInput(
    input: Tensor, gradOutput: Tensor, gradInput: Tensor, output: Tensor
) -> None:
    y = output.arr
    np.copyto(resize_as(gradInput, output), gradOutput.arr * (1 - y * y), casting="unsafe")


def Sigmoid_updateOutput(input: Tensor, output: Tensor) -> None:
    out = resize_as(output, input)
    with np.errstate(over="ignore"):
        np.copyto(out, 1.0 / (1.0 + np.exp(-input.arr)), casting="unsafe")


def Sigmoid_updateGradInput(
    input: Tensor, gradOutput: Tensor, gradInput: Tensor, output: Tensor
) -> None:
    y = output.arr
    np.copyto(resize_as(gradInput, output), gradOutput.arr * (1 - y) * y, casting="unsafe")


def _split(fn, a: np.ndarray) -> None:
    """fn(lo, hi) over rows [lo, hi) of a's first axis on the kernel threads when a is large;
    one call over everything otherwise."""
    if a.ndim == 0 or a.size < MIN_WORK * 2:
        fn(0, a.shape[0] if a.ndim else 1)
    else:
        parallel(fn, a.shape[0], a.size)


def Threshold_updateOutput(
    input: Tensor, output: Tensor, threshold: float, val: float, inplace: bool
) -> None:
    x = input.arr
    relu = threshold == 0 and val == 0
    if inplace:
        if relu:
            # ReLU: 20x faster than masked assignment; fmax maps NaN and -0 to 0 as x > 0 ? x : 0
            _split(lambda lo, hi: np.fmax(x[lo:hi], 0.0, out=x[lo:hi]), x)
        else:
            x[x <= threshold] = val
        output.set(input.storage, input.offset, input.size, input.stride)
        return
    out = resize_as(output, input)
    if relu and out.dtype == x.dtype and x.ndim:
        _split(lambda lo, hi: np.fmax(x[lo:hi], 0.0, out=out[lo:hi]), x)
    else:
        np.copyto(out, np.where(x > threshold, x, val), casting="unsafe")


def Threshold_updateGradInput(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    threshold: float,
    val: float,
    inplace: bool,
) -> None:
    x = input.arr
    g = gradOutput.arr
    if inplace:
        g *= x > threshold
        gradInput.set(gradOutput.storage, gradOutput.offset, gradOutput.size, gradOutput.stride)
        return
    out = resize_as(gradInput, input)
    if out.ndim == 0 or out.shape != g.shape:
        np.multiply(g, x > threshold, out=out, casting="unsafe")
        return
    mask = scratch("threshold_mask", x.shape, np.bool_)

    def part(lo: int, hi: int) -> None:
        # a reused mask: the product then runs on preallocated, page-faulted memory
        np.greater(x[lo:hi], threshold, out=mask[lo:hi])
        np.multiply(g[lo:hi], mask[lo:hi], out=out[lo:hi], casting="unsafe")

    _split(part, out)

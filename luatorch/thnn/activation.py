"""Element-wise transfer functions, forward and backward side by side.

Tanh:      y = tanh(x)               dx = dy * (1 - y^2)
Sigmoid:   y = 1 / (1 + exp(-x))     dx = dy * y * (1 - y)
Threshold: y = x if x > th else v    dx = dy if x > th else 0
"""

from __future__ import annotations

import numpy as np

from ..tensor.core import Tensor
from ._util import resize_as


def Tanh_updateOutput(input: Tensor, output: Tensor) -> None:
    np.tanh(input.arr, out=resize_as(output, input))


def Tanh_updateGradInput(input: Tensor, gradOutput: Tensor, gradInput: Tensor,
                         output: Tensor) -> None:
    y = output.arr
    np.copyto(resize_as(gradInput, output), gradOutput.arr * (1 - y * y), casting="unsafe")


def Sigmoid_updateOutput(input: Tensor, output: Tensor) -> None:
    out = resize_as(output, input)
    with np.errstate(over="ignore"):
        np.copyto(out, 1.0 / (1.0 + np.exp(-input.arr)), casting="unsafe")


def Sigmoid_updateGradInput(input: Tensor, gradOutput: Tensor, gradInput: Tensor,
                            output: Tensor) -> None:
    y = output.arr
    np.copyto(resize_as(gradInput, output), gradOutput.arr * (1 - y) * y, casting="unsafe")


def Threshold_updateOutput(input: Tensor, output: Tensor, threshold: float, val: float,
                           inplace: bool) -> None:
    x = input.arr
    if inplace:
        if threshold == 0 and val == 0:
            np.maximum(x, 0, out=x)  # ReLU: 20x faster than masked assignment on large maps
        else:
            x[x <= threshold] = val
        output.set(input.storage, input.offset, input.size, input.stride)
        return
    out = resize_as(output, input)
    if threshold == 0 and val == 0 and out.dtype == x.dtype:
        np.maximum(x, 0, out=out)
    else:
        np.copyto(out, np.where(x > threshold, x, val), casting="unsafe")


def Threshold_updateGradInput(input: Tensor, gradOutput: Tensor, gradInput: Tensor,
                              threshold: float, val: float, inplace: bool) -> None:
    x = input.arr
    if inplace:
        g = gradOutput.arr
        g *= x > threshold
        gradInput.set(gradOutput.storage, gradOutput.offset, gradOutput.size, gradOutput.stride)
        return
    out = resize_as(gradInput, input)
    np.multiply(gradOutput.arr, x > threshold, out=out, casting="unsafe")

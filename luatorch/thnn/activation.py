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
        x[x <= threshold] = val
        output.set(input.storage, input.offset, input.size, input.stride)
        return
    np.copyto(resize_as(output, input), np.where(x > threshold, x, val), casting="unsafe")


def Threshold_updateGradInput(input: Tensor, gradOutput: Tensor, gradInput: Tensor,
                              threshold: float, val: float, inplace: bool) -> None:
    x = input.arr
    if inplace:
        g = gradOutput.arr
        g[x <= threshold] = 0
        gradInput.set(gradOutput.storage, gradOutput.offset, gradOutput.size, gradOutput.stride)
        return
    np.copyto(resize_as(gradInput, input), np.where(x > threshold, gradOutput.arr, 0),
              casting="unsafe")

"""Fully connected layer.

Forward:  y = W x + b            (batch: Y = X W^T + b)
Backward: dx = W^T dy            (batch: dX = dY W)
          dW += scale * dy x^T   (batch: dW += scale * dY^T X),  db += scale * sum(dY)
"""

from __future__ import annotations

import numpy as np

from ..tensor.core import Tensor, TorchError
from ._util import resize_as, store, sz


def _check(input: Tensor, weight: Tensor) -> None:
    nd = input.dim()
    if nd == 1:
        if input.size[0] != weight.size[1]:
            raise TorchError(f"size mismatch, {sz(weight)}, {sz(input)}")
    elif nd == 2:
        if input.size[1] != weight.size[1]:
            raise TorchError(f"size mismatch, m1: {sz(input)}, m2: [{weight.size[1]} x "
                             f"{weight.size[0]}]")
    else:
        raise TorchError("input must be vector or matrix")


def Linear_updateOutput(input: Tensor, weight: Tensor, bias: Tensor | None,
                        output: Tensor) -> None:
    _check(input, weight)
    w = weight.arr
    if input.dim() == 1:
        value = w @ input.arr
    else:
        value = input.arr @ w.T
    if bias is not None:
        value += bias.arr
    store(output, value)


def Linear_updateGradInput(input: Tensor, gradOutput: Tensor, weight: Tensor,
                           gradInput: Tensor) -> None:
    _check(input, weight)
    g = gradOutput.arr
    out = resize_as(gradInput, input)
    if input.dim() == 1:
        np.copyto(out, weight.arr.T @ g, casting="unsafe")
    else:
        np.copyto(out, g @ weight.arr, casting="unsafe")


def Linear_accGradParameters(input: Tensor, gradOutput: Tensor, gradWeight: Tensor,
                             gradBias: Tensor | None, scale: float) -> None:
    g = gradOutput.arr
    x = input.arr
    gw = gradWeight.arr
    if input.dim() == 1:
        gw += scale * np.outer(g, x)
        if gradBias is not None:
            gradBias.arr[...] += scale * g
    else:
        gw += scale * (g.T @ x)
        if gradBias is not None:
            gradBias.arr[...] += scale * g.sum(0)

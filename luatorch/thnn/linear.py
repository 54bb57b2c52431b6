"""Fully connected layer.

Forward:  y = W x + b            (batch: Y = X W^T + b)
Backward: dx = W^T dy            (batch: dX = dY W)
          dW += scale * dy x^T   (batch: dW += scale * dY^T X),  db += scale * sum(dY)
"""

from __future__ import annotations

import numpy as np

from ..tensor.core import Tensor, TorchError
from ._util import resize_as, sz


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
        size = (w.shape[0],)
        x = input.arr
        if output.size != size:
            output.resize(size)
        out = output.arr
        if out.dtype == w.dtype and output.storage is not input.storage:
            np.matmul(w, x, out=out)
        else:
            np.copyto(out, w @ x, casting="unsafe")
    else:
        size = (input.size[0], w.shape[0])
        x = input.arr
        if output.size != size:
            output.resize(size)
        out = output.arr
        if out.dtype == w.dtype and output.storage is not input.storage:
            np.matmul(x, w.T, out=out)
        else:
            np.copyto(out, x @ w.T, casting="unsafe")
    if bias is not None:
        out += bias.arr


def Linear_updateGradInput(input: Tensor, gradOutput: Tensor, weight: Tensor,
                           gradInput: Tensor) -> None:
    _check(input, weight)
    g = gradOutput.arr
    out = resize_as(gradInput, input)
    w = weight.arr
    if input.dim() == 1:
        value = g @ w
    else:
        value = g @ w
    if out.shape != value.shape:
        raise TorchError(f"size mismatch, gradOutput: {sz(gradOutput)}, weight: {sz(weight)}")
    np.copyto(out, value, casting="unsafe")


def Linear_accGradParameters(input: Tensor, gradOutput: Tensor, gradWeight: Tensor,
                             gradBias: Tensor | None, scale: float) -> None:
    g = gradOutput.arr
    x = input.arr
    gw = gradWeight.arr
    if input.dim() == 1:
        step = np.multiply.outer(g, x)
        gb_step = g
    else:
        step = g.T @ x
        gb_step = g.sum(0)
    if scale != 1:
        step *= scale
        gb_step = gb_step * scale
    gw += step
    if gradBias is not None:
        gradBias.arr[...] += gb_step

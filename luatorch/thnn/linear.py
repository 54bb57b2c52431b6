"""Fully connected layer, computed as nn.Linear computes it in Torch7.

Forward:  y = W x + b            (batch: Y = X W^T + b)
Backward: dx = W^T dy            (batch: dX = dY W)
          dW += scale * dy x^T   (batch: dW += scale * dY^T X),  db += scale * sum(dY)

Torch's nn.Linear (Lua) does this with tensor methods, and the bits depend on which: a vector
goes through ``output:copy(bias):addmv(1, weight, input)`` (gemv 't', the bias already in y),
``gradInput:addmv(0, 1, weight:t(), gradOutput)`` (gemv 'n'), ``gradWeight:addr(scale, ...)``
(ger) and ``gradBias:add(scale, gradOutput)`` (axpy); a batch through ``addmm`` with beta 0 for
the output and gradInput, ``gradWeight:addmm(scale, gradOutput:t(), input)`` (gemm with beta 1,
which adds as it goes) and ``gradBias:addmv(scale, gradOutput:t(), addBuffer)`` (gemv 'n' against
a vector of ones). The kernels make the same BLAS calls (blas.py).
"""

from __future__ import annotations

import numpy as np

from ..tensor import blas
from ..tensor.core import Tensor, TorchError
from ._util import resize_as, sz


def _bad_input(input: Tensor, weight: Tensor) -> TorchError:
    nd = input.dim()
    if nd == 1:
        return TorchError(f"size mismatch, {sz(weight)}, {sz(input)}")
    if nd == 2:
        return TorchError(
            f"size mismatch, m1: {sz(input)}, m2: [{weight.size[1]} x {weight.size[0]}]"
        )
    return TorchError("input must be vector or matrix")


# dtype -> a vector of ones, grown as needed and never written: read-only operand of gemv
_ONES: dict[np.dtype, np.ndarray] = {}


def _ones(n: int, dtype: np.dtype) -> np.ndarray:
    """Torch's addBuffer: a vector of n ones (the Lua module keeps its own as a field).

    Every element is a one whatever was asked before: a reused scratch buffer tested by its
    first element kept the previous contents of the memory after it (a freed block starting
    with 1.0 made Linear's gradBias wrong)."""
    dtype = np.dtype(dtype)
    buf = _ONES.get(dtype)
    if buf is None or buf.shape[0] < n:
        buf = np.ones(max(n, 64), dtype)
        _ONES[dtype] = buf
    return buf[:n]


def Linear_updateOutput(input: Tensor, weight: Tensor, bias: Tensor | None, output: Tensor) -> None:
    size = input.size
    w = weight.arr
    nd = len(size)
    if nd == 1 and size[0] == w.shape[1]:
        osize = (w.shape[0],)
    elif nd == 2 and size[1] == w.shape[1]:
        osize = (size[0], w.shape[0])
    else:
        raise _bad_input(input, weight)
    if output.size != osize:
        output.resize(osize)
    if 0 in osize:
        return
    x = input.arr
    out = output.arr
    if nd == 1:
        # output:copy(bias) (or zero); output:addmv(1, weight, input)
        if bias is None:
            out[...] = 0
        else:
            np.copyto(out, bias.arr, casting="unsafe")
        blas.gemv(out, 1, w, x, 1)
        return
    # output:addmm(0, output, 1, input, weight:t()); output:addr(1, addBuffer, bias): ger with
    # alpha 1 against ones adds the bias exactly as a plain addition does
    blas.gemm(out, 1, x, w.T, 0)
    if bias is not None:
        out += bias.arr


def Linear_updateGradInput(
    input: Tensor, gradOutput: Tensor, weight: Tensor, gradInput: Tensor
) -> None:
    size = input.size
    w = weight.arr
    nd = len(size)
    if not ((nd == 1 and size[0] == w.shape[1]) or (nd == 2 and size[1] == w.shape[1])):
        raise _bad_input(input, weight)
    g = gradOutput.arr
    if g.ndim != nd or g.shape[-1] != w.shape[0] or (nd == 2 and g.shape[0] != size[0]):
        raise TorchError(f"size mismatch, gradOutput: {sz(gradOutput)}, weight: {sz(weight)}")
    out = resize_as(gradInput, input)
    if 0 in size:
        return
    if nd == 1:
        blas.gemv(out, 1, w.T, g, 0)  # gradInput:addmv(0, 1, weight:t(), gradOutput)
    else:
        blas.gemm(out, 1, g, w, 0)  # gradInput:addmm(0, 1, gradOutput, weight)


def Linear_accGradParameters(
    input: Tensor, gradOutput: Tensor, gradWeight: Tensor, gradBias: Tensor | None, scale: float
) -> None:
    g = gradOutput.arr
    x = input.arr
    gw = gradWeight.arr
    if x.ndim == 1:
        blas.ger(gw, scale, g, x)  # gradWeight:addr(scale, gradOutput, input)
        if gradBias is not None:
            gb = gradBias.arr
            if gb.flags.c_contiguous and g.flags.c_contiguous and gb.dtype == g.dtype:
                blas.axpy(gb, scale, g)  # gradBias:add(scale, gradOutput), in place
            else:
                gb += g * gb.dtype.type(scale)
        return
    blas.gemm(gw, scale, g.T, x, 1)  # gradWeight:addmm(scale, gradOutput:t(), input)
    if gradBias is not None:
        # gradBias:addmv(scale, gradOutput:t(), addBuffer)
        blas.gemv(gradBias.arr, scale, g.T, _ones(g.shape[0], g.dtype), 1)

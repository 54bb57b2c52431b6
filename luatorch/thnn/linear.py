"""Fully connected layer.

Forward:  y = W x + b            (batch: Y = X W^T + b)
Backward: dx = W^T dy            (batch: dX = dY W)
          dW += scale * dy x^T   (batch: dW += scale * dY^T X),  db += scale * sum(dY)

Vectors take a short path (nn.Linear on one sample is a per-call-overhead benchmark): the
``a.dot(b, out)`` method form costs a third of ``np.matmul(..., out=...)`` on tiny arrays, and
shapes are checked on the tensors' size tuples. Batches split their output columns over the
kernel threads.
"""

from __future__ import annotations

import numpy as np

from ..tensor.core import Tensor, TorchError
from ..threads import gemm_work, parallel
from ._grid import scratch
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
    b = None if bias is None else bias.arr
    if out.dtype != w.dtype or output.storage is input.storage or output.storage is weight.storage:
        np.copyto(out, x @ w.T if nd == 2 else w @ x, casting="unsafe")
        if b is not None:
            out += b
        return
    if nd == 1:
        try:
            w.dot(x, out)
        except ValueError:  # out not C-contiguous or of another type than the product
            np.copyto(out, w @ x, casting="unsafe")
        if b is not None:
            out += b
        return
    wT = w.T

    def part(lo: int, hi: int) -> None:
        # a block of output columns: each part packs only its own rows of W (splitting the
        # batch instead would repack all of W once per part)
        o = out[:, lo:hi]
        np.matmul(x, wT[:, lo:hi], out=o)
        if b is not None:
            o += b[lo:hi]

    parallel(part, osize[1], gemm_work(*osize, size[1]))


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
    if (
        out.dtype != w.dtype
        or gradInput.storage is gradOutput.storage
        or gradInput.storage is weight.storage
    ):
        np.copyto(out, g @ w, casting="unsafe")
        return
    if nd == 1:
        try:
            g.dot(w, out)
        except ValueError:
            np.copyto(out, g @ w, casting="unsafe")
        return
    # blocks of gradInput columns, for the same reason as the forward's
    parallel(
        lambda lo, hi: np.matmul(g, w[:, lo:hi], out=out[:, lo:hi]),
        size[1],
        gemm_work(size[0], size[1], w.shape[0]),
    )


def Linear_accGradParameters(
    input: Tensor, gradOutput: Tensor, gradWeight: Tensor, gradBias: Tensor | None, scale: float
) -> None:
    g = gradOutput.arr
    x = input.arr
    gw = gradWeight.arr
    if x.ndim == 1:
        # the outer product as a k=1 matrix product: 6x faster than np.multiply.outer here
        step = g.reshape(-1, 1).dot(x.reshape(1, -1))
        if scale != 1:
            step *= scale
        gw += step
        if gradBias is not None:
            gb = gradBias.arr
            gb += g if scale == 1 else g * scale
        return
    gT = g.T
    dtype = np.result_type(g, x)
    tmp = scratch("linear_gw", gw.shape, dtype)

    def part(lo: int, hi: int) -> None:
        # output rows [lo, hi) of dY^T X into a reused buffer (a fresh one would page-fault)
        t = tmp[lo:hi]
        np.matmul(gT[lo:hi], x, out=t)
        if scale != 1:
            t *= scale
        gw[lo:hi] += t

    parallel(part, gw.shape[0], gemm_work(gw.shape[0], x.shape[1], x.shape[0]))
    if gradBias is not None:
        gb = gradBias.arr
        step = g.sum(0)
        if scale != 1:
            step *= scale
        gb += step

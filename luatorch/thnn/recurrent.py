"""Whole-sequence recurrent layers (rnn's nn.SeqLSTM, nn.SeqLSTMP and nn.SeqGRU).

Shapes: x (T, N, D) time first; h0 (N, R); c0 (N, H); weight (D + R, G * H) holds the input
weights (first D rows) above the recurrent ones; bias (G * H). Gate columns, in order:

LSTM (G = 4): i, f, o (sigmoid), g (tanh)
    c(t) = f * c(t-1) + i * g        h(t) = o * tanh(c(t))   [SeqLSTMP: h(t) = that @ weightO]
GRU (G = 3):  r, u (sigmoid), hc (tanh)
    hc = tanh(x Wx_hc + b_hc + (r * h(t-1)) Wh_hc)        h(t) = (1 - u) * hc + u * h(t-1)

With maskzero, the samples whose input x[t] is all zeros get zero h, c and gates at that step.
The forward pass keeps the gate activations (and, for SeqLSTMP, the unprojected hidden states)
for the backward pass, which accumulates parameter gradients scaled by ``scale``.
"""

from __future__ import annotations

import numpy as np

from ..tensor import accreal, blas, libm
from ..tensor.core import Tensor


def _sigmoid(a: np.ndarray) -> np.ndarray:
    """Tensor:sigmoid() as TH computes it: 1 / (1 + exp(-x)) in real, the C library's exp."""
    return libm.sigmoid(a)


def _tanh(a: np.ndarray) -> np.ndarray:
    return libm.th("tanh", a)


def _zero_rows(x_t: np.ndarray) -> np.ndarray:
    """The samples of one step whose input is all zeros (rnn's L2-norm == 0 test)."""
    return np.sqrt(np.sum(x_t.astype(np.float64) ** 2, axis=1)) == 0


def _resized(t: Tensor, size: tuple[int, ...]) -> np.ndarray:
    if t.size != size or not t.is_contiguous():
        t.resize(size)
    return t.arr


def _add_scaled(y: np.ndarray, scale: float, x: np.ndarray) -> None:
    """y:add(scale, x) in place (TH: BLAS axpy; with scale 1 a plain addition)."""
    if scale == 1:
        y += x
    else:
        blas.axpy(y, scale, x)


# rnn's SeqLSTM is Lua code over tensor operations; the kernels below make the same calls in
# the same order (gates = bias copy, then two beta-1 gemms; TH's sigmoid and tanh; cmul and
# in-place adds; mm/addmm for the gradients; sum over the batch slice by slice), so the results
# are Torch7's bit for bit.


def SeqLSTM_updateOutput(
    x: Tensor,
    h0: Tensor,
    c0: Tensor,
    weight: Tensor,
    bias: Tensor,
    output: Tensor,
    cell: Tensor,
    gates: Tensor,
    maskzero: bool,
    weightO: Tensor | None = None,
    hidden: Tensor | None = None,
) -> None:
    xs = x.arr
    T, N, D = xs.shape
    w = weight.arr
    H = w.shape[1] // 4
    R = w.shape[0] - D
    wx, wh = w[:D], w[D:]
    b = bias.arr
    h = _resized(output, (T, N, R))
    c = _resized(cell, (T, N, H))
    g_all = _resized(gates, (T, N, 4 * H))
    hid = None if hidden is None else _resized(hidden, (T, N, H))
    h[...] = 0
    c[...] = 0
    g_all[...] = 0
    prev_h, prev_c = h0.arr, c0.arr
    for t in range(T):
        a = g_all[t]
        a[...] = b  # addmm(bias_expand, x, Wx): the expanded bias copied, then gemm beta 1
        blas.gemm(a, 1.0, xs[t], wx, 1.0)
        blas.gemm(a, 1.0, prev_h, wh, 1.0)
        a[:, : 3 * H] = _sigmoid(a[:, : 3 * H])
        a[:, 3 * H :] = _tanh(a[:, 3 * H :])
        i, f, o, g = a[:, :H], a[:, H : 2 * H], a[:, 2 * H : 3 * H], a[:, 3 * H :]
        next_h = hid[t] if hid is not None else h[t]
        next_c = c[t]
        np.multiply(i, g, out=next_h)
        np.multiply(f, prev_c, out=next_c)
        next_c += next_h
        np.multiply(_tanh(next_c), o, out=next_h)
        if hid is not None:
            # SeqLSTMP's adapter: the hidden state kept, the output its projection (mm)
            blas.gemm(h[t], 1.0, hid[t], weightO.arr, 0.0)
        if maskzero:
            z = _zero_rows(xs[t])
            h[t][z] = 0
            next_c[z] = 0
            a[z] = 0
        prev_h, prev_c = h[t], c[t]


def SeqLSTM_backward(
    x: Tensor,
    h0: Tensor,
    c0: Tensor,
    weight: Tensor,
    output: Tensor,
    cell: Tensor,
    gates: Tensor,
    gradOutput: Tensor,
    gradNextH: Tensor | None,
    gradNextC: Tensor | None,
    gradX: Tensor,
    gradH0: Tensor,
    gradC0: Tensor,
    gradWeight: Tensor,
    gradBias: Tensor,
    scale: float,
    maskGrad: bool,
    weightO: Tensor | None = None,
    gradWeightO: Tensor | None = None,
    hidden: Tensor | None = None,
) -> None:
    xs, go = x.arr, gradOutput.arr
    T, N, D = xs.shape
    w = weight.arr
    H = w.shape[1] // 4
    wx, wh = w[:D], w[D:]
    gw, gb = gradWeight.arr, gradBias.arr
    h, c, gates_all = output.arr, cell.arr, gates.arr
    h0a, c0a = h0.arr, c0.arr
    real = xs.dtype.type
    gx = _resized(gradX, xs.shape)
    gx[...] = 0
    grad_h = np.zeros(h0a.shape, xs.dtype)
    if gradNextH is not None:
        grad_h[...] = gradNextH.arr
    grad_c = np.zeros(c0a.shape, xs.dtype)
    if gradNextC is not None:
        grad_c[...] = gradNextC.arr
    grad_a = np.empty((N, 4 * H), xs.dtype)
    one = real(1)
    for t in range(T - 1, -1, -1):
        prev_h = h0a if t == 0 else h[t - 1]
        prev_c = c0a if t == 0 else c[t - 1]
        grad_h += go[t]
        if maskGrad:
            grad_h[_zero_rows(xs[t])] = 0
        if weightO is not None:
            # SeqLSTMP's gradAdapter
            blas.gemm(gradWeightO.arr, scale, hidden.arr[t].T, grad_h, 1.0)
            unprojected = np.empty((N, H), xs.dtype)
            blas.gemm(unprojected, 1.0, grad_h, weightO.arr.T, 0.0)
            grad_h = unprojected
        a = gates_all[t]
        i, f, o, g = a[:, :H], a[:, H : 2 * H], a[:, 2 * H : 3 * H], a[:, 3 * H :]
        tanh_c = _tanh(c[t])
        grad_c += (one - tanh_c * tanh_c) * o * grad_h
        grad_a[:, 2 * H : 3 * H] = (one - o) * o * tanh_c * grad_h
        grad_a[:, 3 * H :] = (one - g * g) * i * grad_c
        grad_a[:, :H] = (one - i) * i * g * grad_c
        grad_a[:, H : 2 * H] = (one - f) * f * prev_c * grad_c
        blas.gemm(gx[t], 1.0, grad_a, wx.T, 0.0)
        blas.gemm(gw[:D], scale, xs[t].T, grad_a, 1.0)
        blas.gemm(gw[D:], scale, prev_h.T, grad_a, 1.0)
        # sum(grad_a, 1): that dimension's stride is not 1, so TH adds row after row in real
        _add_scaled(gb, scale, accreal.sum_dim(grad_a, 0, False))
        grad_h = np.empty(h0a.shape, xs.dtype)
        blas.gemm(grad_h, 1.0, grad_a, wh.T, 0.0)
        grad_c *= f
    _resized(gradH0, grad_h.shape)[...] = grad_h
    _resized(gradC0, c0a.shape)[...] = grad_c


# rnn's SeqGRU, the same way: its tensor operations in its order (addcmul is
# t + (value * a) * b; addmm onto a zeroed buffer is a beta-1 gemm)


def SeqGRU_updateOutput(
    x: Tensor,
    h0: Tensor,
    weight: Tensor,
    bias: Tensor,
    output: Tensor,
    gates: Tensor,
    maskzero: bool,
) -> None:
    xs = x.arr
    T, N, D = xs.shape
    w = weight.arr
    H = w.shape[1] // 3
    wx, wh = w[:D], w[D:]
    b = bias.arr
    h = _resized(output, (T, N, H))
    g_all = _resized(gates, (T, N, 3 * H))
    h[...] = 0
    g_all[...] = 0
    prev_h = h0.arr
    for t in range(T):
        a = g_all[t]
        next_h = h[t]
        a[...] = b
        blas.gemm(a, 1.0, xs[t], wx, 1.0)
        blas.gemm(a[:, : 2 * H], 1.0, prev_h, wh[:, : 2 * H], 1.0)
        a[:, : 2 * H] = _sigmoid(a[:, : 2 * H])
        r, u = a[:, :H], a[:, H : 2 * H]
        np.multiply(r, prev_h, out=next_h)
        blas.gemm(a[:, 2 * H :], 1.0, next_h, wh[:, 2 * H :], 1.0)
        a[:, 2 * H :] = _tanh(a[:, 2 * H :])
        hc = a[:, 2 * H :]
        # next_h:addcmul(hc, -1, u, hc):addcmul(u, prev_h)
        np.add(hc, -u * hc, out=next_h)
        next_h += u * prev_h
        if maskzero:
            z = _zero_rows(xs[t])
            next_h[z] = 0
            a[z] = 0
        prev_h = next_h


def SeqGRU_backward(
    x: Tensor,
    h0: Tensor,
    weight: Tensor,
    output: Tensor,
    gates: Tensor,
    gradOutput: Tensor,
    gradNextH: Tensor | None,
    gradX: Tensor,
    gradH0: Tensor,
    gradWeight: Tensor,
    gradBias: Tensor,
    scale: float,
    maskzero: bool,
) -> None:
    xs, go = x.arr, gradOutput.arr
    T, N, D = xs.shape
    w = weight.arr
    H = w.shape[1] // 3
    wx, wh = w[:D], w[D:]
    gw, gb = gradWeight.arr, gradBias.arr
    h, gates_all, h0a = output.arr, gates.arr, h0.arr
    real = xs.dtype.type
    one = real(1)
    gx = _resized(gradX, xs.shape)
    gx[...] = 0
    grad_h = np.zeros(h0a.shape, xs.dtype)
    if gradNextH is not None:
        grad_h[...] = gradNextH.arr
    grad_a = np.empty((N, 3 * H), xs.dtype)
    temp = np.empty((N, H), xs.dtype)
    for t in range(T - 1, -1, -1):
        prev_h = h0a if t == 0 else h[t - 1]
        grad_h += go[t]
        if maskzero:
            grad_h[_zero_rows(xs[t])] = 0
        a = gates_all[t]
        r, u, hc = a[:, :H], a[:, H : 2 * H], a[:, 2 * H :]
        grad_ar, grad_au, grad_ahc = grad_a[:, :H], grad_a[:, H : 2 * H], grad_a[:, 2 * H :]
        np.add(grad_h, -u * grad_h, out=grad_au)  # grad_hc
        np.multiply(one + -hc * hc, grad_au, out=grad_ahc)
        grad_au[...] = 0
        blas.gemm(grad_au, 1.0, grad_ahc, wh[:, 2 * H :].T, 1.0)
        grad_au *= prev_h  # grad_r
        np.multiply((one - r) * r, grad_au, out=grad_ar)
        np.subtract(prev_h, hc, out=temp)
        np.multiply((one - u) * u * temp, grad_h, out=grad_au)
        blas.gemm(gx[t], 1.0, grad_a, wx.T, 0.0)
        blas.gemm(gw[:D], scale, xs[t].T, grad_a, 1.0)
        blas.gemm(gw[D:, : 2 * H], scale, prev_h.T, grad_a[:, : 2 * H], 1.0)
        _add_scaled(gb, scale, accreal.sum_dim(grad_a, 0, False))
        np.multiply(prev_h, r, out=temp)
        blas.gemm(gw[D:, 2 * H :], scale, temp.T, grad_ahc, 1.0)
        grad_h *= u
        blas.gemm(grad_h, 1.0, grad_a[:, : 2 * H], wh[:, : 2 * H].T, 1.0)
        temp[...] = 0
        blas.gemm(temp, 1.0, grad_ahc, wh[:, 2 * H :].T, 1.0)
        temp *= r
        grad_h += temp
    _resized(gradH0, h0a.shape)[...] = grad_h

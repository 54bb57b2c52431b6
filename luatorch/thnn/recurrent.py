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

from ..tensor.core import Tensor


def _sigmoid(a: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-a))


def _zero_rows(x_t: np.ndarray) -> np.ndarray:
    """The samples of one step whose input is all zeros (rnn's L2-norm == 0 test)."""
    return np.sqrt(np.sum(x_t.astype(np.float64) ** 2, axis=1)) == 0


def _resized(t: Tensor, size: tuple[int, ...]) -> np.ndarray:
    if t.size != size:
        t.resize(size)
    return t.arr


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
    prev_h, prev_c = h0.arr, c0.arr
    for t in range(T):
        a = b + xs[t] @ wx + prev_h @ wh
        a[:, : 3 * H] = _sigmoid(a[:, : 3 * H])
        a[:, 3 * H :] = np.tanh(a[:, 3 * H :])
        i, f, o, g = a[:, :H], a[:, H : 2 * H], a[:, 2 * H : 3 * H], a[:, 3 * H :]
        next_c = f * prev_c + i * g
        next_h = np.tanh(next_c) * o
        if weightO is not None:
            hid[t] = next_h
            next_h = next_h @ weightO.arr
        if maskzero:
            z = _zero_rows(xs[t])
            next_h[z] = 0
            next_c[z] = 0
            a[z] = 0
        g_all[t] = a
        c[t] = next_c
        h[t] = next_h
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
    gx = _resized(gradX, xs.shape)
    gx[...] = 0
    grad_h = np.zeros(h0a.shape) if gradNextH is None else gradNextH.arr.astype(np.float64)
    grad_c = np.zeros(c0a.shape) if gradNextC is None else gradNextC.arr.astype(np.float64)
    for t in range(T - 1, -1, -1):
        prev_h = h0a if t == 0 else h[t - 1]
        prev_c = c0a if t == 0 else c[t - 1]
        grad_h = grad_h + go[t]
        if maskGrad:
            grad_h[_zero_rows(xs[t])] = 0
        if weightO is not None:
            gradWeightO.arr[...] += scale * (hidden.arr[t].T @ grad_h)
            grad_h = grad_h @ weightO.arr.T
        a = gates_all[t]
        i, f, o, g = a[:, :H], a[:, H : 2 * H], a[:, 2 * H : 3 * H], a[:, 3 * H :]
        tanh_c = np.tanh(c[t])
        grad_c = grad_c + (1 - tanh_c * tanh_c) * o * grad_h
        grad_a = np.empty((N, 4 * H))
        grad_a[:, :H] = (1 - i) * i * g * grad_c
        grad_a[:, H : 2 * H] = (1 - f) * f * prev_c * grad_c
        grad_a[:, 2 * H : 3 * H] = (1 - o) * o * tanh_c * grad_h
        grad_a[:, 3 * H :] = (1 - g * g) * i * grad_c
        gx[t] = grad_a @ wx.T
        gw[:D] += scale * (xs[t].T @ grad_a)
        gw[D:] += scale * (prev_h.T @ grad_a)
        gb += scale * grad_a.sum(0)
        grad_h = grad_a @ wh.T
        grad_c = grad_c * f
    _resized(gradH0, h0a.shape)[...] = grad_h
    _resized(gradC0, c0a.shape)[...] = grad_c


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
    prev_h = h0.arr
    for t in range(T):
        a = b + xs[t] @ wx
        a[:, : 2 * H] += prev_h @ wh[:, : 2 * H]
        a[:, : 2 * H] = _sigmoid(a[:, : 2 * H])
        r, u = a[:, :H], a[:, H : 2 * H]
        a[:, 2 * H :] = np.tanh(a[:, 2 * H :] + (r * prev_h) @ wh[:, 2 * H :])
        hc = a[:, 2 * H :]
        next_h = hc - u * hc + u * prev_h
        if maskzero:
            z = _zero_rows(xs[t])
            next_h[z] = 0
            a[z] = 0
        g_all[t] = a
        h[t] = next_h
        prev_h = h[t]


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
    gx = _resized(gradX, xs.shape)
    gx[...] = 0
    grad_h = np.zeros(h0a.shape) if gradNextH is None else gradNextH.arr.astype(np.float64)
    for t in range(T - 1, -1, -1):
        prev_h = h0a if t == 0 else h[t - 1]
        grad_h = grad_h + go[t]
        if maskzero:
            grad_h[_zero_rows(xs[t])] = 0
        a = gates_all[t]
        r, u, hc = a[:, :H], a[:, H : 2 * H], a[:, 2 * H :]
        grad_a = np.empty((N, 3 * H))
        grad_ahc = (1 - hc * hc) * (grad_h - u * grad_h)
        grad_a[:, 2 * H :] = grad_ahc
        grad_r = (grad_ahc @ wh[:, 2 * H :].T) * prev_h
        grad_a[:, :H] = (1 - r) * r * grad_r
        grad_a[:, H : 2 * H] = (1 - u) * u * (prev_h - hc) * grad_h
        gx[t] = grad_a @ wx.T
        gw[:D] += scale * (xs[t].T @ grad_a)
        gw[D:, : 2 * H] += scale * (prev_h.T @ grad_a[:, : 2 * H])
        gb += scale * grad_a.sum(0)
        gw[D:, 2 * H :] += scale * ((prev_h * r).T @ grad_ahc)
        grad_h = (
            grad_h * u + grad_a[:, : 2 * H] @ wh[:, : 2 * H].T + (grad_ahc @ wh[:, 2 * H :].T) * r
        )
    _resized(gradH0, h0a.shape)[...] = grad_h

"""The convolution family's fast paths give the bits of the plain forms they replace: sums in
sequence read in place (seq_rows), the column sum-back by clipped offsets, non-overlapping
average pooling's single addition, ReLU's gradient selected by bits."""

from __future__ import annotations

from itertools import product

import numpy as np
import pytest

from luatorch.runtime import Runtime
from luatorch.tensor import libm
from luatorch.thnn import conv


@pytest.fixture(scope="module")
def lua() -> Runtime:
    return Runtime()  # installs the LuaJIT loops on this thread


@pytest.mark.parametrize(
    "acc,src", [(np.float64, np.float64), (np.float64, np.float32), (np.float32, np.float32)]
)
def test_seq_rows_adds_each_row_in_sequence(lua, acc, src):
    rng = np.random.default_rng(1)
    # a batch (B, C, M) read per feature: rows of (B, M) blocks, as BatchNormalization sums
    x = (rng.standard_normal((5, 3, 7)) * 10.0 ** rng.uniform(-8, 8, (5, 3, 7))).astype(src)
    rows = x.transpose(1, 0, 2)
    got = libm.seq_rows(rows, acc)
    want = np.add.accumulate(np.ascontiguousarray(rows).reshape(3, -1), axis=1, dtype=acc)[:, -1]
    assert got is not None and got.dtype == np.dtype(acc)
    assert got.tobytes() == want.tobytes()
    # numpy's own sum adds pairwise: these magnitudes make it differ from the sequence
    assert not np.array_equal(np.ascontiguousarray(rows).reshape(3, -1).sum(1, dtype=acc), want)


def test_seq_rows_refuses_what_it_cannot_read(lua):
    x = np.zeros((2, 3, 4))
    assert libm.seq_rows(x[:, :, ::2], np.float64) is None  # inner elements not contiguous
    assert libm.seq_rows(x.astype(np.int64), np.float64) is None


def col2im_by_padding(gc, S, k, d, p, dil, out):
    """The columns (B, C, *k, *out) summed back through a padded buffer, offsets in order."""
    B, C = gc.shape[:2]
    n = len(k)
    ext = tuple(
        max(S[i] + 2 * p[i], (out[i] - 1) * d[i] + dil[i] * (k[i] - 1) + 1) for i in range(n)
    )
    acc = np.zeros((B, C) + ext, gc.dtype)
    for j in product(*(range(v) for v in k)):
        sl = tuple(
            slice(j[i] * dil[i], j[i] * dil[i] + (out[i] - 1) * d[i] + 1, d[i]) for i in range(n)
        )
        acc[(slice(None), slice(None)) + sl] += gc[(slice(None), slice(None)) + j]
    return acc[(slice(None), slice(None)) + tuple(slice(p[i], p[i] + S[i]) for i in range(n))]


@pytest.mark.parametrize(
    "S,k,d,p,dil",
    [
        ((9, 8), (3, 3), (1, 1), (1, 1), (1, 1)),
        ((9, 8), (3, 2), (2, 3), (2, 1), (1, 1)),
        ((11, 10), (3, 3), (1, 2), (2, 0), (2, 3)),
        ((5, 6, 7), (2, 3, 2), (1, 2, 1), (1, 0, 1), (2, 1, 1)),
    ],
)
def test_conv_grad_input_sums_back_as_the_padded_form(S, k, d, p, dil, monkeypatch):
    monkeypatch.setattr(conv, "_COL2IM_LIMIT", 0)  # the offset loop, not the bincount table
    monkeypatch.setattr(conv, "_BINCOUNT_ROWS", 0)
    rng = np.random.default_rng(sum(S))
    n = len(S)
    out = tuple((S[i] + 2 * p[i] - (dil[i] * (k[i] - 1) + 1)) // d[i] + 1 for i in range(n))
    B, C, nout = 3, 2, 4
    K, L = int(np.prod(k)), int(np.prod(out))
    w2 = rng.standard_normal((nout, C * K))
    g3 = rng.standard_normal((B, nout, L)) * 10.0 ** rng.uniform(-6, 6, (B, nout, L))
    gcols3 = np.empty((B, C * K, L))
    gx = np.full((B, C) + S, np.nan)
    conv.conv_grad_input(g3, w2, C, S, k, d, p, dil, out, gcols3, gx)
    want = col2im_by_padding(gcols3.reshape((B, C) + k + out), S, k, d, p, dil, out)
    assert gx.tobytes() == np.ascontiguousarray(want).tobytes()
    # and the small problems' bincount table agrees
    monkeypatch.setattr(conv, "_COL2IM_LIMIT", 1 << 30)
    gx2 = np.full_like(gx, np.nan)
    conv.conv_grad_input(g3, w2, C, S, k, d, p, dil, out, gcols3, gx2)
    assert gx2.tobytes() == gx.tobytes()
    # and so does the short rows' bincount a chunk of frames, over chunks of 2 frames of 3
    # (the last one through the first frames' part of the table)
    monkeypatch.setattr(conv, "_COL2IM_LIMIT", 0)
    monkeypatch.setattr(conv, "_BINCOUNT_ROWS", 1 << 30)
    monkeypatch.setattr(conv, "_CHUNK", 1)
    monkeypatch.setattr(conv, "_MIN_OP", 2 * C * int(np.prod(S)))
    assert conv._chunks(B, C * K * L, C * int(np.prod(S))) == [(0, 2), (2, 3)]
    gx3 = np.full_like(gx, np.nan)
    conv.conv_grad_input(g3, w2, C, S, k, d, p, dil, out, gcols3, gx3)
    assert gx3.tobytes() == gx.tobytes()


def arr(rt: Runtime, expr: str) -> np.ndarray:
    t = rt.execute(f"return {expr}")[0]
    return rt.globals.torch._P[t].arr.copy()


def test_global_average_pooling_gradient(lua):
    # SpatialAveragePooling(6, 6) keeps dW = 1: one window per plane, each input element in
    # exactly one window, so THNN's zeroed gradInput plus one term (a -0 term gives +0)
    lua.execute(
        """
        require 'nn'
        torch.manualSeed(3)
        x = torch.randn(2, 3, 6, 6)
        pool = nn.SpatialAveragePooling(6, 6)
        y = pool:forward(x)
        g = torch.randn(y:size())
        g[1][1][1][1] = -0.0
        gi = pool:backward(x, g)
        """
    )
    g, gi = arr(lua, "g"), arr(lua, "gi")
    want = np.zeros((2, 3, 6, 6)) + (g / 36.0)
    assert gi.tobytes() == want.tobytes()
    assert np.signbit(gi[0, 0]).sum() == 0


@pytest.mark.parametrize("ttype", ["Double", "Float"])
def test_relu_gradient_selects_by_bits(lua, ttype):
    # THNN: input > 0 ? gradOutput : 0 -- a blocked -0 or NaN gradient gives +0
    lua.execute(
        f"""
        require 'nn'
        torch.manualSeed(4)
        x = torch.randn(3, 5, 7):type('torch.{ttype}Tensor')
        x[1][1][1], x[1][1][2], x[1][1][3] = -1, -1, 0
        gr = torch.randn(3, 5, 7):type('torch.{ttype}Tensor')
        gr[1][1][1], gr[1][1][2], gr[1][1][4] = 0 / 0, -0.0, 0 / 0
        x[1][1][4] = 2
        relu = nn.ReLU():type('torch.{ttype}Tensor')
        relu:forward(x)
        rgi = relu:backward(x, gr)
        """
    )
    x, g, gi = arr(lua, "x"), arr(lua, "gr"), arr(lua, "rgi")
    want = np.where(x > 0, g, np.zeros_like(g))
    assert gi.tobytes() == want.tobytes()
    assert np.isnan(gi[0, 0, 3]) and gi[0, 0, 0] == 0 and not np.signbit(gi[0, 0, 1])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("n,threshold", [(600_001, 0.0), (1_003, 0.25), (5, -0.5)])
def test_threshold_gradient_native_and_numpy_paths_agree(lua, dtype, n, threshold):
    # the native kernel (contiguous arrays, split over the threads from 2 * MIN_WORK elements)
    # against THNN's rule element by element; NaN inputs block, NaN and -0 gradients pass
    from luatorch.tensor.core import Storage, Tensor
    from luatorch.thnn import activation

    def tensor(a: np.ndarray, step: int = 1) -> Tensor:
        data = np.zeros(a.size * step, a.dtype)
        data[::step] = a
        return Tensor(ttype, Storage(ttype, data=data), 0, (a.size,), (step,))

    ttype = "Double" if dtype == np.float64 else "Float"
    rng = np.random.default_rng(n)
    x = rng.standard_normal(n).astype(dtype)
    g = rng.standard_normal(n).astype(dtype)
    x[::97], x[1::89], x[2::83] = np.nan, threshold, -0.0
    g[::7], g[3::11] = -0.0, np.nan
    want = np.array(
        [gv if xv > dtype(threshold) else dtype(0) for xv, gv in zip(x, g, strict=True)], dtype
    )
    gi = Tensor(ttype)
    activation.Threshold_updateGradInput(tensor(x), tensor(g), gi, threshold, 0, False)
    assert gi.arr.tobytes() == want.tobytes()
    # a strided gradOutput takes the numpy path: the same bits
    gi2 = Tensor(ttype)
    activation.Threshold_updateGradInput(tensor(x), tensor(g, 2), gi2, threshold, 0, False)
    assert gi2.arr.tobytes() == want.tobytes()

"""The native max pooling and col2im loops (scripts/native/spatial.c, thnn/_native.py): THNN's
results bit for bit (against loops written as THNN's and against real Torch7's stored output),
and no scratch beyond the modules' own buffers."""

from __future__ import annotations

import threading
import tracemalloc

import numpy as np
import pytest

from luatorch.runtime import Runtime
from luatorch.tensor import native
from luatorch.tensor.core import Tensor
from luatorch.thnn import _native, conv, pool

pytestmark = pytest.mark.skipif(
    native.code() is None, reason="the native blob runs on Linux x86-64 with AVX2 and FMA only"
)

# THNN's -THInf for each type
LOWEST = {np.float64: -np.finfo(np.float64).max, np.float32: -np.finfo(np.float32).max}


def _special(shape: tuple[int, ...], dtype, seed: int) -> np.ndarray:
    """Small integers (many ties) with NaN, -inf and +inf among them."""
    rng = np.random.default_rng(seed)
    x = rng.integers(-3, 4, shape).astype(dtype)
    r = rng.random(shape)
    x[r < 0.05] = np.nan
    x[(r > 0.95) & (r < 0.98)] = -np.inf
    x[r >= 0.98] = np.inf
    return x


def _thnn_maxpool(x, k, d, p, dil, out):
    """SpatialDilatedMaxPooling_updateOutput_frame, loop for loop (Python floats in the
    array's type: comparisons only)."""
    B, C, H, W = x.shape
    val = np.empty((B, C) + out, dtype=x.dtype)
    idx = np.empty((B, C) + out, dtype=np.int64)
    for b in range(B):
        for c in range(C):
            for i in range(out[0]):
                for j in range(out[1]):
                    hs, ws = i * d[0] - p[0], j * d[1] - p[1]
                    he = min(hs + (k[0] - 1) * dil[0] + 1, H)
                    we = min(ws + (k[1] - 1) * dil[1] + 1, W)
                    while hs < 0:
                        hs += dil[0]
                    while ws < 0:
                        ws += dil[1]
                    best, at = x.dtype.type(LOWEST[x.dtype.type]), -1
                    for y in range(hs, he, dil[0]):
                        for xx in range(ws, we, dil[1]):
                            v = x[b, c, y, xx]
                            if v > best:
                                best, at = v, y * W + xx
                    val[b, c, i, j], idx[b, c, i, j] = best, at + 1
    return val, idx


def _thnn_maxpool_back(g, idx, shape):
    gx = np.zeros(shape, dtype=g.dtype)
    flat = gx.reshape(shape[0], shape[1], -1)
    for b in range(g.shape[0]):
        for c in range(g.shape[1]):
            for o, i in zip(g[b, c].reshape(-1), idx[b, c].reshape(-1), strict=True):
                if i != 0:
                    flat[b, c, i - 1] += o  # in the array's type, in output order
    return gx


def _thnn_col2im(gcols, C, S, k, d, p, dil, out):
    """im2col.h's col2im: per channel, kernel offsets in order, onto a zeroed image."""
    B = gcols.shape[0]
    gx = np.zeros((B, C) + S, dtype=gcols.dtype)
    cols = gcols.reshape((B, C) + k + out)
    for b in range(B):
        for c in range(C):
            for kh in range(k[0]):
                for kw in range(k[1]):
                    for y in range(out[0]):
                        iy = y * d[0] - p[0] + kh * dil[0]
                        if not 0 <= iy < S[0]:
                            continue
                        for xx in range(out[1]):
                            ix = xx * d[1] - p[1] + kw * dil[1]
                            if 0 <= ix < S[1]:
                                gx[b, c, iy, ix] += cols[b, c, kh, kw, y, xx]
    return gx


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


POOLS = [  # k, d, p, dil, input size
    ((2, 2), (2, 2), (0, 0), (1, 1), (13, 11)),  # the vector rows, an odd edge
    ((2, 2), (2, 2), (0, 0), (1, 1), (8, 16)),
    ((3, 3), (2, 2), (1, 1), (1, 1), (9, 7)),
    ((3, 2), (1, 2), (1, 0), (2, 1), (10, 9)),
    ((2, 3), (3, 1), (0, 1), (2, 2), (11, 12)),
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("geometry", POOLS)
def test_max_pooling_is_thnns_loop(dtype, geometry) -> None:
    k, d, p, dil, S = geometry
    x = _special((2, 3) + S, dtype, sum(S))
    out = tuple((S[i] + 2 * p[i] - dil[i] * (k[i] - 1) - 1) // d[i] + 1 for i in range(2))
    val = np.full((2, 3) + out, 7, dtype=dtype)
    idx = np.full((2, 3) + out, 7, dtype=np.int64)
    assert _native.maxpool2d_forward(x, val, idx, k, d, p, dil, out)
    want_val, want_idx = _thnn_maxpool(x, k, d, p, dil, out)
    assert _same(val, want_val) and _same(idx, want_idx)
    g = np.random.default_rng(1).standard_normal(val.shape).astype(dtype)
    gx = np.full(x.shape, 7, dtype=dtype)
    assert _native.maxpool2d_backward(g, idx, gx)
    assert _same(gx, _thnn_maxpool_back(g, idx, x.shape))


def test_max_pooling_refuses_an_index_outside_its_plane() -> None:
    g = np.ones((1, 2, 2, 2))
    idx = np.ones((1, 2, 2, 2), dtype=np.int64)
    idx[0, 1, 1, 1] = 17  # a plane of 16 cells
    gx = np.zeros((1, 2, 4, 4))
    assert not _native.maxpool2d_backward(g, idx, gx)
    idx[0, 1, 1, 1] = -1
    assert not _native.maxpool2d_backward(g, idx, gx)
    idx[0, 1, 1, 1] = 16
    assert _native.maxpool2d_backward(g, idx, gx)
    assert gx[0, 1, 3, 3] == 1 and gx[0, 1, 0, 0] == 3  # three outputs chose cell 1


def test_max_pooling_takes_only_contiguous_arrays() -> None:
    x = np.zeros((1, 2, 4, 8))[..., ::2]
    val, idx = np.empty((1, 2, 2, 2)), np.empty((1, 2, 2, 2), dtype=np.int64)
    assert not _native.maxpool2d_forward(x, val, idx, (2, 2), (2, 2), (0, 0), (1, 1), (2, 2))


CONVS = [  # C, k, d, p, dil, input size
    (3, (5, 5), (1, 1), (0, 0), (1, 1), (12, 10)),
    (2, (3, 3), (2, 2), (1, 1), (1, 1), (9, 8)),
    (2, (3, 2), (1, 2), (2, 1), (1, 1), (7, 9)),
    (2, (3, 3), (1, 1), (1, 2), (2, 1), (10, 9)),
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("geometry", CONVS)
def test_col2im_is_thnns_loop(dtype, geometry) -> None:
    C, k, d, p, dil, S = geometry
    out = tuple((S[i] + 2 * p[i] - dil[i] * (k[i] - 1) - 1) // d[i] + 1 for i in range(2))
    B = 3
    rng = np.random.default_rng(2)
    gcols = rng.standard_normal((B, C * k[0] * k[1], out[0] * out[1])).astype(dtype)
    gcols[0, 0, 0] = -0.0  # +0 first: a lone -0 term sums to +0, as after THTensor_zero
    gx = np.full((B, C) + S, 7, dtype=dtype)
    run = _native.col2im_planes(gcols, gx, C, k, d, p, dil, out)
    assert run is not None
    run(0, 2)
    run(2, 3)
    assert _same(gx, _thnn_col2im(gcols, C, S, k, d, p, dil, out))


# real Torch7 (../ref/th-plain, the reference build) on this script: a hash of every bit of
# max pooling's outputs, indices and gradients (ties, NaN, infinities, ceil mode) and of
# convolutions' outputs and gradients
TORCH7_SCRIPT = r"""
local ffi = require 'ffi'
local function h(t)
   local s = torch.DoubleTensor(t:nElement()):copy(t:contiguous():view(-1))
   local u = ffi.cast('uint32_t*', s:data())
   local a = 0
   for i = 0, 2 * s:nElement() - 1 do a = (a * 31 + u[i]) % 2147483647 end
   return a
end
local function fill(t, seed)
   local v = t:view(-1)
   for i = 1, v:nElement() do
      local k = i * 7919 + seed
      local val = (k % 7) - 3
      if k % 19 == 0 then val = 0/0 elseif k % 23 == 0 then val = -math.huge
      elseif k % 29 == 0 then val = math.huge end
      v[i] = val
   end
   return t
end
local lines = {}
for _, tp in ipairs{'torch.DoubleTensor', 'torch.FloatTensor'} do
   for _, sz in ipairs{{8, 6, 28, 28}, {3, 4, 17, 23}, {2, 3, 9, 2}} do
      local x = fill(torch.DoubleTensor(unpack(sz)), 3):type(tp)
      for _, ceil in ipairs{false, true} do
         local m = nn.SpatialMaxPooling(2, 2, 2, 2)
         if ceil then m:ceil() end
         m:type(tp)
         local y = m:forward(x)
         local g = torch.DoubleTensor(y:size())
         for i = 1, g:nElement() do g:view(-1)[i] = (i % 13) * 0.25 - 1.5 end
         local gi = m:backward(x, g:type(tp))
         lines[#lines + 1] = table.concat({h(y), h(m.indices:double()), h(gi)}, ' ')
      end
   end
   local m = nn.SpatialDilatedMaxPooling(3, 2, 1, 2, 1, 0, 2, 1):type(tp)
   local x = fill(torch.DoubleTensor(2, 3, 10, 9), 5):type(tp)
   local y = m:forward(x)
   local gi = m:backward(x, fill(torch.DoubleTensor(y:size()), 1):type(tp))
   lines[#lines + 1] = table.concat({h(y), h(m.indices:double()), h(gi)}, ' ')
   local convs = {{3, 8, 5, 5, 1, 1, 0, 0}, {4, 6, 3, 3, 2, 2, 1, 1}, {2, 3, 3, 2, 1, 2, 2, 1}}
   for _, c in ipairs(convs) do
      local m = nn.SpatialConvolution(unpack(c)):type(tp)
      m.weight:copy(fill(torch.DoubleTensor(m.weight:size()), 2):clamp(-3, 3))
      m.bias:fill(0.5)
      local x = fill(torch.DoubleTensor(3, c[1], 12, 10), 4):clamp(-3, 3):type(tp)
      local y = m:forward(x)
      local gi = m:backward(x, fill(torch.DoubleTensor(y:size()), 6):clamp(-3, 3):type(tp) * 0.37)
      lines[#lines + 1] = table.concat({h(y), h(gi), h(m.gradWeight)}, ' ')
   end
end
return table.concat(lines, '\n')
"""

TORCH7_OUT = """\
601701483 1663535362 734918625
601701483 1663535362 734918625
958161327 865511936 739648377
386934796 1317369901 818296583
465968155 2097235797 1288855392
1166675258 620920360 1161377487
1247735197 160150295 1096779895
1643407289 29368013 1239139616
1030837243 679014597 314917826
1298260357 211732864 1693384429
601701483 1663535362 734918625
601701483 1663535362 734918625
958161327 865511936 739648377
938668917 1317369901 818296583
465968155 2097235797 1288855392
1166675258 620920360 1161377487
1247735197 160150295 1096779895
1643407289 441694644 1239139616
1030837243 1367212931 314917826
1298260357 322636972 1693384429
"""


def test_pooling_and_convolution_bits_are_torch7s() -> None:
    rt = Runtime(write=lambda s: None)
    rt.execute("require 'nn'")
    (got,) = rt.execute(TORCH7_SCRIPT)
    assert got.split("\n") == TORCH7_OUT.strip().split("\n")


def _extra_bytes(fn) -> tuple[int, int]:
    """(peak bytes fn allocates beyond its start, bytes it leaves allocated), on a fresh
    thread (kernels' per-thread scratch starts empty there)."""
    out: list[tuple[int, int]] = []

    def run() -> None:
        tracemalloc.start()
        try:
            base = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
            fn()
            cur, peak = tracemalloc.get_traced_memory()
            out.append((peak - base, cur - base))
        finally:
            tracemalloc.stop()

    th = threading.Thread(target=run)
    th.start()
    th.join(120)
    return out[0]


def _tensor(a: np.ndarray, ttype: str = "Double") -> Tensor:
    t = Tensor(ttype)
    t.resize(a.shape)
    t.arr[...] = a
    return t


def test_lenet_pooling_and_col2im_keep_no_scratch() -> None:
    """LeNet's first pooling (c_lenet_train) forward and backward, and its second
    convolution's gradInput, once their buffers exist: no temporaries beyond a few dozen KB and
    nothing kept (the numpy paths kept 1.3 MB of pooling scratch and 1.1 MB of col2im tables,
    and made up to 3 MB of temporaries a call)."""
    rng = np.random.default_rng(0)
    x = _tensor(rng.standard_normal((64, 32, 28, 28)))
    out, idx, gi = Tensor("Double"), Tensor("Long"), Tensor("Double")
    pool.SpatialMaxPooling_updateOutput(x, out, idx, 2, 2, 2, 2, 0, 0, False)
    g = _tensor(rng.standard_normal(out.arr.shape))
    pool.SpatialMaxPooling_updateGradInput(x, g, gi, idx, 2, 2, 2, 2, 0, 0, False)

    def step() -> None:
        pool.SpatialMaxPooling_updateOutput(x, out, idx, 2, 2, 2, 2, 0, 0, False)
        pool.SpatialMaxPooling_updateGradInput(x, g, gi, idx, 2, 2, 2, 2, 0, 0, False)

    peak, kept = _extra_bytes(step)
    assert peak < 64 * 1024 and kept < 64 * 1024
    want = x.arr.reshape(64, 32, 14, 2, 14, 2).max(axis=(3, 5))
    assert np.array_equal(out.arr, want)

    xc = _tensor(rng.standard_normal((64, 32, 14, 14)))
    w = _tensor(rng.standard_normal((64, 32 * 25)))
    gc = _tensor(rng.standard_normal((64, 64, 10, 10)))
    gic, finput, fgi = Tensor("Double"), Tensor("Double"), Tensor("Double")
    args = (xc, gc, gic, w, finput, fgi, 5, 5, 1, 1, 0, 0)
    conv.SpatialConvolutionMM_updateGradInput(*args)
    first = gic.arr.copy()
    peak, kept = _extra_bytes(lambda: conv.SpatialConvolutionMM_updateGradInput(*args))
    assert peak < 64 * 1024 and kept < 64 * 1024
    assert np.array_equal(gic.arr, first)

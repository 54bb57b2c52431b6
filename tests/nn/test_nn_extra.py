"""The less common modules of modules_extra.lua: finite-difference gradients (batch and
non-batch, Double and Float), forward results against numpy references written from Torch's
definitions, Torch's RNG use (parameter init, nn.tables.random, fractional pooling samples),
printing and clean errors."""

from __future__ import annotations

import math
import sys
from itertools import product
from pathlib import Path

import numpy as np
import pytest

from luatorch.runtime import LuaError, Runtime

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from nn_gradcheck import check_module  # noqa: E402


@pytest.fixture(scope="module")
def rt() -> Runtime:
    r = Runtime(write=lambda s: None)
    r.execute("require 'nn'")
    return r


def arr(rt: Runtime, expr: str) -> np.ndarray:
    """A copy of the tensor the Lua expression gives, as a numpy array."""
    t = rt.execute(f"return {expr}")[0]
    return rt.globals.torch._P[t].arr.copy()


def put(rt: Runtime, name: str, a: np.ndarray) -> None:
    """Set the Lua global `name` to a DoubleTensor holding a."""
    rt.execute(f"{name} = torch.Tensor({', '.join(map(str, a.shape))})")
    rt.globals.torch._P[rt.globals[name]].arr[...] = a


# --------------------------------------------------------------------------- gradients

GRADIENT_CASES = [
    ("nn.SpatialLogSoftMax()", (3, 4, 5)),
    ("nn.SpatialLogSoftMax()", (2, 3, 4, 2)),
    ("nn.SpatialSubSampling(2, 2, 3, 1, 2)", (2, 7, 6)),
    ("nn.SpatialSubSampling(3, 3, 2, 2, 1)", (2, 3, 6, 5)),
    ("nn.SpatialConvolutionMap(nn.tables.random(4, 3, 2), 3, 2, 2, 1)", (4, 6, 7)),
    ("nn.SpatialConvolutionMap(nn.tables.full(2, 3), 2, 2)", (2, 2, 5, 4)),
    ("nn.SpatialConvolutionMap(nn.tables.oneToOne(3), 3, 3, 2, 2)", (2, 3, 7, 7)),
    ("nn.SpatialFullConvolutionMap(nn.tables.random(3, 2, 2), 2, 3, 2, 1)", (3, 4, 3)),
    ("nn.SpatialFullConvolutionMap(nn.tables.full(2, 3), 3, 2, 1, 2)", (2, 3, 4)),
    ("nn.SpatialFractionalMaxPooling(2, 2, 3, 3):fixPoolingRegions()", (2, 6, 6)),
    ("nn.SpatialFractionalMaxPooling(2, 3, 0.5, 0.6):fixPoolingRegions()", (2, 2, 8, 7)),
    ("nn.TemporalDynamicKMaxPooling(3, 0.5)", (7, 4)),
    ("nn.TemporalDynamicKMaxPooling(2)", (2, 5, 3)),
    ("nn.VolumetricDilatedConvolution(2, 2, 2, 2, 2, 1, 1, 1, 0, 0, 0, 2, 1, 2)", (2, 4, 3, 4)),
    ("nn.VolumetricDilatedConvolution(2, 3, 2, 3, 2, 2, 1, 1, 1, 1, 0, 1, 2, 1)", (2, 2, 5, 5, 4)),
    ("nn.VolumetricDilatedConvolution(1, 2, 2, 2, 2):noBias()", (2, 1, 3, 3, 3)),
    ("nn.VolumetricDilatedMaxPooling(2, 2, 2, 1, 1, 1, 0, 0, 0, 2, 1, 2)", (2, 4, 3, 4)),
    ("nn.VolumetricDilatedMaxPooling(2, 2, 2, 2, 1, 2, 1, 1, 1, 1, 2, 1):ceil()", (2, 2, 5, 5, 4)),
    ("nn.VolumetricReplicationPadding(1, -1, 2, 0, 3, 3)", (2, 2, 7, 7)),
    ("nn.VolumetricReplicationPadding(2, 1, 0, 1, 1, 2)", (2, 2, 2, 3, 4)),
]


@pytest.mark.parametrize(("ctor", "shape"), GRADIENT_CASES)
def test_gradients(rt: Runtime, ctor: str, shape: tuple[int, ...]) -> None:
    check_module(rt, ctor, shape, dtype="float")


@pytest.mark.parametrize("batch", [False, True])
def test_max_unpooling_gradients(rt: Runtime, batch: bool) -> None:
    rt.execute("unpool_src = nn.VolumetricMaxPooling(2, 2, 2, 2, 2, 2)")
    size = "2, 2, 4, 4, 6" if batch else "2, 4, 4, 6"
    check_module(
        rt,
        "nn.VolumetricMaxUnpooling(unpool_src)",
        input_lua=f"unpool_src:forward(torch.rand({size}))",
    )


# ----------------------------------------------------------------------- numpy references


def test_spatial_log_softmax_reference(rt: Runtime) -> None:
    x = np.random.default_rng(1).normal(size=(2, 4, 3, 5))
    put(rt, "x", x)
    want = x - np.log(np.exp(x).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(arr(rt, "nn.SpatialLogSoftMax():forward(x)"), want, atol=1e-12)
    np.testing.assert_allclose(arr(rt, "nn.SpatialLogSoftMax():forward(x[2])"), want[1], atol=1e-12)


def _subsample_ref(
    x: np.ndarray, w: np.ndarray, b: np.ndarray, kW: int, kH: int, dW: int, dH: int
) -> np.ndarray:
    C, H, W = x.shape
    oH, oW = (H - kH) // dH + 1, (W - kW) // dW + 1
    y = np.empty((C, oH, oW))
    for c, i, j in product(range(C), range(oH), range(oW)):
        y[c, i, j] = w[c] * x[c, i * dH : i * dH + kH, j * dW : j * dW + kW].sum() + b[c]
    return y


def test_subsampling_reference(rt: Runtime) -> None:
    x = np.random.default_rng(2).normal(size=(2, 3, 7, 8))
    put(rt, "x", x)
    rt.execute("m = nn.SpatialSubSampling(3, 3, 2, 2, 1)")
    w, b = arr(rt, "m.weight"), arr(rt, "m.bias")
    got = arr(rt, "m:forward(x)")
    for n in range(2):
        np.testing.assert_allclose(got[n], _subsample_ref(x[n], w, b, 3, 2, 2, 1), atol=1e-12)
    # accGradParameters: d/dw sum(y * g) = sum(g * window sums), d/db = sum(g)
    g = np.random.default_rng(3).normal(size=got.shape)
    put(rt, "g", g)
    rt.execute("m:zeroGradParameters(); m:backward(x, g, 0.5)")
    ones = np.ones(3)
    sums = np.stack([_subsample_ref(x[n], ones, 0 * ones, 3, 2, 2, 1) for n in range(2)])
    np.testing.assert_allclose(arr(rt, "m.gradWeight"), 0.5 * (g * sums).sum(axis=(0, 2, 3)))
    np.testing.assert_allclose(arr(rt, "m.gradBias"), 0.5 * g.sum(axis=(0, 2, 3)))


def test_subsampling_equals_average_pooling(rt: Runtime) -> None:
    # upstream's SpatialAveragePooling reference: sub-sampling with weights 1/(kW*kH), no bias
    rt.execute("""
    local ki, kj, si, sj = 2, 3, 2, 1
    local x = torch.rand(2, 3, 9, 8)
    local ap = nn.SpatialAveragePooling(ki, kj, si, sj)
    local ss = nn.SpatialSubSampling(3, ki, kj, si, sj)
    ss.weight:fill(1 / (ki * kj)); ss.bias:fill(0)
    local o1 = ap:forward(x); local o2 = ss:forward(x)
    assert((o1 - o2):abs():max() < 1e-12, 'forward')
    local g1 = ap:backward(x, o1); local g2 = ss:updateGradInput(x, o1)
    assert((g1 - g2):abs():max() < 1e-12, 'updateGradInput')""")


def test_subsampling_reset_draws(rt: Runtime) -> None:
    # Torch: weight:apply(torch.uniform) then bias:apply(torch.uniform), stdv 1/sqrt(kW*kH)
    got = rt.execute("""
    torch.manualSeed(7)
    local m = nn.SpatialSubSampling(3, 2, 3)
    torch.manualSeed(7)
    local s = 1 / math.sqrt(6)
    local want = {}
    for i = 1, 6 do want[i] = torch.uniform(-s, s) end
    for i = 1, 3 do
       if m.weight[i] ~= want[i] or m.bias[i] ~= want[3 + i] then return false end
    end
    return true""")[0]
    assert got is True


def test_convolution_map_full_equals_convolution(rt: Runtime) -> None:
    rt.execute("""
    local tt = nn.tables.full(3, 2)
    local m1 = nn.SpatialConvolutionMap(tt, 3, 2, 2, 1)
    local m2 = nn.SpatialConvolution(3, 2, 3, 2, 2, 1)
    for k = 1, tt:size(1) do m1.weight[k]:copy(m2.weight[tt[k][2]][tt[k][1]]) end
    m1.bias:copy(m2.bias)
    local x = torch.randn(2, 3, 6, 7)
    assert(m1:forward(x):dist(m2:forward(x)) < 1e-12, 'batch forward')
    assert(m1:forward(x[1]):dist(m2:forward(x[1])) < 1e-12, 'forward')
    local go = torch.randn(m2.output:size())
    assert(m1:updateGradInput(x[1], go):dist(m2:updateGradInput(x[1], go)) < 1e-12, 'gradInput')
    m1:zeroGradParameters(); m2:zeroGradParameters()
    m1:accGradParameters(x[1], go, 2); m2:accGradParameters(x[1], go, 2)
    for k = 1, tt:size(1) do
       assert(m1.gradWeight[k]:dist(m2.gradWeight[tt[k][2]][tt[k][1]]) < 1e-12, 'gradWeight')
    end
    assert(m1.gradBias:dist(m2.gradBias) < 1e-12, 'gradBias')""")


def test_full_convolution_map(rt: Runtime) -> None:
    # a full table is SpatialFullConvolution; THNN takes one 3D sample only (real Torch7:
    # "3D tensor expected" for a batch)
    rt.execute("""
    local tt = nn.tables.full(2, 3)
    local m1 = nn.SpatialFullConvolutionMap(tt, 2, 3, 2, 1)
    local m2 = nn.SpatialFullConvolution(2, 3, 2, 3, 2, 1)
    for k = 1, tt:size(1) do m1.weight[k]:copy(m2.weight[tt[k][1]][tt[k][2]]) end
    m1.bias:copy(m2.bias)
    local x = torch.randn(2, 4, 3)
    assert(m1:forward(x):dist(m2:forward(x)) < 1e-12, 'forward')
    local go = torch.randn(m2.output:size())
    assert(m1:updateGradInput(x, go):dist(m2:updateGradInput(x, go)) < 1e-12, 'gradInput')
    m1:zeroGradParameters(); m2:zeroGradParameters()
    m1:accGradParameters(x, go); m2:accGradParameters(x, go)
    for k = 1, tt:size(1) do
       assert(m1.gradWeight[k]:dist(m2.gradWeight[tt[k][1]][tt[k][2]]) < 1e-12, 'gradWeight')
    end
    local ok, err = pcall(m1.forward, m1, torch.randn(2, 2, 4, 3))
    assert(not ok and err:find('3D tensor expected'), tostring(err))""")


def test_tables(rt: Runtime) -> None:
    full = arr(rt, "nn.tables.full(2, 3)")
    assert full.tolist() == [[1, 1], [2, 1], [1, 2], [2, 2], [1, 3], [2, 3]]
    assert arr(rt, "nn.tables.oneToOne(3)").tolist() == [[1, 1], [2, 2], [3, 3]]


@pytest.mark.parametrize(("nin", "nout", "nto"), [(5, 4, 2), (6, 3, 3), (3, 2, 2), (4, 5, 4)])
def test_tables_random_rng(rt: Runtime, nin: int, nout: int, nto: int) -> None:
    """Torch draws one permutation up front and a fresh one whenever the current one's whole
    chunks are used up (also after the last output)."""
    tbl = arr(
        rt,
        f"(function() torch.manualSeed(11); return nn.tables.random({nin}, {nout}, {nto}) end)()",
    )
    after = rt.execute("return torch.random()")[0]
    chunks = nin // nto
    nperm = 1 + nout // chunks
    rt.execute(
        f"torch.manualSeed(11); perms = {{}} for i = 1, {nperm} do "
        f"perms[i] = torch.randperm({nin}) end"
    )
    perms = [arr(rt, f"perms[{i + 1}]") for i in range(nperm)]
    assert rt.execute("return torch.random()")[0] == after
    want = []
    for i in range(nout):
        p = perms[i // chunks]
        c = i % chunks
        want += [[p[c * nto + j], i + 1] for j in range(nto)]
    assert tbl.tolist() == want


def test_convolution_map_reset_draws(rt: Runtime) -> None:
    # per-kernel stdv from its output plane's fan-in; kernels in table order, then biases
    ok = rt.execute("""
    local tt = torch.Tensor{{1, 1}, {2, 1}, {3, 1}, {1, 2}}
    for _, cls in ipairs({'SpatialConvolutionMap', 'SpatialFullConvolutionMap'}) do
       torch.manualSeed(3)
       local m = nn[cls](tt, 2, 3)
       torch.manualSeed(3)
       local fan = {3, 1}
       for k = 1, 4 do
          local s = 1 / math.sqrt(6 * fan[tt[k][2]])
          local w = m.weight[k]:view(-1)
          for i = 1, 6 do if w[i] ~= torch.uniform(-s, s) then return cls .. ' weight' end end
       end
       for o = 1, 2 do
          local s = 1 / math.sqrt(6 * fan[o])
          if m.bias[o] ~= torch.uniform(-s, s) then return cls .. ' bias' end
       end
    end
    return 'ok'""")[0]
    assert ok == "ok"


def _intervals(u: np.ndarray, size: int, osize: int, pool: int) -> np.ndarray:
    t = u.dtype.type
    alpha = t(size - pool) / t(osize - 1) if osize > 1 else t(0)
    seq = [int((t(i) + u) * alpha) - int(u * alpha) for i in range(osize - 1)]
    return np.array(seq + [size - pool])


@pytest.mark.parametrize("ttype", ["double", "float"])
def test_fractional_max_pooling_reference(rt: Runtime, ttype: str) -> None:
    x = np.random.default_rng(4).normal(size=(2, 3, 9, 8))
    put(rt, "x", x)
    rt.execute(f"x = x:{ttype}(); torch.manualSeed(5)")
    rt.execute("m = nn.SpatialFractionalMaxPooling(2, 3, 4, 5):type(x:type()); y = m:forward(x)")
    # the samples are input.new():resize(B, C, 2):uniform() drawn at the first forward
    samples = arr(
        rt,
        f"(function() torch.manualSeed(5) return torch.Tensor(2, 3, 2):{ttype}():uniform() end)()",
    )
    np.testing.assert_array_equal(arr(rt, "m.randomSamples"), samples)
    y, idx = arr(rt, "y"), arr(rt, "m.indices")
    xs = arr(rt, "x")
    assert y.shape == (2, 3, 5, 4) and idx.dtype == np.int64
    for b, c in product(range(2), range(3)):
        rows = _intervals(samples[b, c, 1], 9, 5, 3)
        cols = _intervals(samples[b, c, 0], 8, 4, 2)
        for i, j in product(range(5), range(4)):
            win = xs[b, c, rows[i] : rows[i] + 3, cols[j] : cols[j] + 2]
            assert y[b, c, i, j] == win.max()
            r, s = np.unravel_index(win.argmax(), win.shape)
            assert idx[b, c, i, j] == (rows[i] + r) * 8 + cols[j] + s + 1
    # new samples at every forward unless the regions are fixed
    rt.execute("s1 = m.randomSamples:clone(); m:forward(x)")
    assert not np.array_equal(arr(rt, "s1"), arr(rt, "m.randomSamples"))
    rt.execute("m:fixPoolingRegions(); s1 = m.randomSamples:clone(); m:forward(x)")
    np.testing.assert_array_equal(arr(rt, "s1"), arr(rt, "m.randomSamples"))


def test_fractional_ratio_size(rt: Runtime) -> None:
    assert (
        rt.execute(
            "return nn.SpatialFractionalMaxPooling(2, 2, 0.5, 0.7)"
            ":forward(torch.rand(2, 10, 9)):size():totable()"
        )[0]
        is not None
    )
    size = rt.execute(
        "local o = nn.SpatialFractionalMaxPooling(2, 2, 0.5, 0.7)"
        ":forward(torch.rand(2, 10, 9)); return o:size(2), o:size(3)"
    )
    assert size == (7, 4)


def test_dynamic_kmax_reference(rt: Runtime) -> None:
    x = np.random.default_rng(6).permutation(60).reshape(2, 10, 3).astype(float)
    put(rt, "x", x)
    rt.execute("m = nn.TemporalDynamicKMaxPooling(2, 0.35)")
    k = max(2, math.ceil(0.35 * 10))
    want_idx = np.sort(np.argsort(-x, axis=1, kind="stable")[:, :k], axis=1)
    np.testing.assert_array_equal(arr(rt, "m:forward(x)"), np.take_along_axis(x, want_idx, 1))
    np.testing.assert_array_equal(arr(rt, "m.indices"), want_idx + 1)
    np.testing.assert_array_equal(
        arr(rt, "m:forward(x[1])"), np.take_along_axis(x[0], want_idx[0], 0)
    )


def _conv3d_ref(x: np.ndarray, w: np.ndarray, b: np.ndarray, d, p, dil) -> np.ndarray:
    C = x.shape[0]
    xp = np.pad(x, [(0, 0)] + [(v, v) for v in p])
    k = w.shape[2:]
    out = [(xp.shape[1 + i] - (dil[i] * (k[i] - 1) + 1)) // d[i] + 1 for i in range(3)]
    y = np.zeros([w.shape[0]] + out)
    for o, t, h, ww in product(range(w.shape[0]), *(range(v) for v in out)):
        acc = b[o]
        for c, a, e, f in product(range(C), *(range(v) for v in k)):
            acc += (
                w[o, c, a, e, f]
                * xp[c, t * d[0] + a * dil[0], h * d[1] + e * dil[1], ww * d[2] + f * dil[2]]
            )
        y[o, t, h, ww] = acc
    return y


def test_dilated_convolution_reference(rt: Runtime) -> None:
    x = np.random.default_rng(7).normal(size=(2, 5, 6, 5))
    put(rt, "x", x)
    # kT, kW, kH, dT, dW, dH, padT, padW, padH, dilT, dilW, dilH
    rt.execute("m = nn.VolumetricDilatedConvolution(2, 3, 2, 3, 2, 1, 2, 1, 1, 0, 1, 2, 1, 2)")
    w, b = arr(rt, "m.weight"), arr(rt, "m.bias")
    assert w.shape == (3, 2, 2, 2, 3)
    want = _conv3d_ref(x, w, b, (1, 1, 2), (1, 1, 0), (2, 2, 1))
    np.testing.assert_allclose(arr(rt, "m:forward(x)"), want, atol=1e-12)


def test_dilated_convolution_matches_convolution(rt: Runtime) -> None:
    rt.execute("""
    torch.manualSeed(9)
    local a = nn.VolumetricDilatedConvolution(2, 3, 3, 2, 2, 2, 1, 1, 1, 0, 1)
    torch.manualSeed(9)
    local b = nn.VolumetricConvolution(2, 3, 3, 2, 2, 2, 1, 1, 1, 0, 1)
    assert(a.weight:equal(b.weight) and a.bias:equal(b.bias), 'same init draws')
    local x = torch.randn(2, 2, 6, 5, 6)
    assert(a:forward(x):dist(b:forward(x)) < 1e-12, 'forward')
    local go = torch.randn(b.output:size())
    a:zeroGradParameters(); b:zeroGradParameters()
    assert(a:backward(x, go):dist(b:backward(x, go)) < 1e-12, 'gradInput')
    assert(a.gradWeight:dist(b.gradWeight) < 1e-10 and a.gradBias:dist(b.gradBias) < 1e-10)""")


def test_dilated_max_pooling_reference(rt: Runtime) -> None:
    x = np.random.default_rng(8).normal(size=(2, 7, 6, 7))
    put(rt, "x", x)
    rt.execute("m = nn.VolumetricDilatedMaxPooling(2, 2, 2, 2, 1, 1, 0, 0, 1, 2, 1, 3)")
    y = arr(rt, "m:forward(x)")
    xp = np.pad(x, [(0, 0), (0, 0), (1, 1), (0, 0)], constant_values=-np.inf)
    # T: k2 d2 dil2 -> 3 ; H: k2 d1 p1 dil3 -> 5 ; W: k2 d1 dil1 -> 6
    assert y.shape == (2, 3, 5, 6)
    for c, t, h, w in product(range(2), range(3), range(5), range(6)):
        win = xp[c, t * 2 : t * 2 + 3 : 2, h : h + 4 : 3, w : w + 2]
        assert y[c, t, h, w] == win.max()
    rt.execute(
        "a = nn.VolumetricDilatedMaxPooling(2, 2, 2, 2, 2, 2); "
        "b = nn.VolumetricMaxPooling(2, 2, 2, 2, 2, 2)"
    )
    assert (
        rt.execute("return a:forward(x):equal(b:forward(x)) and a.indices:equal(b.indices)")[0]
        is True
    )


def test_max_unpooling_reference(rt: Runtime) -> None:
    x = np.random.default_rng(9).normal(size=(2, 2, 4, 6, 4))
    put(rt, "x", x)
    rt.execute("p = nn.VolumetricMaxPooling(2, 2, 3); u = nn.VolumetricMaxUnpooling(p)")
    y = arr(rt, "u:forward(p:forward(x))")
    # every window keeps only its max, at the max's position
    win = x.reshape(2, 2, 2, 2, 2, 3, 2, 2)  # T, H, W as (windows, kernel): (2,2) (2,3) (2,2)
    mx = win.max(axis=(3, 5, 7), keepdims=True)
    want = np.where(win == mx, win, 0).reshape(x.shape)
    np.testing.assert_array_equal(y, want)
    g = np.random.default_rng(10).normal(size=x.shape)
    put(rt, "g", g)
    gi = arr(rt, "u:backward(p.output, g)")
    np.testing.assert_array_equal(
        gi, np.where(win == mx, g.reshape(win.shape), 0).sum(axis=(3, 5, 7))
    )


@pytest.mark.parametrize("pads", [(1, 2, 0, 3, 2, 1), (-1, 2, 1, -2, 0, -1), (0, 0, 0, 0, 0, 0)])
def test_replication_padding_reference(rt: Runtime, pads: tuple[int, ...]) -> None:
    x = np.random.default_rng(11).normal(size=(2, 2, 4, 5, 6))
    put(rt, "x", x)
    left, right, top, bottom, front, back = pads
    y = arr(rt, f"nn.VolumetricReplicationPadding{pads}:forward(x)")
    pos = [
        (max(front, 0), max(back, 0)),
        (max(top, 0), max(bottom, 0)),
        (max(left, 0), max(right, 0)),
    ]
    want = np.pad(x, [(0, 0), (0, 0)] + pos, mode="edge")
    crop = [
        slice(-min(a, 0), want.shape[2 + i] + min(b, 0))
        for i, (a, b) in enumerate([(front, back), (top, bottom), (left, right)])
    ]
    np.testing.assert_array_equal(y, want[(slice(None), slice(None)) + tuple(crop)])


# ------------------------------------------------------------------------------ printing

TOSTRING = [
    ("nn.SpatialLogSoftMax()", "nn.SpatialLogSoftMax"),
    ("nn.SpatialSubSampling(3, 2, 2)", "nn.SpatialSubSampling"),
    ("nn.SpatialConvolutionMap(nn.tables.full(2, 2), 3, 3)", "nn.SpatialConvolutionMap"),
    ("nn.SpatialFullConvolutionMap(nn.tables.oneToOne(2), 3, 3)", "nn.SpatialFullConvolutionMap"),
    ("nn.SpatialFractionalMaxPooling(2, 3, 4, 5)", "nn.SpatialFractionalMaxPooling(4x5, 2,3)"),
    ("nn.SpatialFractionalMaxPooling(2, 2, 0.5, 0.5)", "nn.SpatialFractionalMaxPooling(0x0, 2,2)"),
    ("nn.TemporalDynamicKMaxPooling(3, 0.5)", "nn.TemporalDynamicKMaxPooling"),
    (
        "nn.VolumetricDilatedConvolution(2, 3, 3, 3, 3)",
        "nn.VolumetricDilatedConvolution(2 -> 3, 3x3x3, 1,1,1)",
    ),
    (
        "nn.VolumetricDilatedConvolution(2, 3, 3, 2, 1, 1, 2, 1, 1, 0, 1, 2, 2, 3)",
        "nn.VolumetricDilatedConvolution(2 -> 3, 3x2x1, 1,2,1, 1,0,1, 2,2,3)",
    ),
    (
        "nn.VolumetricDilatedConvolution(1, 1, 2, 2, 2):noBias()",
        "nn.VolumetricDilatedConvolution(1 -> 1, 2x2x2, 1,1,1) without bias",
    ),
    (
        "nn.VolumetricDilatedMaxPooling(2, 2, 2)",
        "nn.VolumetricDilatedMaxPooling(2x2x2, 2,2,2, 1,1,1)",
    ),
    (
        "nn.VolumetricDilatedMaxPooling(2, 3, 2, 1, 1, 2, 1, 0, 1, 2, 2, 1)",
        "nn.VolumetricDilatedMaxPooling(2x3x2, 1,1,2, 1,0,1, 2,2,1)",
    ),
    (
        "nn.VolumetricMaxUnpooling(nn.VolumetricMaxPooling(2, 2, 2))",
        "nn.VolumetricMaxUnpooling associated to nn.VolumetricMaxPooling(2x2x2, 2,2,2)",
    ),
    (
        "nn.VolumetricReplicationPadding(1, 2, 3, 4, 5, 6)",
        "nn.VolumetricReplicationPadding(left=1, right=2, top=3, bottom=4, front=5, back=6)",
    ),
    (
        "nn.VolumetricReplicationPadding(2)",
        "nn.VolumetricReplicationPadding(left=2, right=2, top=2, bottom=2, front=2, back=2)",
    ),
]


@pytest.mark.parametrize(("ctor", "want"), TOSTRING)
def test_tostring(rt: Runtime, ctor: str, want: str) -> None:
    assert rt.execute(f"return tostring({ctor})")[0] == want


# -------------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (
            "nn.SpatialSubSampling(3, 2, 2):forward(torch.rand(2, 5, 5))",
            "invalid number of input planes",
        ),
        (
            "nn.SpatialSubSampling(2, 4, 4):forward(torch.rand(2, 3, 3))",
            "input image smaller than kernel size",
        ),
        (
            "nn.SpatialSubSampling(2, 2, 2):forward(torch.rand(5, 5))",
            "3D or 4D input tensor expected",
        ),
        (
            "nn.SpatialConvolutionMap(nn.tables.full(3, 2), 2, 2):forward(torch.rand(2, 5, 5))",
            "invalid number of input planes",
        ),
        (
            "nn.SpatialFractionalMaxPooling(4, 4, 5, 5):forward(torch.rand(2, 6, 6))",
            "poolSizeH (4) too large relative to input height (6)",
        ),
        (
            "nn.TemporalDynamicKMaxPooling(5):forward(torch.rand(3, 2))",
            "Input sequence length (3) too small for desired k value (5)",
        ),
        (
            "nn.VolumetricDilatedConvolution(2, 2, 2, 2, 2):forward(torch.rand(3, 4, 4, 4))",
            "Expected 2 input channels",
        ),
        (
            "nn.VolumetricReplicationPadding(1):forward(torch.rand(2, 3, 3))",
            "input must be 4 or 5-dimensional",
        ),
        ("nn.VolumetricReplicationPadding(-3):forward(torch.rand(1, 2, 2, 2))", "is too small"),
        (
            "nn.VolumetricMaxUnpooling(nn.VolumetricMaxPooling(2, 2, 2, 1, 1, 1))",
            "The size of pooling module's kernel must be equal to its stride",
        ),
    ],
)
def test_clean_errors(rt: Runtime, code: str, message: str) -> None:
    with pytest.raises(LuaError) as err:
        rt.execute(code, "=test")
    assert message in err.value.message
    assert "Traceback" not in err.value.message


def test_serialization_round_trip(rt: Runtime) -> None:
    ok = rt.execute("""
    local f = os.tmpname()
    local m = nn.Sequential()
       :add(nn.SpatialConvolutionMap(nn.tables.random(3, 2, 2), 2, 2))
       :add(nn.SpatialSubSampling(2, 2, 2, 2, 2))
       :add(nn.SpatialLogSoftMax())
    local x = torch.randn(3, 9, 9)
    local y = m:forward(x):clone()
    torch.save(f, m)
    local m2 = torch.load(f)
    os.remove(f)
    return m2:forward(x):equal(y) and tostring(m2) == tostring(m)""")[0]
    assert ok is True


# ------------------------------------------------------------------ nn.hessian, SparseJacobian


def test_hessian_gauss_newton_diagonal() -> None:
    """Linear-Tanh-Linear with MSE: the diagonal Gauss-Newton terms, layer by layer."""
    r = Runtime(write=lambda s: None)  # enable() changes nn globally: keep it out of `rt`
    r.execute("require 'nn'")
    assert r.execute("return nn.Linear.updateDiagHessianInput == nil")[0] is True
    r.execute("""
    nn.hessian.enable(); nn.hessian.enable()
    net = nn.Sequential():add(nn.Linear(3, 4)):add(nn.Tanh()):add(nn.Linear(4, 2))
    net:initDiagHessianParameters()
    for _, i in ipairs({1, 3}) do
       net.modules[i].diagHessianWeight:zero(); net.modules[i].diagHessianBias:zero()
    end
    crit = nn.MSECriterion()
    x = torch.randn(3); t = torch.randn(2)
    local o = net:forward(x); crit:forward(o, t)
    dh = crit:updateDiagHessianInput(o, t)
    net:updateDiagHessianInput(x, dh)
    net:accDiagHessianParameters(x, dh)
    p, g, h = net:getParameters()""")
    x = arr(r, "x")
    w1, w2 = arr(r, "net.modules[1].weight"), arr(r, "net.modules[3].weight")
    b1 = arr(r, "net.modules[1].bias")
    a = np.tanh(w1 @ x + b1)
    dh = np.full(2, 2 / 2)  # MSE with sizeAverage: 2 / nElement
    np.testing.assert_allclose(arr(r, "dh"), dh)
    h2 = (w2**2).T @ dh
    h1 = (1 - a**2) ** 2 * h2
    np.testing.assert_allclose(arr(r, "net.modules[3].diagHessianInput"), h2, rtol=1e-12)
    np.testing.assert_allclose(
        arr(r, "net.modules[3].diagHessianWeight"), np.outer(dh, a**2), rtol=1e-12
    )
    np.testing.assert_allclose(arr(r, "net.modules[3].diagHessianBias"), dh)
    np.testing.assert_allclose(arr(r, "net.modules[2].diagHessianInput"), h1, rtol=1e-12)
    np.testing.assert_allclose(
        arr(r, "net.modules[1].diagHessianWeight"), np.outer(h1, x**2), rtol=1e-12
    )
    np.testing.assert_allclose(arr(r, "net.diagHessianInput"), (w1**2).T @ h1, rtol=1e-12)
    # the weights and gradients are back in place; getParameters also flattens the Hessians
    np.testing.assert_allclose(arr(r, "net.modules[1].weight"), w1)
    assert r.execute("return p:nElement(), g:nElement(), h:nElement()") == (26, 26, 26)
    np.testing.assert_allclose(arr(r, "h:narrow(1, 1, 12)"), np.outer(h1, x**2).ravel())
    with pytest.raises(LuaError, match=r"nn.ReLU:updateDiagHessianInput\(\) is undefined"):
        r.execute("nn.ReLU():updateDiagHessianInput(x, x)")


def test_sparse_jacobian(rt: Runtime) -> None:
    got = rt.execute("""
    local sj = nn.SparseJacobian
    local m = nn.SparseLinear(10, 3)
    local x = torch.Tensor(4, 2)
    x:select(2, 1):copy(torch.randperm(10):narrow(1, 1, 4))
    -- with nn's SparseLinear these fail in Torch7 itself (its backward resizes the 1D
    -- gradOutput SparseJacobian passes again): the same error here
    local e = {}
    local calls = {
       function() return sj.testJacobianParameters(m, x, m.weight, m.gradWeight) end,
       function() return sj.testJacobianUpdateParameters(m, x, m.weight) end,
       function() return sj.testAllUpdate(m, x, 'weight', 'gradWeight') end}
    for _, f in ipairs(calls) do
       local ok, err = pcall(f)
       assert(not ok and err:find('expected r_ %[3%], t %[3%] and src %[1 x 1%]'), tostring(err))
    end
    -- d output / d input values, for a module whose gradInput is nnz x 2 like its input
    local Scale = torch.class('nn.SparseScaleTest', 'nn.Module')
    function Scale:updateOutput(input)
       self.output = input:select(2, 2):clone():pow(2)
       return self.output
    end
    function Scale:updateGradInput(input, gradOutput)
       self.gradInput = input:clone()
       self.gradInput:select(2, 2):copy(input:select(2, 2)):mul(2):cmul(gradOutput)
       return self.gradInput
    end
    e[#e + 1] = sj.testJacobian(nn.SparseScaleTest(), x)
    local worst = 0
    for _, v in ipairs(e) do worst = math.max(worst, v) end
    return worst, #e""")
    assert got[1] == 1 and got[0] < 1e-5

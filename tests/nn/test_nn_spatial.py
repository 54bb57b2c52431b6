"""Convolution, pooling, normalization, padding and up-sampling modules: finite-difference
gradients (batch and non-batch, Double and Float), forward results against direct-loop
references written from Torch's definitions, Torch's parameter init, printing and errors."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

from luatorch.runtime import LuaError, Runtime

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from nn_gradcheck import check_module  # noqa: E402

GOLDEN_PRINT_OUT = Path(__file__).resolve().parents[1] / "golden" / "print.out"
BENCH = Path(__file__).resolve().parents[3] / "shared" / "bench"


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
    ("nn.SpatialConvolution(2, 3, 3, 2, 2, 1, 1, 0)", (2, 5, 6)),
    ("nn.SpatialConvolution(2, 3, 3, 2, 2, 1, 1, 0)", (2, 2, 5, 6)),
    ("nn.SpatialConvolution(2, 3, 3, 3):noBias()", (2, 2, 5, 5)),
    ("nn.SpatialConvolutionMM(2, 3, 3, 3, 1, 2, 1, 1)", (2, 2, 5, 5)),
    ("nn.SpatialConvolutionMM(2, 3, 3, 3)", (2, 4, 4)),
    ("nn.SpatialDilatedConvolution(2, 3, 3, 3, 1, 1, 1, 1, 2, 2)", (2, 2, 6, 6)),
    ("nn.SpatialDilatedConvolution(2, 2, 2, 2, 2, 1, 0, 1, 1, 2)", (2, 5, 6)),
    ("nn.SpatialFullConvolution(2, 3, 3, 3, 2, 2, 1, 1, 1, 1)", (2, 2, 3, 4)),
    ("nn.SpatialFullConvolution(2, 3, 3, 3)", (2, 3, 4)),
    ("nn.SpatialConvolutionLocal(2, 3, 5, 4, 3, 2, 1, 1, 1, 0)", (2, 2, 4, 5)),
    ("nn.SpatialConvolutionLocal(2, 3, 5, 4, 3, 2)", (2, 4, 5)),
    ("nn.SpatialMaxPooling(2, 2, 2, 2)", (2, 2, 4, 6)),
    ("nn.SpatialMaxPooling(3, 3, 2, 2, 1, 1):ceil()", (2, 2, 6, 7)),
    ("nn.SpatialMaxPooling(2, 2)", (2, 5, 5)),
    ("nn.SpatialDilatedMaxPooling(2, 2, 1, 1, 0, 0, 2, 2)", (2, 5, 5)),
    ("nn.SpatialDilatedMaxPooling(3, 2, 2, 1, 1, 0, 1, 2):ceil()", (2, 2, 6, 7)),
    ("nn.SpatialAveragePooling(3, 3, 2, 2, 1, 1):ceil()", (2, 2, 6, 7)),
    ("nn.SpatialAveragePooling(3, 3, 2, 2, 1, 1):setCountExcludePad()", (2, 6, 7)),
    ("nn.SpatialAveragePooling(2, 2)", (2, 2, 3, 3)),
    ("nn.SpatialAdaptiveMaxPooling(3, 2)", (2, 2, 5, 7)),
    ("nn.SpatialAdaptiveMaxPooling(4, 3)", (2, 3, 2)),
    ("nn.SpatialAdaptiveAveragePooling(3, 2)", (2, 5, 7)),
    ("nn.SpatialAdaptiveAveragePooling(2, 4)", (2, 2, 3, 3)),
    ("nn.BatchNormalization(3)", (5, 3)),
    ("nn.BatchNormalization(3, 1e-5, 0.1, false)", (5, 3)),
    ("nn.SpatialBatchNormalization(3)", (4, 3, 2, 3)),
    ("nn.VolumetricBatchNormalization(2)", (3, 2, 2, 2, 3)),
    ("nn.SpatialCrossMapLRN(3, 0.5, 0.75, 2)", (2, 5, 3, 3)),
    ("nn.SpatialCrossMapLRN(5, 0.5, 0.75, 2)", (4, 3, 3)),
    ("nn.SpatialZeroPadding(1, 2, -1, 1)", (2, 2, 4, 5)),
    ("nn.SpatialReflectionPadding(2, 1, 1, 3)", (2, 2, 4, 5)),
    ("nn.SpatialReplicationPadding(2, 1, 1, 3)", (2, 4, 5)),
    ("nn.SpatialUpSamplingNearest(2)", (2, 2, 3, 4)),
    ("nn.SpatialUpSamplingBilinear(2)", (2, 2, 3, 4)),
    ("nn.SpatialUpSamplingBilinear({oheight=5, owidth=7})", (2, 3, 4)),
    ("nn.SpatialSubtractiveNormalization(2, torch.Tensor(3,3):fill(1))", (2, 4, 5)),
    ("nn.SpatialSubtractiveNormalization(2, torch.Tensor{1,2,1})", (2, 2, 4, 5)),
    ("nn.SpatialDivisiveNormalization(2, torch.Tensor(3,3):fill(1))", (2, 4, 5)),
    ("nn.SpatialDivisiveNormalization(2, torch.Tensor{1,2,1})", (2, 2, 4, 5)),
    ("nn.SpatialContrastiveNormalization(2, torch.Tensor(3,3):fill(1))", (2, 2, 4, 5)),
    ("nn.TemporalConvolution(3, 4, 3, 2)", (7, 3)),
    ("nn.TemporalConvolution(3, 4, 3, 2)", (2, 7, 3)),
    ("nn.TemporalMaxPooling(3, 2)", (2, 7, 3)),
    ("nn.TemporalMaxPooling(2)", (6, 3)),
    ("nn.TemporalSubSampling(3, 3, 2)", (7, 3)),
    ("nn.VolumetricConvolution(2, 3, 2, 3, 2, 1, 2, 1, 1, 0, 1)", (2, 2, 3, 4, 5)),
    ("nn.VolumetricConvolution(2, 3, 2, 2, 2)", (2, 3, 3, 3)),
    ("nn.VolumetricFullConvolution(2, 3, 2, 2, 2, 2, 2, 2, 0, 1, 0, 1, 0, 0)", (2, 2, 2, 3, 2)),
    ("nn.VolumetricFullConvolution(2, 2, 2, 2, 2)", (2, 2, 2, 2)),
    ("nn.VolumetricMaxPooling(2, 2, 2, 1, 2, 2)", (2, 2, 3, 4, 4)),
    ("nn.VolumetricMaxPooling(2, 2, 2):ceil()", (2, 3, 5, 5)),
    ("nn.VolumetricAveragePooling(2, 2, 2, 1, 2, 2)", (2, 2, 3, 4, 4)),
]


@pytest.mark.parametrize("ctor,shape", GRADIENT_CASES)
def test_gradients(rt: Runtime, ctor: str, shape: tuple[int, ...]) -> None:
    check_module(rt, ctor, shape, dtype="float")


def test_lp_pooling_gradients(rt: Runtime) -> None:
    # odd powers of negative values are NaN in Torch too: keep the input positive
    check_module(rt, "nn.SpatialLPPooling(2, 3, 2, 2)", input_lua="torch.rand(2, 2, 4, 4):add(0.5)")
    check_module(
        rt,
        "nn.SpatialLPPooling(2, 2, 2, 2)",
        input_lua="torch.rand(2, 4, 4):add(0.5)",
        dtype="float",
    )


def test_full_convolution_table_input(rt: Runtime) -> None:
    rt.execute("""
      m = nn.SpatialFullConvolution(2, 3, 3, 3, 2, 2, 1, 1)
      x = torch.randn(2, 4, 5)
      y = m:forward({x, torch.Tensor(3, 8, 10)})
      gi = m:backward({x, torch.Tensor(3, 8, 10)}, y:clone():fill(1))
    """)
    assert rt.eval("y:size(2)") == 8 and rt.eval("y:size(3)") == 10
    assert rt.eval("gi[2]:sum()") == 0 and rt.eval("gi[1]:nElement()") == 40


# ----------------------------------------------------------------- forward references


def conv_ref(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray,
    d: tuple[int, int],
    p: tuple[int, int],
    dil: tuple[int, int] = (1, 1),
) -> np.ndarray:
    """Direct loops: y[o, i, j] = b[o] + sum w[o, c, u, v] x[c, i*dH - pH + u*dilH, ...]."""
    C, H, W = x.shape
    nout, _, kH, kW = w.shape
    oH = (H + 2 * p[0] - dil[0] * (kH - 1) - 1) // d[0] + 1
    oW = (W + 2 * p[1] - dil[1] * (kW - 1) - 1) // d[1] + 1
    y = np.zeros((nout, oH, oW))
    for o in range(nout):
        for i in range(oH):
            for j in range(oW):
                s = b[o]
                for c in range(C):
                    for u in range(kH):
                        for v in range(kW):
                            h = i * d[0] - p[0] + u * dil[0]
                            ww = j * d[1] - p[1] + v * dil[1]
                            if 0 <= h < H and 0 <= ww < W:
                                s += w[o, c, u, v] * x[c, h, ww]
                y[o, i, j] = s
    return y


@pytest.mark.parametrize(
    "ctor,d,p,dil",
    [
        ("nn.SpatialConvolution(3, 4, 3, 2, 2, 1, 1, 2)", (1, 2), (2, 1), (1, 1)),
        ("nn.SpatialConvolutionMM(3, 4, 3, 2)", (1, 1), (0, 0), (1, 1)),
        ("nn.SpatialDilatedConvolution(3, 4, 3, 2, 1, 2, 1, 0, 2, 1)", (2, 1), (0, 1), (1, 2)),
    ],
)
def test_convolution_matches_loops(rt: Runtime, ctor: str, d, p, dil) -> None:
    rt.execute(f"torch.manualSeed(2); m = {ctor}; x = torch.randn(2, 3, 7, 8); y = m:forward(x)")
    x = arr(rt, "x")
    w = arr(rt, "m.weight").reshape(4, 3, 2, 3)
    b = arr(rt, "m.bias")
    y = arr(rt, "y")
    for n in range(2):
        np.testing.assert_allclose(y[n], conv_ref(x[n], w, b, d, p, dil), rtol=1e-12, atol=1e-12)
    single = arr(rt, "m:forward(x[2])")
    np.testing.assert_allclose(single, y[1], rtol=1e-12, atol=1e-12)


def test_full_convolution_matches_loops(rt: Runtime) -> None:
    rt.execute(
        "torch.manualSeed(4); m = nn.SpatialFullConvolution(2, 3, 3, 2, 2, 1, 1, 0, 1, 0)"
        "; x = torch.randn(2, 3, 4); y = m:forward(x)"
    )
    x, w, b, y = arr(rt, "x"), arr(rt, "m.weight"), arr(rt, "m.bias"), arr(rt, "y")
    # scatter definition: input pixel (h, w) adds w[c, o] at output (h*dH - pH + u, w*dW - pW + v)
    oH, oW = (3 - 1) * 1 - 0 + 2 + 0, (4 - 1) * 2 - 2 + 3 + 1
    ref = np.zeros((3, oH, oW)) + b[:, None, None]
    for c in range(2):
        for h in range(3):
            for ww in range(4):
                for u in range(2):
                    for v in range(3):
                        i, j = h - 0 + u, ww * 2 - 1 + v
                        if 0 <= i < oH and 0 <= j < oW:
                            ref[:, i, j] += w[c, :, u, v] * x[c, h, ww]
    np.testing.assert_allclose(y, ref, rtol=1e-12, atol=1e-12)


def pool_ref(x: np.ndarray, k, d, p, ceil: bool, mode: str, include_pad: bool = True, dil=(1, 1)):
    """THNN's pooling loops for one plane: returns values and 1-based max indices."""
    H, W = x.shape

    def osize(n, kk, dd, pp, di):
        span = n + 2 * pp - di * (kk - 1) - 1
        o = (math.ceil(span / dd) if ceil else span // dd) + 1
        if pp and (o - 1) * dd >= n + pp:
            o -= 1
        return o

    oH, oW = osize(H, k[0], d[0], p[0], dil[0]), osize(W, k[1], d[1], p[1], dil[1])
    y = np.zeros((oH, oW))
    idx = np.zeros((oH, oW), dtype=np.int64)
    for i in range(oH):
        for j in range(oW):
            hs, ws = i * d[0] - p[0], j * d[1] - p[1]
            if mode == "max":
                best, bi = -np.inf, -1
                for u in range(k[0]):
                    for v in range(k[1]):
                        h, w = hs + u * dil[0], ws + v * dil[1]
                        if 0 <= h < H and 0 <= w < W and x[h, w] > best:
                            best, bi = x[h, w], h * W + w
                y[i, j], idx[i, j] = best, bi + 1
            else:
                he, we = min(hs + k[0], H + p[0]), min(ws + k[1], W + p[1])
                size = (he - hs) * (we - ws)
                hs2, ws2, he2, we2 = max(hs, 0), max(ws, 0), min(he, H), min(we, W)
                s = x[hs2:he2, ws2:we2].sum()
                y[i, j] = s / (size if include_pad else (he2 - hs2) * (we2 - ws2))
    return y, idx


@pytest.mark.parametrize(
    "ctor,k,d,p,ceil,dil",
    [
        ("nn.SpatialMaxPooling(3, 2, 2, 2, 1, 1):ceil()", (2, 3), (2, 2), (1, 1), True, (1, 1)),
        ("nn.SpatialMaxPooling(2, 2, 2, 2)", (2, 2), (2, 2), (0, 0), False, (1, 1)),
        ("nn.SpatialMaxPooling(3, 3, 2, 2):ceil()", (3, 3), (2, 2), (0, 0), True, (1, 1)),
        (
            "nn.SpatialDilatedMaxPooling(2, 3, 1, 2, 1, 1, 2, 1)",
            (3, 2),
            (2, 1),
            (1, 1),
            False,
            (1, 2),
        ),
    ],
)
def test_max_pooling_matches_loops(rt: Runtime, ctor, k, d, p, ceil, dil) -> None:
    rt.execute(f"m = {ctor}; x = torch.randn(2, 3, 7, 8); y = m:forward(x)")
    x, y, ind = arr(rt, "x"), arr(rt, "y"), arr(rt, "m.indices")
    assert rt.eval("torch.type(m.indices)") == "torch.LongTensor"
    for n in range(2):
        for c in range(3):
            ry, ri = pool_ref(x[n, c], k, d, p, ceil, "max", dil=dil)
            np.testing.assert_array_equal(y[n, c], ry)
            np.testing.assert_array_equal(ind[n, c], ri)


@pytest.mark.parametrize("exclude", [False, True])
@pytest.mark.parametrize("ceil", [False, True])
def test_average_pooling_matches_loops(rt: Runtime, exclude: bool, ceil: bool) -> None:
    ctor = "nn.SpatialAveragePooling(3, 2, 2, 2, 1, 1)"
    ctor += ":ceil()" if ceil else ""
    ctor += ":setCountExcludePad()" if exclude else ""
    rt.execute(f"m = {ctor}; x = torch.randn(3, 7, 8); y = m:forward(x)")
    x, y = arr(rt, "x"), arr(rt, "y")
    for c in range(3):
        ry, _ = pool_ref(x[c], (2, 3), (2, 2), (1, 1), ceil, "avg", not exclude)
        np.testing.assert_allclose(y[c], ry, rtol=1e-13)


def test_adaptive_pooling_matches_loops(rt: Runtime) -> None:
    rt.execute(
        "x = torch.randn(2, 7, 5); a = nn.SpatialAdaptiveAveragePooling(3, 4):forward(x)"
        "; mp = nn.SpatialAdaptiveMaxPooling(3, 4); m = mp:forward(x)"
    )
    x, a, m, ind = arr(rt, "x"), arr(rt, "a"), arr(rt, "m"), arr(rt, "mp.indices")
    for i in range(4):
        h0, h1 = math.floor(i * 7 / 4), math.ceil((i + 1) * 7 / 4)
        for j in range(3):
            w0, w1 = math.floor(j * 5 / 3), math.ceil((j + 1) * 5 / 3)
            win = x[:, h0:h1, w0:w1]
            np.testing.assert_allclose(a[:, i, j], win.mean(axis=(1, 2)), rtol=1e-13)
            np.testing.assert_array_equal(m[:, i, j], win.max(axis=(1, 2)))
            flat = x.reshape(2, -1)
            np.testing.assert_array_equal(flat[np.arange(2), ind[:, i, j] - 1], m[:, i, j])


def test_max_unpooling_inverts_pooling(rt: Runtime) -> None:
    rt.execute("""
      pool = nn.SpatialMaxPooling(2, 2)
      unpool = nn.SpatialMaxUnpooling(pool)
      x = torch.randn(2, 3, 4, 6)
      y = unpool:forward(pool:forward(x))
      g = unpool:backward(pool.output, torch.randn(2, 3, 4, 6))
    """)
    x, y = arr(rt, "x"), arr(rt, "y")
    blocks = x.reshape(2, 3, 2, 2, 3, 2)
    keep = blocks == blocks.max(axis=(3, 5), keepdims=True)
    np.testing.assert_array_equal(y, np.where(keep, blocks, 0).reshape(x.shape))
    assert rt.eval("g:size(3)") == 2 and rt.eval("g:size(4)") == 3
    assert rt.eval("tostring(unpool)") == (
        "nn.SpatialMaxUnpooling associated to nn.SpatialMaxPooling(2x2, 2,2)"
    )


def test_batch_normalization_statistics(rt: Runtime) -> None:
    rt.execute("""
      torch.manualSeed(7)
      bn = nn.SpatialBatchNormalization(3, 1e-3, 0.2)
      x = torch.randn(4, 3, 2, 5)
      y = bn:forward(x)
    """)
    x, y = arr(rt, "x"), arr(rt, "y")
    w, b = arr(rt, "bn.weight"), arr(rt, "bn.bias")
    mean = x.mean(axis=(0, 2, 3))
    var = x.var(axis=(0, 2, 3))
    ref = (x - mean[:, None, None]) / np.sqrt(var + 1e-3)[:, None, None] * w[:, None, None]
    np.testing.assert_allclose(y, ref + b[:, None, None], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(arr(rt, "bn.running_mean"), 0.2 * mean, rtol=1e-12)
    n = x.size // 3
    np.testing.assert_allclose(arr(rt, "bn.running_var"), 0.8 + 0.2 * var * n / (n - 1), rtol=1e-12)
    rt.execute("bn:evaluate(); ye = bn:forward(x):clone(); ys = bn:forward(x[1]):clone()")
    rm, rv = arr(rt, "bn.running_mean"), arr(rt, "bn.running_var")
    ref = (x - rm[:, None, None]) / np.sqrt(rv + 1e-3)[:, None, None] * w[:, None, None]
    np.testing.assert_allclose(arr(rt, "ye"), ref + b[:, None, None], rtol=1e-12)
    np.testing.assert_allclose(arr(rt, "ys")[0], arr(rt, "ye")[0], rtol=1e-12)
    check_module(
        rt,
        "(function() local m = nn.BatchNormalization(3); m:forward(torch.randn(6, 3))"
        "; m:evaluate(); return m end)()",
        (4, 3),
    )


def test_cross_map_lrn_matches_definition(rt: Runtime) -> None:
    rt.execute(
        "x = torch.randn(2, 6, 3, 2); y = nn.SpatialCrossMapLRN(3, 0.4, 0.6, 1.5):forward(x)"
    )
    x, y = arr(rt, "x"), arr(rt, "y")
    ref = np.empty_like(x)
    for c in range(6):
        s = (x[:, max(0, c - 1) : c + 2] ** 2).sum(1)
        ref[:, c] = x[:, c] * (1.5 + 0.4 / 3 * s) ** -0.6
    np.testing.assert_allclose(y, ref, rtol=1e-12)


def test_temporal_modules_match_loops(rt: Runtime) -> None:
    rt.execute("""
      torch.manualSeed(5)
      tc = nn.TemporalConvolution(3, 2, 3, 2)
      x = torch.randn(8, 3)
      y = tc:forward(x)
      ts = nn.TemporalSubSampling(3, 3, 2)
      s = ts:forward(x)
      tm = nn.TemporalMaxPooling(3, 2)
      m = tm:forward(x)
    """)
    x, y, w, b = arr(rt, "x"), arr(rt, "y"), arr(rt, "tc.weight"), arr(rt, "tc.bias")
    for t in range(3):
        np.testing.assert_allclose(y[t], w @ x[2 * t : 2 * t + 3].reshape(-1) + b, rtol=1e-12)
        win = x[2 * t : 2 * t + 3]
        np.testing.assert_allclose(
            arr(rt, "s")[t], arr(rt, "ts.weight") * win.sum(0) + arr(rt, "ts.bias"), rtol=1e-12
        )
        np.testing.assert_array_equal(arr(rt, "m")[t], win.max(0))
        np.testing.assert_array_equal(arr(rt, "tm.indices")[t], win.argmax(0))


def test_upsampling_values(rt: Runtime) -> None:
    rt.execute(
        "x = torch.randn(2, 3, 4); n = nn.SpatialUpSamplingNearest(3):forward(x)"
        "; b = nn.SpatialUpSamplingBilinear(2):forward(x)"
    )
    x = arr(rt, "x")
    np.testing.assert_array_equal(arr(rt, "n"), x.repeat(3, 1).repeat(3, 2))
    b = arr(rt, "b")
    assert b.shape == (2, 6, 8)
    # corners are aligned: output (i, j) samples input (i * 2/5, j * 3/7), positions computed
    # in single precision as THNN does
    f32 = np.float32
    i, j = 4, 5
    hy, wx = f32(2) / f32(5) * f32(i), f32(3) / f32(7) * f32(j)
    h0, w0 = int(hy), int(wx)
    ly, lx = float(hy - f32(h0)), float(wx - f32(w0))
    ref = (1 - ly) * ((1 - lx) * x[:, h0, w0] + lx * x[:, h0, w0 + 1]) + ly * (
        (1 - lx) * x[:, h0 + 1, w0] + lx * x[:, h0 + 1, w0 + 1]
    )
    np.testing.assert_allclose(b[:, i, j], ref, rtol=1e-12)
    np.testing.assert_array_equal(b[:, [0, -1]][:, :, [0, -1]], x[:, [0, -1]][:, :, [0, -1]])


def test_padding_values(rt: Runtime) -> None:
    rt.execute(
        "x = torch.randn(2, 3, 4); r = nn.SpatialReflectionPadding(2, 1, 1, 2):forward(x)"
        "; e = nn.SpatialReplicationPadding(2, 1, 1, 2):forward(x)"
        "; z = nn.SpatialZeroPadding(-1, 1, 2, 0):forward(x)"
    )
    x = arr(rt, "x")
    np.testing.assert_array_equal(arr(rt, "r"), np.pad(x, ((0, 0), (1, 2), (2, 1)), "reflect"))
    np.testing.assert_array_equal(arr(rt, "e"), np.pad(x, ((0, 0), (1, 2), (2, 1)), "edge"))
    np.testing.assert_array_equal(arr(rt, "z"), np.pad(x[:, :, 1:], ((0, 0), (2, 0), (0, 1))))


def test_local_normalizations(rt: Runtime) -> None:
    rt.execute(
        "x = torch.randn(2, 5, 6); k = torch.Tensor(3, 3):fill(1)"
        "; s = nn.SpatialSubtractiveNormalization(2, k:clone()):forward(x)"
        "; d = nn.SpatialDivisiveNormalization(2, k:clone()):forward(x)"
    )
    x = arr(rt, "x")
    xp = np.pad(x.sum(0), 1)
    cnt = np.pad(np.full((5, 6), 2.0), 1)
    box = sum(xp[i : i + 5, j : j + 6] for i in range(3) for j in range(3))
    n = sum(cnt[i : i + 5, j : j + 6] for i in range(3) for j in range(3))
    np.testing.assert_allclose(arr(rt, "s"), x - box / n, rtol=1e-12, atol=1e-12)
    sq = np.pad((x * x).sum(0), 1)
    # the std estimator's kernel is normalized by its sum times the planes (1/18 here)
    std = np.sqrt(sum(sq[i : i + 5, j : j + 6] for i in range(3) for j in range(3)) / 18)
    adj = std / (n / 18)
    np.testing.assert_allclose(arr(rt, "d"), x / np.where(adj > 1e-4, adj, 1e-4), rtol=1e-12)


# ----------------------------------------------------------------- Torch init and printing


def test_reset_draws_like_torch(rt: Runtime) -> None:
    rt.execute("""
      torch.manualSeed(11)
      m = nn.SpatialConvolution(3, 4, 5, 5)
      torch.manualSeed(11)
      local stdv = 1 / math.sqrt(5 * 5 * 3)
      w = torch.Tensor(4, 3, 5, 5):uniform(-stdv, stdv)
      b = torch.Tensor(4):uniform(-stdv, stdv)
      torch.manualSeed(11)
      bn = nn.BatchNormalization(6)
      torch.manualSeed(11)
      u = torch.Tensor(6):uniform()
    """)
    np.testing.assert_array_equal(arr(rt, "m.weight"), arr(rt, "w"))
    np.testing.assert_array_equal(arr(rt, "m.bias"), arr(rt, "b"))
    np.testing.assert_array_equal(arr(rt, "bn.weight"), arr(rt, "u"))
    np.testing.assert_array_equal(arr(rt, "bn.bias"), np.zeros(6))


TOSTRING = [
    ("nn.SpatialConvolution(3, 32, 5, 5)", "nn.SpatialConvolution(3 -> 32, 5x5)"),
    (
        "nn.SpatialConvolution(3, 16, 3, 3, 1, 1, 1, 1)",
        "nn.SpatialConvolution(3 -> 16, 3x3, 1,1, 1,1)",
    ),
    (
        "nn.SpatialConvolution(3, 16, 3, 3):noBias()",
        "nn.SpatialConvolution(3 -> 16, 3x3) without bias",
    ),
    ("nn.SpatialConvolutionMM(3, 8, 3, 3, 2, 2)", "nn.SpatialConvolutionMM(3 -> 8, 3x3, 2,2)"),
    ("nn.SpatialMaxPooling(2, 2, 2, 2)", "nn.SpatialMaxPooling(2x2, 2,2)"),
    ("nn.SpatialMaxPooling(3, 3)", "nn.SpatialMaxPooling(3x3, 3,3)"),
    ("nn.SpatialMaxPooling(3, 3, 1, 1, 1, 1)", "nn.SpatialMaxPooling(3x3, 1,1, 1,1)"),
    ("nn.SpatialAveragePooling(2, 2, 2, 2)", "nn.SpatialAveragePooling(2x2, 2,2)"),
    ("nn.SpatialAveragePooling(2, 2)", "nn.SpatialAveragePooling(2x2, 1,1)"),
    ("nn.SpatialBatchNormalization(16)", "nn.SpatialBatchNormalization (4D) (16)"),
    ("nn.BatchNormalization(10)", "nn.BatchNormalization (2D) (10)"),
    ("nn.VolumetricBatchNormalization(4)", "nn.VolumetricBatchNormalization (5D) (4)"),
    ("nn.SpatialZeroPadding(1,1,1,1)", "nn.SpatialZeroPadding(l=1, r=1, t=1, b=1)"),
    ("nn.SpatialReflectionPadding(1,2,3,4)", "nn.SpatialReflectionPadding(l=1, r=2, t=3, b=4)"),
    ("nn.SpatialReplicationPadding(2)", "nn.SpatialReplicationPadding(l=2, r=2, t=2, b=2)"),
    ("nn.TemporalConvolution(4, 5, 3)", "nn.TemporalConvolution"),
    (
        "nn.SpatialFullConvolution(3, 4, 3, 3, 2, 2, 1, 1, 1, 1)",
        "nn.SpatialFullConvolution(3 -> 4, 3x3, 2,2, 1,1, 1,1)",
    ),
    (
        "nn.SpatialDilatedConvolution(3, 4, 3, 3, 1, 1, 1, 1, 2, 2)",
        "nn.SpatialDilatedConvolution(3 -> 4, 3x3, 1,1, 1,1, 2,2)",
    ),
    (
        "nn.SpatialDilatedMaxPooling(2, 2, 2, 2, 0, 0, 2, 2)",
        "nn.SpatialDilatedMaxPooling(2x2, 2,2, 2,2)",
    ),
    (
        "nn.SpatialConvolutionLocal(3, 4, 8, 8, 3, 3)",
        "nn.SpatialConvolutionLocal(3 -> 4, 8x8, 3x3)",
    ),
    ("nn.VolumetricConvolution(3, 4, 2, 3, 3)", "nn.VolumetricConvolution(3 -> 4, 2x3x3)"),
    ("nn.VolumetricMaxPooling(2, 2, 2)", "nn.VolumetricMaxPooling(2x2x2, 2,2,2)"),
    ("nn.VolumetricAveragePooling(2, 2, 2, 1, 1, 1)", "nn.VolumetricAveragePooling(2x2x2, 1,1,1)"),
    ("nn.SpatialUpSamplingBilinear(2)", "nn.SpatialUpSamplingBilinear(2)"),
    ("nn.SpatialCrossMapLRN(5)", "nn.SpatialCrossMapLRN"),
    ("nn.SpatialAdaptiveMaxPooling(2, 2)", "nn.SpatialAdaptiveMaxPooling"),
]


@pytest.mark.parametrize("ctor,expected", TOSTRING)
def test_tostring(rt: Runtime, ctor: str, expected: str) -> None:
    assert rt.eval(f"tostring({ctor})") == expected


def test_golden_conv_lines_print_as_torch(rt: Runtime) -> None:
    golden = GOLDEN_PRINT_OUT.read_text().splitlines()
    for line in golden:
        for name in ("Spatial", "BatchNormalization", "TemporalConvolution"):
            if f"nn.{name}" in line and "): " in line:
                expected = line.split("): ", 1)[1]
                break
        else:
            continue
        ctor = {
            "nn.SpatialConvolution(3 -> 32, 5x5)": "nn.SpatialConvolution(3, 32, 5, 5)",
            "nn.SpatialConvolution(3 -> 16, 3x3, 1,1, 1,1)": (
                "nn.SpatialConvolution(3, 16, 3, 3, 1, 1, 1, 1)"
            ),
            "nn.SpatialConvolutionMM(3 -> 8, 3x3, 2,2)": (
                "nn.SpatialConvolutionMM(3, 8, 3, 3, 2, 2)"
            ),
            "nn.SpatialMaxPooling(2x2, 2,2)": "nn.SpatialMaxPooling(2, 2, 2, 2)",
            "nn.SpatialMaxPooling(3x3, 3,3)": "nn.SpatialMaxPooling(3, 3)",
            "nn.SpatialAveragePooling(2x2, 2,2)": "nn.SpatialAveragePooling(2, 2, 2, 2)",
            "nn.SpatialBatchNormalization (4D) (16)": "nn.SpatialBatchNormalization(16)",
            "nn.BatchNormalization (2D) (10)": "nn.BatchNormalization(10)",
            "nn.SpatialZeroPadding(l=1, r=1, t=1, b=1)": "nn.SpatialZeroPadding(1,1,1,1)",
            "nn.TemporalConvolution": "nn.TemporalConvolution(4, 5, 3)",
        }.get(expected)
        if ctor:
            assert rt.eval(f"tostring({ctor})") == expected


# ---------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "code,message",
    [
        (
            "nn.SpatialConvolution(3, 4, 3, 3):forward(torch.randn(3, 5))",
            "3D or 4D input tensor expected but got: [3 x 5]",
        ),
        (
            "nn.SpatialConvolution(3, 4, 3, 3):forward(torch.randn(2, 5, 5))",
            "Need input of dimension 3 and input.size[0] == 3",
        ),
        (
            "nn.SpatialConvolution(3, 4, 5, 5):forward(torch.randn(3, 4, 4))",
            "Output size is too small",
        ),
        (
            "nn.SpatialMaxPooling(2, 2):forward(torch.randn(5, 5))",
            "3D or 4D input tensor expected but got: [5 x 5]",
        ),
        (
            "nn.SpatialMaxPooling(2, 2, 2, 2, 2, 2):forward(torch.randn(3, 5, 5))",
            "pad should be smaller than half of kernel size",
        ),
        (
            "nn.BatchNormalization(3):forward(torch.randn(3))",
            "only mini-batch supported (2D tensor), got 1D tensor instead",
        ),
        ("nn.BatchNormalization(3):forward(torch.randn(2, 4))", "got 4-feature tensor, expected 3"),
        (
            "nn.SpatialReflectionPadding(3, 3, 3, 3):forward(torch.randn(1, 3, 3))",
            "Padding size should be less than the corresponding input dimension",
        ),
        (
            "nn.SpatialSubtractiveNormalization(1, torch.ones(2, 2))",
            "averaging kernel must have ODD dimensions",
        ),
    ],
)
def test_clean_errors(rt: Runtime, code: str, message: str) -> None:
    with pytest.raises(LuaError) as err:
        rt.execute(code, "=test")
    assert message in err.value.message
    assert "Traceback" not in err.value.message


# ---------------------------------------------------------------------------- fidelity


@pytest.mark.skipif(not (BENCH / "c_lenet_train.lua").exists(), reason="no bench scripts")
def test_lenet_benchmark_final_loss_matches_torch7() -> None:
    out: list[str] = []
    r = Runtime(write=out.append)
    r.execute((BENCH / "c_lenet_train.lua").read_text(), "@c_lenet_train.lua")
    line = "".join(out)
    assert "final_loss=2.1778" in line, line

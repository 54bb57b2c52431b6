"""The modules nn gained late (FeatureLPPooling, WeightNorm, UpSampling, DontCast, Kmeans ...)
and `require 'moses'`: finite-difference gradients, type and serialization round trips, and
results against definitions written from torch/nn's documentation."""

from __future__ import annotations

import sys
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
    t = rt.execute(f"return {expr}")[0]
    return rt.globals.torch._P[t].arr.copy()


GRADIENT_CASES = [
    ("nn.FeatureLPPooling(2, 1, 2, false)", None, "torch.rand(5, 3) + 0.1"),
    ("nn.FeatureLPPooling(3, 2, 3, true)", None, "torch.rand(2, 7, 2, 3) + 0.1"),
    ("nn.UpSampling(2, 'nearest')", (2, 2, 3, 2), None),
    ("nn.UpSampling(3, 'linear')", (1, 2, 2, 3), None),
    ("nn.UpSampling(2, 'trilinear')", (1, 1, 2, 3, 2), None),
    ("nn.UpSampling({oheight = 5, owidth = 4}, 'bilinear')", (2, 1, 3, 2), None),
    ("nn.UpSampling(2)", (1, 2, 2, 2, 3), None),
    # (square planes: THNN's kernel reads an H x W plane as W x H, see test_depthwise_*)
    ("nn.SpatialDepthWiseConvolution(2, 3, 3, 2, 1, 2, 1, 0)", (2, 5, 5), None),
    ("nn.SpatialDepthWiseConvolution(3, 2, 2, 2, 2, 1)", (2, 3, 5, 5), None),
    ("nn.SpatialDepthWiseConvolution(1, 2, 3, 3):noBias()", (1, 4, 4), None),
    ("nn.VolumetricFractionalMaxPooling(2, 2, 2, 2, 3, 2):fixPoolingRegions()", (2, 5, 6, 4), None),
    (
        "nn.VolumetricFractionalMaxPooling(2, 3, 2, 0.5, 0.6, 0.5):fixPoolingRegions()",
        (2, 1, 6, 7, 6),
        None,
    ),
    ("nn.WeightNorm(nn.Linear(4, 3))", (2, 4), None),
    ("nn.WeightNorm(nn.SpatialConvolution(2, 3, 2, 2), 2)", (2, 4, 4), None),
    ("nn.LinearWeightNorm(4, 3)", (2, 4), None),
    ("nn.LinearWeightNorm(3, 2, false)", (3,), None),
    ("nn.CReLU(1)", (2, 3), None),
    ("nn.CReLU(3)", (2, 3, 2), None),
    ("nn.Collapse(2)", (2, 3, 2), None),
    ("nn.Convert('bchw', 'bhwc')", (2, 3, 2, 2), None),
    ("nn.Convert('chw', 'f')", (2, 3, 2), None),
    ("nn.CAddTensorTable()", None, "{torch.randn(3), {torch.randn(3), torch.randn(3)}}"),
    ("nn.ZipTableOneToMany()", None, "{torch.randn(2), {torch.randn(3), torch.randn(4)}}"),
]


@pytest.mark.parametrize(("ctor", "shape", "input_lua"), GRADIENT_CASES)
def test_gradients(rt: Runtime, ctor: str, shape, input_lua) -> None:
    check_module(rt, ctor, shape, input_lua=input_lua, tol=1e-5)


@pytest.mark.parametrize(
    ("ctor", "input_lua"),
    [
        ("nn.FeatureLPPooling(2, 2, 2, true)", "torch.rand(2, 6, 3)"),
        ("nn.UpSampling(2, 'linear')", "torch.randn(1, 2, 3, 3)"),
        ("nn.SpatialDepthWiseConvolution(2, 2, 3, 3, 1, 1, 1, 1)", "torch.randn(2, 5, 5)"),
        ("nn.VolumetricFractionalMaxPooling(2, 2, 2, 2, 2, 2)", "torch.randn(1, 4, 5, 5)"),
        ("nn.WeightNorm(nn.Linear(3, 2))", "torch.randn(4, 3)"),
        ("nn.LinearWeightNorm(3, 2)", "torch.randn(4, 3)"),
        ("nn.CReLU(1)", "torch.randn(2, 3)"),
        ("nn.Kmeans(3, 2)", "torch.randn(6, 2)"),
        ("nn.Constant(torch.randn(2, 2), 1)", "torch.randn(3, 4)"),
        ("nn.OneHot(5)", "torch.LongTensor{1, 5, 2}"),
        ("nn.Collapse(2)", "torch.randn(3, 2, 2)"),
        ("nn.Convert('bchw', 'bf')", "torch.randn(2, 3, 2, 2)"),
        ("nn.ZeroGrad()", "torch.randn(3)"),
        ("nn.Profile(nn.Linear(3, 2), 1000)", "torch.randn(3)"),
        ("nn.NaN(nn.Linear(3, 2))", "torch.randn(3)"),
    ],
)
def test_type_and_serialization(rt: Runtime, ctor: str, input_lua: str) -> None:
    """float() keeps the results; torch.save/load gives the same module (output and printing)."""
    rt.execute(f"m = {ctor}; m:evaluate(); x = {input_lua}; y = m:forward(x):clone()")
    ok = rt.execute("""
    local m2 = torch.deserialize(torch.serialize(m))
    -- (FeatureLPPooling with a boolean batch_mode cannot print, as in nn: compare the errors)
    local same = m2:forward(x):equal(y)
       and select(2, pcall(tostring, m2)) == select(2, pcall(tostring, m))
    local xf = x:type() == 'torch.DoubleTensor' and x:float() or x
    local yf = m:clone():float():forward(xf)
    local close = (yf:double() - y):abs():max() < 1e-4
    return same, close, torch.type(yf)""")
    assert ok[0] is True, "serialization round trip changed the module"
    assert ok[1] is True, "float results differ from double"
    assert ok[2] == "torch.FloatTensor"


def test_feature_lp_pooling_definition(rt: Runtime) -> None:
    rt.execute("x = torch.rand(2, 7, 3); m = nn.FeatureLPPooling(3, 2, 2, true); y = m:forward(x)")
    x = arr(rt, "x")
    want = np.stack([np.sqrt((x[:, i : i + 3] ** 2).sum(axis=1)) for i in (0, 2, 4)], axis=1)
    np.testing.assert_allclose(arr(rt, "y"), want, rtol=1e-12)


def test_upsampling_linear_matches_spatial_bilinear(rt: Runtime) -> None:
    rt.execute("""x = torch.randn(2, 3, 4, 5)
    a = nn.UpSampling(3, 'linear'):forward(x)
    b = nn.SpatialUpSamplingBilinear({oheight = 12, owidth = 15}):forward(x)""")
    np.testing.assert_allclose(arr(rt, "a"), arr(rt, "b"), rtol=1e-12)
    assert tuple(arr(rt, "nn.UpSampling(2):forward(torch.randn(1, 1, 2, 2, 3))").shape) == (
        1,
        1,
        4,
        4,
        6,
    )


def test_depthwise_matches_per_plane_convolutions(rt: Runtime) -> None:
    """Output plane (c-1)*m + j is input plane c convolved with kernel j (nn's own check)."""
    rt.execute("""
    n, m, k = 3, 2, 3
    conv = nn.SpatialDepthWiseConvolution(n, m, k, k, 2, 1, 1, 1)
    x = torch.randn(2, n, 7, 7)
    y = conv:forward(x)
    ref = torch.Tensor(y:size())
    local w = conv.weight:view(m, n, k, k)
    for c = 1, n do
       local sc = nn.SpatialConvolution(1, m, k, k, 2, 1, 1, 1)
       sc.weight:copy(w[{{}, {c}}]); sc.bias:copy(conv.bias[{{}, c}])
       ref[{{}, {(c - 1) * m + 1, c * m}}]:copy(sc:forward(x[{{}, {c}}]))
    end""")
    np.testing.assert_allclose(arr(rt, "y"), arr(rt, "ref"), rtol=1e-10, atol=1e-12)
    # THNN reads a non-square H x W plane as a W x H image (its memory order kept)
    rt.execute("""
    x = torch.randn(1, n, 4, 6)
    y = conv:forward(x)
    yt = conv:forward(x:view(1, n, 6, 4))""")
    assert arr(rt, "y").shape == arr(rt, "yt").shape == (1, 6, 4, 3)
    np.testing.assert_array_equal(arr(rt, "y"), arr(rt, "yt"))
    assert rt.execute("return conv.weight:dim()")[0] == 4  # reshaped in place, as THNN does


def test_kmeans_finds_clusters(rt: Runtime) -> None:
    rt.execute("""
    torch.manualSeed(1)
    x = torch.Tensor(60, 2)
    for i = 1, 60 do x[i]:fill(i % 3) end
    km = nn.Kmeans(3, 2)
    km:initKmeansPlus(x)
    for i = 1, 20 do
       km:zeroGradParameters(); km:forward(x); km:backward(x)
       km.weight:add(-1, km.gradWeight)
    end""")
    assert rt.execute("return km.loss")[0] < 1e-5
    centres = sorted(arr(rt, "km.weight")[:, 0].round(6).tolist())
    assert centres == [0.0, 1.0, 2.0]


def test_dontcast_keeps_the_inner_type(rt: Runtime) -> None:
    out = rt.execute("""
    local lin = nn.Linear(3, 2):float()
    local m = nn.DontCast(lin, true)
    local y = m:forward(torch.randn(4, 3))
    m:double()
    return torch.type(y), torch.type(lin.weight), torch.type(m:forward(torch.randn(3)))""")
    assert out == ("torch.DoubleTensor", "torch.FloatTensor", "torch.DoubleTensor")


def test_nan_names_the_culprit(rt: Runtime) -> None:
    with pytest.raises(LuaError) as err:
        rt.execute("local m = nn.NaN(nn.Linear(2, 2), 7); m:forward(torch.Tensor{0/0, 1})")
    assert "NaN found in input of module :\nnn.NaN(7) @ nn.Linear(2 -> 2)" in err.value.message


def test_weightnorm_weight_is_g_times_direction(rt: Runtime) -> None:
    rt.execute(
        "wn = nn.WeightNorm(nn.SpatialConvolution(2, 3, 2, 2), 1); wn:forward(torch.randn(2, 3, 3))"
    )
    v, g, w = arr(rt, "wn.v"), arr(rt, "wn.g"), arr(rt, "wn.weight")
    norm = np.sqrt((v**2).sum(axis=1) + 1e-4)
    np.testing.assert_allclose(w.reshape(3, -1), v * (g.reshape(-1) / norm)[:, None], rtol=1e-12)


def test_printing(rt: Runtime) -> None:
    shown = rt.execute("""return tostring(nn.UpSampling(2)), tostring(nn.CReLU(1)),
       tostring(nn.SpatialDepthWiseConvolution(3, 2, 3, 3, 1, 1, 1, 1)),
       tostring(nn.VolumetricFractionalMaxPooling(2, 2, 2, 3, 4, 5)),
       tostring(nn.LinearWeightNorm(3, 2, false)), tostring(nn.WhiteNoise(0, 0.5))""")
    assert shown == (
        "nn.UpSampling(2x, nearest)",
        "CReLU()",
        "nn.SpatialDepthWiseConvolution(3 -> 2, 3x3, 1,1, 1,1)",
        "nn.VolumetricFractionalMaxPooling(3x4x5, 2,2,2)",
        "nn.LinearWeightNorm(3 -> 2) without bias",
        "nn.WhiteNoise mean: 0.000000, std: 0.500000",
    )


def test_moses_1x_argument_order(rt: Runtime) -> None:
    out = rt.execute("""
    local _ = require 'moses'
    local m = _.map({10, 20}, function(k, v) return k + v end)
    local s = _.select({1, 2, 3, 4}, function(k, v) return v % 2 == 0 end)
    local chained = _({3, 1, 2}):sort():map(function(k, v) return v * 10 end):value()
    return m[2], #s, _.indexOf({'a', 'b'}, 'b'), _.isNaN(0/0), chained[1],
       _.reduce({1, 2, 3}, function(state, v) return state * v end, 1),
       table.concat(_.range(1, 10, 3), ','), _.size(1, 2, 3)""")
    assert out == (22, 2, 2, True, 10, 6, "1,4,7,10", 3)


def test_index_linear_matches_linear(rt: Runtime) -> None:
    """Sparse (key, value) inputs give nn.Linear's results on the dense vectors, including the
    update after two backward calls."""
    rt.execute("""
    torch.manualSeed(3)
    lin = nn.Linear(12, 4)
    il = nn.IndexLinear(12, 4)
    il.weight:copy(lin.weight:t()); il.bias:copy(lin.bias)
    keys = {torch.LongTensor{1, 5, 12}, torch.LongTensor{2, 5}}
    vals = {torch.randn(3), torch.randn(2)}
    dense = torch.zeros(2, 12)
    for i = 1, 2 do dense[i]:indexCopy(1, keys[i], vals[i]) end
    go = torch.randn(2, 4)
    y1 = il:forward({keys, vals}):clone(); y2 = lin:forward(dense):clone()
    il:zeroGradParameters(); lin:zeroGradParameters()
    for _ = 1, 2 do
       il:forward({keys, vals}); il:backward({keys, vals}, go)
       lin:forward(dense); lin:backward(dense, go)
    end
    il:updateParameters(0.1); lin:updateParameters(0.1)""")
    np.testing.assert_allclose(arr(rt, "y1"), arr(rt, "y2"), rtol=1e-12)
    np.testing.assert_allclose(arr(rt, "il.weight"), arr(rt, "lin.weight").T, rtol=1e-12)
    np.testing.assert_allclose(arr(rt, "il.bias"), arr(rt, "lin.bias"), rtol=1e-12)


def test_cmaxtable_pairs_elements_in_storage_order(rt: Runtime) -> None:
    rt.execute("""
    m = nn.CMaxTable()
    y = m:forward({torch.Tensor{{1, 3}, {2, 4}}, torch.Tensor{4, 2, 3, 1}}):clone()
    gi = m:backward({torch.Tensor{{1, 3}, {2, 4}}, torch.Tensor{4, 2, 3, 1}},
                    torch.Tensor{5, 6, 7, 8})""")
    np.testing.assert_array_equal(arr(rt, "y"), [[4, 3], [3, 4]])
    np.testing.assert_array_equal(arr(rt, "gi[1]"), [[0, 6], [0, 8]])
    np.testing.assert_array_equal(arr(rt, "gi[2]"), [5, 0, 7, 0])
    with pytest.raises(LuaError) as err:
        rt.execute("nn.CMinTable():forward({torch.Tensor{1, 3}, torch.Tensor{4, 2, 3, 1}})")
    assert "inconsistent tensor size, expected r_ [4], ta [4] and tb [2]" in err.value.message


def test_addconstant_tensor_over_a_batch(rt: Runtime) -> None:
    rt.execute("m = nn.AddConstant(torch.Tensor{1, 2, 3}); y = m:forward(torch.ones(2, 3))")
    np.testing.assert_array_equal(arr(rt, "y"), [[2, 3, 4], [2, 3, 4]])
    rt.execute("m2 = nn.AddConstant(nil, true)")  # nn checks the constant at forward only
    with pytest.raises(LuaError) as err:
        rt.execute("m2:forward(torch.ones(3))")
    assert (
        "input is not scalar or doesn't match with the dimension of constant!" in err.value.message
    )


def test_batchnorm_batch_of_one_keeps_running_stats(rt: Runtime) -> None:
    rt.execute("""
    bn = nn.BatchNormalization(3)
    bn.running_mean:copy(torch.Tensor{1, 2, 3}); bn.running_var:copy(torch.Tensor{4, 1, 9})
    x = torch.randn(1, 3); y = bn:forward(x)""")
    np.testing.assert_array_equal(arr(rt, "bn.running_var"), [4, 1, 9])
    x = arr(rt, "x")
    w, b = arr(rt, "bn.weight"), arr(rt, "bn.bias")
    want = (x - [1, 2, 3]) / np.sqrt(np.array([4, 1, 9]) + 1e-5) * w + b
    np.testing.assert_allclose(arr(rt, "y"), want, rtol=1e-12)


def test_hessian_of_convolutions() -> None:
    """nn.hessian's diagonal terms equal the sums of squared first derivatives (nn's check)."""
    r = Runtime(write=lambda s: None)
    r.execute("require 'nn'; nn.hessian.enable()")
    for ctor, shape in [
        ("nn.SpatialConvolution(2, 3, 3, 2)", "2, 5, 4"),
        ("nn.SpatialConvolutionLocal(2, 2, 4, 4, 2, 2)", "2, 4, 4"),
        ("nn.SpatialFullConvolutionMap(nn.tables.oneToOne(2), 2, 2)", "2, 3, 3"),
    ]:
        errs = r.execute(f"""
        local m = {ctor}
        local x = torch.randn({shape})
        m:forward(x); m:backward(x, m.output:clone():fill(1))
        return nn.Jacobian.testDiagHessianInput(m, x), nn.Jacobian.testDiagHessianWeight(m, x),
           nn.Jacobian.testDiagHessianBias(m, x)""")
        assert max(errs) < 1e-8, (ctor, errs)


def test_profile_saves_its_timer_as_nothing(rt: Runtime) -> None:
    """As nn does: the torch.Timer inside an nn.Profile is written without fields (so .t7 files
    of real Torch7 load) and comes back as a running timer."""
    out = rt.execute("""
    local s = torch.serialize(nn.Profile(nn.Linear(2, 2), 10))
    local p = torch.deserialize(s)
    return s:find('_start', 1, true) == nil, torch.type(p.timer), p.timer:time().real >= 0""")
    assert out == (True, "torch.Timer", True)

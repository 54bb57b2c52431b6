"""nn containers, simple layers, table layers, nn.Jacobian and nn.StochasticGradient.

Gradients are checked by finite differences (tests/nn_gradcheck.py), printing against real
Torch7's print.out, values against numpy reference maths.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from nn_gradcheck import check_module

from luatorch.pytest_plugin import LuaFixture

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
PRINT_OUT = GOLDEN / "print.out"


@pytest.fixture(scope="module")
def nnlua() -> LuaFixture:
    """One runtime for the whole file (the checks only create fresh modules)."""
    lua = LuaFixture()
    lua.run("require 'nn'")
    return lua


@pytest.fixture
def lua(nnlua: LuaFixture) -> LuaFixture:
    nnlua.clear_output()
    return nnlua


# ----------------------------------------------------------------------------- gradients
T = "torch.randn"
CASES = [
    # containers
    ("nn.Concat(2):add(nn.Linear(3,2)):add(nn.Linear(3,4)):add(nn.Identity())", (4, 3), {}),
    ("nn.Concat(1):add(nn.Linear(3,2)):add(nn.Tanh())", (3,), {}),
    ("nn.DepthConcat(1):add(nn.Linear(3,2)):add(nn.Linear(3,4))", (3,), {}),
    ("nn.ConcatTable():add(nn.Linear(3,2)):add(nn.Identity())", (2, 3), {}),
    (
        "nn.ConcatTable():add(nn.SelectTable(1)):add(nn.CAddTable())",
        None,
        {"input_lua": f"{{{T}(2,3), {T}(2,3)}}"},
    ),
    ("nn.Parallel(1,1):add(nn.Linear(3,2)):add(nn.Linear(3,4))", (2, 3), {}),
    (
        "nn.ParallelTable():add(nn.Linear(3,2)):add(nn.Tanh())",
        None,
        {"input_lua": f"{{{T}(2,3), {T}(4)}}"},
    ),
    ("nn.MapTable(nn.Linear(3,2))", None, {"input_lua": f"{{{T}(2,3), {T}(3)}}"}),
    ("nn.Bottle(nn.Linear(3,2))", (2, 4, 3), {}),
    ("nn.Decorator(nn.Linear(3,2))", (2, 3), {}),
    # simple layers
    ("nn.View(6)", (2, 3), {}),
    ("nn.View(-1, 2)", (3, 4), {}),
    ("nn.View(3):setNumInputDims(2)", (2, 3, 1), {}),
    ("nn.Reshape(6)", (2, 3), {}),
    ("nn.Reshape(2,3)", (4, 6), {}),
    ("nn.Contiguous()", (2, 3), {}),
    ("nn.Select(2, -1)", (2, 3), {}),
    ("nn.Narrow(2, 2, 2)", (3, 4), {}),
    ("nn.Narrow(1, 2, -2)", (5,), {}),
    ("nn.Index(1)", None, {"input_lua": f"{{{T}(4,3), torch.LongTensor{{1,3,3}}}}"}),
    ("nn.Squeeze()", (2, 1, 3), {}),
    ("nn.Unsqueeze(2)", (2, 3), {}),
    ("nn.Replicate(3, 2)", (2, 3), {}),
    ("nn.Transpose({1,2},{2,3})", (2, 3, 4), {}),
    ("nn.Padding(1, -2, 1, 5)", (3,), {}),
    ("nn.Padding(1, 2, 1, 0, 2)", (2, 3), {}),
    ("nn.Copy()", (2, 3), {}),
    ("nn.Max(2)", (3, 4), {}),
    ("nn.Min(1)", (4,), {}),
    ("nn.Max(-1, 1)", (3, 4), {}),
    ("nn.Sum(2)", (3, 4), {}),
    ("nn.Mean(1)", (3, 4), {}),
    ("nn.Sum(1, 1)", (3, 4), {}),
    ("nn.CMul(3)", (2, 3), {}),
    ("nn.CMul(2,3)", (2, 3), {}),
    ("nn.CMul(1,3)", (4, 3), {}),
    ("nn.Mul()", (2, 3), {}),
    ("nn.MulConstant(2.5)", (2, 3), {}),
    ("nn.CAdd(3)", (2, 3), {}),
    ("nn.CAdd(1,3)", (4, 3), {}),
    ("nn.Add(3)", (2, 3), {}),
    ("nn.Add(3)", (3,), {}),
    ("nn.Add(3, true)", (2, 3), {}),
    ("nn.AddConstant(2)", (2, 3), {}),
    ("nn.Euclidean(3, 4)", (2, 3), {}),
    ("nn.Euclidean(3, 4)", (3,), {}),
    ("nn.WeightedEuclidean(3, 4)", (2, 3), {}),
    ("nn.PairwiseDistance(2)", None, {"input_lua": f"{{{T}(3,4), {T}(3,4)}}", "tol": 1e-5}),
    ("nn.PairwiseDistance(1)", None, {"input_lua": f"{{{T}(4), {T}(4)}}", "tol": 1e-5}),
    ("nn.PairwiseDistance(3)", None, {"input_lua": f"{{{T}(3,4), {T}(3,4)}}", "tol": 1e-5}),
    ("nn.CosineDistance()", None, {"input_lua": f"{{{T}(3,4), {T}(3,4)}}"}),
    ("nn.CosineDistance()", None, {"input_lua": f"{{{T}(4), {T}(4)}}"}),
    ("nn.DotProduct()", None, {"input_lua": f"{{{T}(3,4), {T}(3,4)}}"}),
    # nn's Cosine does not scale its batch weight gradient, and scales only one of the two
    # terms of its vector one: Torch7's behaviour, kept
    ("nn.Cosine(3, 4)", (2, 3), {"check_scale": False}),
    ("nn.Cosine(3, 4)", (3,), {"check_scale": False}),
    ("nn.Normalize(2)", (3, 4), {}),
    ("nn.Normalize(1.5)", (4,), {}),
    ("nn.Normalize(math.huge)", (3, 4), {}),
    ("nn.MM()", None, {"input_lua": f"{{{T}(3,4), {T}(4,2)}}"}),
    ("nn.MM(true, true)", None, {"input_lua": f"{{{T}(2,4,3), {T}(2,2,4)}}"}),
    ("nn.MV()", None, {"input_lua": f"{{{T}(3,4), {T}(4)}}"}),
    ("nn.MV(true)", None, {"input_lua": f"{{{T}(2,4,3), {T}(2,4)}}"}),
    ("nn.Maxout(3, 2, 4)", (2, 3), {}),
    ("nn.PixelShuffle(2)", (2, 8, 2, 3), {}),
    ("nn.PixelShuffle(2)", (4, 2, 2), {}),
    (
        "nn.MaskedSelect()",
        None,
        {"input_lua": f"{{{T}(3,4), torch.ByteTensor{{{{1,0,1,1}},{{0,0,1,0}},{{1,1,1,0}}}}}}"},
    ),
    # nn's Bilinear applies accGradParameters' scale to the bias gradient only (its weight
    # gradient is an addmm without it): Torch7's behaviour, kept
    (
        "nn.Bilinear(3, 2, 4)",
        None,
        {"input_lua": f"{{{T}(5,3), {T}(5,2)}}", "check_scale": False},
    ),
    (
        "nn.Bilinear(3, 2, 4, false)",
        None,
        {"input_lua": f"{{{T}(5,3), {T}(5,2)}}", "check_scale": False},
    ),
    ("nn.LookupTable(10, 3)", None, {"input_lua": "torch.LongTensor{1, 4, 4, 10}"}),
    ("nn.LookupTable(10, 3)", None, {"input_lua": "torch.LongTensor{{1, 4}, {4, 10}}"}),
    (
        "nn.LookupTable(10, 3):scaleGradByFreq()",
        None,
        {"input_lua": "torch.LongTensor{1, 4, 4, 10}", "check_params": False},
    ),
    ("nn.PartialLinear(3, 5)", (2, 3), {}),
    (
        # a batch (a table of samples): nn's SparseLinear resizes a single sample's 1D
        # gradOutput in place, so the checker's reused gradOutput fails in Torch7 too
        "nn.SparseLinear(6, 3)",
        None,
        {
            "input_lua": "{torch.Tensor{{1, 0.5}, {4, -1}, {6, 2}}, torch.Tensor{{2, 1.5}}}",
            "check_input": False,
        },
    ),
    # table layers
    ("nn.SplitTable(2)", (2, 3), {}),
    ("nn.SplitTable(-1)", (2, 3), {}),
    ("nn.JoinTable(2)", None, {"input_lua": f"{{{T}(2,3), {T}(2,1)}}"}),
    ("nn.JoinTable(1, 1)", None, {"input_lua": f"{{{T}(2,3), {T}(2,1)}}"}),
    ("nn.SelectTable(-1)", None, {"input_lua": f"{{{T}(2,3), {{{T}(2), {T}(1)}}}}"}),
    ("nn.NarrowTable(2, 2)", None, {"input_lua": f"{{{T}(2), {T}(3), {T}(1), {T}(2)}}"}),
    ("nn.FlattenTable()", None, {"input_lua": f"{{{T}(2), {{{T}(3), {{{T}(1)}}}}}}"}),
    ("nn.MixtureTable()", None, {"input_lua": f"{{{T}(2,3), {{{T}(2,4), {T}(2,4), {T}(2,4)}}}}"}),
    ("nn.MixtureTable()", None, {"input_lua": f"{{{T}(3), {{{T}(4), {T}(4), {T}(4)}}}}"}),
    ("nn.MixtureTable()", None, {"input_lua": f"{{{T}(2,3), {T}(2,3,4)}}"}),
    ("nn.MixtureTable(3)", None, {"input_lua": f"{{{T}(2,3), {T}(2,4,3)}}"}),
    ("nn.CAddTable()", None, {"input_lua": f"{{{T}(2,3), {T}(2,3), {T}(2,3)}}"}),
    ("nn.CSubTable()", None, {"input_lua": f"{{{T}(2,3), {T}(2,3)}}"}),
    ("nn.CMulTable()", None, {"input_lua": f"{{{T}(2,3), {T}(2,3), {T}(2,3)}}"}),
    ("nn.CDivTable()", None, {"input_lua": f"{{{T}(2,3), torch.rand(2,3):add(1)}}"}),
    ("nn.CMaxTable()", None, {"input_lua": f"{{{T}(2,3), {T}(2,3), {T}(2,3)}}"}),
    ("nn.CMinTable()", None, {"input_lua": f"{{{T}(2,3), {T}(2,3)}}"}),
    ("nn.ZipTable()", None, {"input_lua": f"{{{{{T}(2), {T}(3)}}, {{{T}(2), {T}(1)}}}}"}),
]


@pytest.mark.parametrize("dtype", ["double", "float"])
@pytest.mark.parametrize(
    ("ctor", "shape", "kw"), CASES, ids=[f"{c}-{s or k.get('input_lua')}" for c, s, k in CASES]
)
def test_gradients(nnlua: LuaFixture, ctor: str, shape, kw, dtype: str) -> None:
    check_module(nnlua.runtime, ctor, shape, dtype, **kw)


def test_gradcheck_catches_a_wrong_gradient(lua: LuaFixture) -> None:
    lua.run("""
      local Bad, parent = torch.class('nn.BadTestModule', 'nn.Module')
      function Bad:updateOutput(x) self.output:resizeAs(x):copy(x):mul(2) return self.output end
      function Bad:updateGradInput(x, g)
         self.gradInput:resizeAs(g):copy(g)
         return self.gradInput
      end
    """)
    with pytest.raises(AssertionError, match="gradInput differs"):
        check_module(lua.runtime, "nn.BadTestModule()", (3,))


# ----------------------------------------------------------------------------- printing
def _golden_sections() -> dict[str, str]:
    out: dict[str, list[str]] = {}
    title = None
    for line in PRINT_OUT.read_text().splitlines():
        if line.startswith("==== "):
            title = line[5:]
            out[title] = []
        elif title is not None:
            out[title].append(line)
    return {k: "\n".join(v) + "\n" for k, v in out.items()}


needs_golden = pytest.mark.skipif(not PRINT_OUT.exists(), reason="golden print.out absent")


@needs_golden
@pytest.mark.parametrize(
    ("title", "code"),
    [
        (
            "nn.Concat",
            "print(nn.Concat(2):add(nn.Linear(4, 2)):add(nn.Linear(4, 3)):add(nn.Identity()))",
        ),
        (
            "nn.ConcatTable",
            "print(nn.ConcatTable():add(nn.Identity()):add(nn.Sequential()"
            ":add(nn.Linear(2,2)):add(nn.Sigmoid())))",
        ),
        ("nn.Parallel", "print(nn.Parallel(1, 2):add(nn.Linear(3, 4)):add(nn.Linear(3, 4)))"),
        (
            "nn.ParallelTable / nn.JoinTable / nn.CAddTable / nn.SelectTable",
            "print(nn.Sequential():add(nn.ParallelTable():add(nn.Linear(2,3)):add(nn.Linear(2,3)))"
            ":add(nn.CAddTable())) print(nn.JoinTable(1)) print(nn.SelectTable(2))"
            " print(nn.MapTable(nn.Linear(2,2)))",
        ),
    ],
)
def test_container_printing_matches_torch(lua: LuaFixture, title: str, code: str) -> None:
    lua.run(code)
    assert lua.take_output() == _golden_sections()[title]


@needs_golden
def test_nested_concat_printing_matches_torch(lua: LuaFixture) -> None:
    if not lua.eval("nn.LogSoftMax ~= nil"):
        pytest.skip("nn.LogSoftMax (another family) is not there yet")
    lua.run("""
      local inner = nn.Sequential():add(nn.Linear(10, 20)):add(nn.Tanh())
      local concat = nn.Concat(1):add(nn.Linear(20, 5))
         :add(nn.Sequential():add(nn.Linear(20, 3)):add(nn.ReLU()))
      print(nn.Sequential():add(inner):add(concat):add(nn.Dropout(0.5)):add(nn.LogSoftMax()))
    """)
    assert lua.take_output() == _golden_sections()["nn.Sequential nested containers"]


@needs_golden
def test_layer_printing_matches_torch(lua: LuaFixture) -> None:
    golden = _golden_sections()["conv net modules"].splitlines()
    lines = {
        m.group(1): m.group(2)
        for m in (re.match(r"  \((\d+)\): (.*)$", line) for line in golden)
        if m
    }
    mods = {
        11: "nn.View(64*5*5)",
        12: "nn.View(-1, 4)",
        13: "nn.Reshape(4, 5)",
        15: "nn.Dropout()",
        20: "nn.Identity()",
        21: "nn.LookupTable(100, 8)",
        22: "nn.Narrow(1, 2, 3)",
        23: "nn.Mul()",
        24: "nn.Add(3)",
        25: "nn.CMul(3)",
        26: "nn.Euclidean(3, 2)",
        32: "nn.Max(1)",
        33: "nn.Sum(1)",
        34: "nn.Mean(1)",
        38: "nn.Transpose({1,2})",
        39: "nn.Replicate(2)",
        40: "nn.Padding(1, 2)",
        41: "nn.Squeeze()",
        43: "nn.MulConstant(2)",
        44: "nn.AddConstant(1)",
        45: "nn.Normalize(2)",
        47: "nn.Bilinear(2, 3, 4)",
        48: "nn.CosineDistance()",
        49: "nn.Copy('torch.DoubleTensor', 'torch.FloatTensor')",
    }
    for i, ctor in mods.items():
        assert lua.eval(f"tostring({ctor})") == lines[str(i)], ctor


def test_other_tostrings(lua: LuaFixture) -> None:
    cases = {
        "nn.Dropout(0.2)": "nn.Dropout(0.200000)",
        "nn.SpatialDropout(0.3)": "nn.SpatialDropout(0.300000)",
        "nn.VolumetricDropout()": "nn.VolumetricDropout(0.500000)",
        "nn.Normalize(math.huge)": "nn.Normalize(inf)",
        "nn.Normalize(1.5)": "nn.Normalize(1.500000)",
        "nn.Bilinear(2, 3, 4, false)": "nn.Bilinear(2x3 -> 4)  without bias",
        "nn.Bottle(nn.Linear(2, 3))": "nn.Bottle @ nn.Linear(2 -> 3)",
        "nn.Decorator(nn.Tanh())": "nn.Decorator @ nn.Tanh",
        "nn.PartialLinear(3, 4)": "nn.PartialLinear(3 -> 4)",
        "nn.SparseLinear(5, 2)": "nn.SparseLinear",
        "nn.Unsqueeze(2)": "nn.Unsqueeze(dim 2)",
        "nn.View(2, 3)": "nn.View(2, 3)",
        "nn.MapTable()": "nn.MapTable { }",
        "nn.DepthConcat(1):add(nn.Tanh())": (
            "nn.DepthConcat {\n  input\n     `-> (1): nn.Tanh\n     ... -> output\n}"
        ),
    }
    for ctor, expected in cases.items():
        assert lua.eval(f"tostring({ctor})") == expected, ctor
    assert lua.eval("tostring(nn.Maxout(3, 4, 2))").startswith("nn.Sequential {")


# ----------------------------------------------------------------------------- values
def test_concat_and_join_values(lua: LuaFixture) -> None:
    x, out, join = lua.run("""
      local x = torch.randn(2, 3)
      local m = nn.Concat(2):add(nn.Identity()):add(nn.MulConstant(2))
      return x, m:forward(x), nn.JoinTable(1):forward({x, x:narrow(1, 1, 1)})
    """)
    np.testing.assert_allclose(out, np.concatenate([x, 2 * x], 1))
    np.testing.assert_allclose(join, np.concatenate([x, x[:1]], 0))


def test_depthconcat_centres_smaller_outputs(lua: LuaFixture) -> None:
    (out,) = lua.run("""
      local m = nn.DepthConcat(1):add(nn.Identity()):add(nn.Narrow(2, 2, 2))
      return m:forward(torch.range(1, 8):view(2, 4))
    """)
    x = np.arange(1, 9.0).reshape(2, 4)
    expected = np.zeros((4, 4))
    expected[:2] = x
    expected[2:, 1:3] = x[:, 1:3]
    np.testing.assert_array_equal(out, expected)


def test_reductions_match_numpy(lua: LuaFixture) -> None:
    x, s, m, mx, idx, mn, s1 = lua.run("""
      local x = torch.randn(3, 4)
      local max = nn.Max(2)
      local mx = max:forward(x)
      return x, nn.Sum(1):forward(x), nn.Mean(2):forward(x), mx, max._indices,
             nn.Min(1):forward(x), nn.Sum(1):forward(torch.randn(5)):size(1)
    """)
    np.testing.assert_allclose(s, x.sum(0))
    np.testing.assert_allclose(m, x.mean(1))
    np.testing.assert_allclose(mx, x.max(1))
    np.testing.assert_array_equal(idx.reshape(-1), x.argmax(1) + 1)
    np.testing.assert_allclose(mn, x.min(0))
    assert s1 == 1  # Sum of a vector keeps one dimension, as Torch's sum does


def test_distances_match_numpy(lua: LuaFixture) -> None:
    x, w, eu, a, b, cd, pd, nz = lua.run("""
      local x = torch.randn(2, 3)
      local m = nn.Euclidean(3, 4)
      local a, b = torch.randn(2, 3), torch.randn(2, 3)
      return x, m.weight, m:forward(x), a, b, nn.CosineDistance():forward({a, b}),
             nn.PairwiseDistance(1):forward({a, b}), nn.Normalize(2):forward(x)
    """)
    np.testing.assert_allclose(eu, np.linalg.norm(x[:, :, None] - w[None], axis=1))
    cos = (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)
    np.testing.assert_allclose(cd, cos)
    np.testing.assert_allclose(pd, np.abs(a - b).sum(1))
    np.testing.assert_allclose(nz, x / np.linalg.norm(x, axis=1, keepdims=True))


def test_bilinear_matches_numpy(lua: LuaFixture) -> None:
    a, b, w, bias, y = lua.run("""
      local m = nn.Bilinear(3, 2, 4)
      local a, b = torch.randn(5, 3), torch.randn(5, 2)
      return a, b, m.weight, m.bias, m:forward({a, b})
    """)
    np.testing.assert_allclose(y, np.einsum("bi,kij,bj->bk", a, w, b) + bias)


def test_lookuptable(lua: LuaFixture) -> None:
    w, y, yb, gw = lua.run("""
      local m = nn.LookupTable(5, 3, 2)
      local idx = torch.LongTensor{1, 2, 2, 5}
      local y = m:forward(idx):clone()
      local yb = m:forward(torch.LongTensor{{1, 2}, {5, 5}}):clone()
      m:zeroGradParameters()
      m:forward(idx)
      m:backward(idx, torch.ones(4, 3))
      return m.weight, y, yb, m.gradWeight
    """)
    np.testing.assert_array_equal(y, w[[0, 1, 1, 4]])
    assert yb.shape == (2, 2, 3)
    # paddingValue 2: index 2 gets no gradient
    np.testing.assert_array_equal(gw[:, 0], [1, 0, 0, 0, 1])


def test_lookuptable_maxnorm_renormalises_used_rows(lua: LuaFixture) -> None:
    before, after = lua.run("""
      local m = nn.LookupTable(4, 3, 0, 1)
      m.weight:fill(2)
      local before = m.weight:clone()
      m:forward(torch.LongTensor{2, 3})
      return before, m.weight
    """)
    norms = np.linalg.norm(after, axis=1)
    assert np.all(norms[[1, 2]] <= 1 + 1e-6)
    np.testing.assert_array_equal(after[[0, 3]], before[[0, 3]])


def test_lookuptable_bad_index_is_a_lua_error(lua: LuaFixture) -> None:
    lua.raises("nn.LookupTable(5, 3):forward(torch.LongTensor{1, 6})", match="out of range")
    lua.raises(
        "nn.LookupTable(5, 3):forward(torch.LongTensor(2, 2, 2):fill(1))",
        match="input must be a vector or matrix",
    )


def test_init_draws_torch_random_numbers(lua: LuaFixture) -> None:
    got, want = lua.run("""
      torch.manualSeed(7)
      local m = nn.CMul(2, 3)
      local e = nn.Euclidean(3, 2)
      local b = nn.Bilinear(2, 3, 4)
      local l = nn.LookupTable(3, 2)
      local got = torch.cat({m.weight:view(-1), e.weight:view(-1), b.weight:view(-1), b.bias,
                             l.weight:view(-1)}, 1)
      torch.manualSeed(7)
      local w1 = torch.Tensor(6):uniform(-1 / math.sqrt(6), 1 / math.sqrt(6))
      local w2 = torch.Tensor(6):uniform(-1 / math.sqrt(3), 1 / math.sqrt(3))
      local w3 = torch.Tensor(24):uniform(-1 / math.sqrt(2), 1 / math.sqrt(2))
      local w4 = torch.Tensor(4):uniform(-1 / math.sqrt(2), 1 / math.sqrt(2))
      local w5 = torch.Tensor(6):normal(0, 1)
      return got, torch.cat({w1, w2, w3, w4, w5}, 1)
    """)
    np.testing.assert_array_equal(got, want)


def test_dropout(lua: LuaFixture) -> None:
    y, g, noise, ev, v1, v1g = lua.run("""
      local m = nn.Dropout(0.25)
      local x = torch.ones(200)
      local y = m:forward(x):clone()
      local g = m:backward(x, torch.ones(200)):clone()
      m:evaluate()
      local ev = m:forward(x):clone()
      local old = nn.Dropout(0.25, true)
      old:evaluate()
      return y, g, m.noise, ev, old:forward(x):clone(), old:backward(x, torch.ones(200))
    """)
    assert set(np.unique(y)) <= {0.0, 1 / 0.75}
    assert 0 < (y == 0).sum() < 200
    np.testing.assert_array_equal(g, noise)
    np.testing.assert_array_equal(ev, np.ones(200))
    np.testing.assert_allclose(v1, 0.75 * np.ones(200))
    np.testing.assert_allclose(v1g, 0.75 * np.ones(200))
    lua.raises("nn.Dropout(1)", match="illegal percentage")


def test_spatial_dropout_drops_whole_maps(lua: LuaFixture) -> None:
    (y,) = lua.run("return nn.SpatialDropout(0.5):forward(torch.ones(2, 8, 3, 3))")
    per_map = y.reshape(16, 9)
    assert np.all((per_map == 0).all(1) | (per_map == 1).all(1))
    lua.raises("nn.SpatialDropout():forward(torch.ones(3, 3))", match="Input must be 4D")


def test_l1penalty(lua: LuaFixture) -> None:
    x, loss, g = lua.run("""
      local m = nn.L1Penalty(0.1)
      local x = torch.randn(2, 3)
      m:forward(x)
      return x, m.loss, m:backward(x, torch.ones(2, 3))
    """)
    assert loss == pytest.approx(0.1 * np.abs(x).sum())
    np.testing.assert_allclose(g, 0.1 * np.sign(x) + 1)


def test_gradient_reversal(lua: LuaFixture) -> None:
    (g,) = lua.run("return nn.GradientReversal(0.5):backward(torch.ones(3), torch.Tensor{1, 2, 3})")
    np.testing.assert_allclose(g, [-0.5, -1, -1.5])


def test_views_share_storage(lua: LuaFixture) -> None:
    (same,) = lua.run("""
      local x = torch.randn(2, 3)
      local v = nn.View(6):forward(x)
      v[1] = 42
      return x[1][1] == 42
    """)
    assert same is True


def test_view_mismatch_is_a_lua_error(lua: LuaFixture) -> None:
    lua.raises(
        "nn.View(4):forward(torch.randn(2, 3))",
        match=r"input view \(2x3\) and desired view \(4\) do not match",
    )


def test_container_errors_name_the_module(lua: LuaFixture) -> None:
    e = lua.raises("nn.Concat(1):add(nn.Linear(3, 2)):forward(torch.randn(4))")
    assert "In 1 module of nn.Concat:" in e.message


def test_select_narrow_flatten_zip(lua: LuaFixture) -> None:
    n, f, z = lua.run("""
      local a, b, c = torch.Tensor{1}, torch.Tensor{2}, torch.Tensor{3}
      local n = nn.NarrowTable(2, 2):forward({a, b, c})
      local f = nn.FlattenTable():forward({a, {b, {c}}})
      local z = nn.ZipTable():forward({{a, b}, {c, a}})
      return #n, #f, {z[1][2][1], z[2][1][1]}
    """)
    assert (n, f, z) == (2, 3, [3.0, 2.0])


def test_index_maskedselect_values(lua: LuaFixture) -> None:
    x, idx, msk = lua.run("""
      local x = torch.randn(3, 4)
      local mask = x:gt(0)
      return x, nn.Index(2):forward({x, torch.LongTensor{4, 1}}),
             nn.MaskedSelect():forward({x, mask})
    """)
    np.testing.assert_array_equal(idx, x[:, [3, 0]])
    np.testing.assert_array_equal(msk, x[x > 0])


def test_shared_maptable_converts_to_float(lua: LuaFixture) -> None:
    (same,) = lua.run("""
      local m = nn.MapTable(nn.Linear(2, 2))
      m:forward({torch.randn(2), torch.randn(2)})
      m:float()
      m.modules[1].weight:fill(3)
      return m.modules[2].weight[1][1] == 3 and m.modules[2].weight:type() == 'torch.FloatTensor'
    """)
    assert same is True


# ----------------------------------------------------------------------------- Jacobian, SGD
def test_jacobian(lua: LuaFixture) -> None:
    errs = lua.run("""
      local m = nn.Linear(3, 4)
      local x = torch.Tensor(2, 3)
      return nn.Jacobian.testJacobian(m, x),
             nn.Jacobian.testJacobianParameters(m, x, m.weight, m.gradWeight),
             nn.Jacobian.testJacobianParameters(m, x, m.bias, m.gradBias),
             nn.Jacobian.testJacobianUpdateParameters(m, x, m.weight),
             nn.Jacobian.testJacobian(nn.Euclidean(3, 2), torch.Tensor(3)),
             nn.Jacobian.testJacobian(nn.Concat(2):add(nn.Tanh()):add(nn.Sum(2, nil, false, false)),
                                      torch.Tensor(4, 2))
    """)
    assert max(errs) < 1e-5
    bad = lua.eval("""(function()
      local Bad = torch.class('nn.BadJacobianModule', 'nn.Module')
      function Bad:updateOutput(x) self.output:resizeAs(x):copy(x):mul(3) return self.output end
      function Bad:updateGradInput(x, g)
         self.gradInput:resizeAs(g):copy(g)
         return self.gradInput
      end
      return nn.Jacobian.testJacobian(nn.BadJacobianModule(), torch.Tensor(3))
    end)()""")
    assert bad == pytest.approx(2, rel=1e-4)


def test_jacobian_all_update_and_io(lua: LuaFixture) -> None:
    errs = lua.eval("""nn.Jacobian.testAllUpdate(nn.Linear(3, 2), torch.randn(2, 3),
                                                   'weight', 'gradWeight')""")
    assert set(errs) == {
        "accGradParameters",
        "accUpdateGradParameters",
        "accGradParameters [shared]",
        "accUpdateGradParameters [shared]",
    }
    assert max(errs.values()) < 1e-10
    if lua.eval("torch.MemoryFile ~= nil"):
        ef, eb = lua.run("return nn.Jacobian.testIO(nn.Linear(3, 2), torch.randn(2, 3))")
        assert ef == 0 and eb == 0


def test_stochastic_gradient_prints_as_torch(lua: LuaFixture) -> None:
    lua.run("""
      torch.manualSeed(3)
      local dataset = {}
      function dataset:size() return 4 end
      for i = 1, 4 do dataset[i] = {torch.randn(2), torch.randn(1)} end
      local mlp = nn.Sequential():add(nn.Linear(2, 3)):add(nn.Tanh()):add(nn.Linear(3, 1))
      local trainer = nn.StochasticGradient(mlp, nn.MSECriterion())
      trainer.maxIteration = 3
      trainer:train(dataset)
    """)
    lines = lua.take_output().splitlines()
    assert lines[0] == "# StochasticGradient: training\t"
    assert all(re.fullmatch(r"# current error = [0-9.e+-]+\t", ln) for ln in lines[1:4])
    errors = [float(ln.split("= ")[1]) for ln in lines[1:4]]
    assert errors[2] < errors[0]
    assert lines[4] == "# StochasticGradient: you have reached the maximum number of iterations\t"
    assert lines[5] == "# training error = " + lines[3].split("= ")[1]

"""dpnn: finite-difference gradient checks of its differentiable modules, the REINFORCE modules'
gradients against the derivative of their log-likelihood, the pass-through gradients of Clip
and ArgMax, and the Module extensions' sharing. Outputs identical to real Torch7's (with dpnn)
are in tests/oracle/dpnn_*.lua."""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

import numpy as np
import pytest

from luatorch.runtime import LuaError, Runtime

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "nn"))  # test_nn_criterions
from nn_gradcheck import check_module  # noqa: E402
from test_nn_criterions import _LUA as CRIT_LUA  # noqa: E402
from test_nn_criterions import check_criterion  # noqa: E402


@pytest.fixture(scope="module")
def rt() -> Runtime:
    r = Runtime(write=lambda s: None)
    r.execute("require 'dpnn'")
    r.globals["__crit_check"] = r.execute(CRIT_LUA, "=crit_check")[0]
    return r


def arr(rt: Runtime, expr: str) -> np.ndarray:
    t = rt.execute(f"return {expr}")[0]
    return rt.globals.torch._P[t].arr.copy()


INCEPTION = "nn.Inception{inputSize = 3, outputSize = {4, 2}, reduceSize = {2, 2, 2, 3}}"
GRADIENT_CASES = [
    (INCEPTION, (2, 3, 6, 6)),
    ("nn.FireModule(3, 2, 2, 2)", (2, 3, 5, 5)),
    ("nn.FireModule(2, 2, 3, 1, 'Tanh')", (1, 2, 4, 4)),
    ("nn.SpatialFeatNormalization(torch.Tensor{1, 2, 3}, torch.Tensor{2, 3, 4})", (2, 3, 3, 3)),
    ("nn.SpatialFeatNormalization(torch.Tensor{-1, 2})", (2, 3, 3)),
    ("nn.ReverseTable()", None),
    ("nn.TotalDropout(0)", (3, 4)),
    ("nn.SpatialRegionDropout(0)", (2, 3, 4)),
    ("nn.SpatialGlimpse(2, 3, 2)", None),
    ("nn.SpatialGlimpse({2, 3}, 2)", None),
]


@pytest.mark.parametrize(("ctor", "shape"), GRADIENT_CASES)
def test_gradients(rt: Runtime, ctor: str, shape: tuple[int, ...] | None) -> None:
    rt.execute("torch.manualSeed(1)")
    if ctor == "nn.ReverseTable()":
        check_module(rt, ctor, input_lua="{torch.randn(2), torch.randn(3, 2), torch.randn(4)}")
    elif ctor.startswith("nn.SpatialGlimpse"):
        # the locations get no gradient (they come from a REINFORCE module): checked zero below
        check_module(
            rt,
            f"nn.Sequential():add(nn.ParallelTable():add(nn.Identity()):add(nn.ZeroGrad()))"
            f":add({ctor})",
            input_lua="{torch.randn(2, 2, 8, 9), torch.Tensor{{-0.5, 0.3}, {0.9, -1}}}",
            dtype="float",
        )
    else:
        check_module(rt, ctor, shape, dtype="float")


def test_glimpse_location_gets_no_gradient(rt: Runtime) -> None:
    rt.execute("""
        torch.manualSeed(2)
        g = nn.SpatialGlimpse(2, 2)
        x, l = torch.randn(2, 1, 6, 6), torch.Tensor{{0, 0}, {1, -1}}
        y = g:forward({x, l})
        gi = g:backward({x, l}, y:clone():fill(1))
    """)
    assert arr(rt, "y").shape == (2, 2, 2, 2)
    assert np.all(arr(rt, "gi[2]") == 0)
    # the first glimpse of the centred location is the image's middle 2x2 patch
    np.testing.assert_array_equal(
        arr(rt, "y[1][1]"), arr(rt, "x[1][1]:narrow(1, 3, 2):narrow(2, 3, 2)")
    )


def test_clip_and_argmax(rt: Runtime) -> None:
    rt.execute("""
        x = torch.Tensor{{-2, 0.1, 3}, {0.4, -0.2, 1}}
        c = nn.Clip(-0.5, 0.5)
        y = c:forward(x)
        g = c:backward(x, torch.ones(2, 3))
        a = nn.ArgMax(2):forward(x)
        atype = torch.type(a)
        ga = nn.ArgMax(2):backward(x, torch.ones(2))
    """)
    np.testing.assert_array_equal(arr(rt, "y"), [[-0.5, 0.1, 0.5], [0.4, -0.2, 0.5]])
    np.testing.assert_array_equal(arr(rt, "g"), np.ones((2, 3)))
    np.testing.assert_array_equal(arr(rt, "a"), [3, 3])
    assert rt.globals.atype == "torch.LongTensor"
    assert np.all(arr(rt, "ga") == 0)


def test_categorical_entropy_gradient(rt: Runtime) -> None:
    """backward adds the gradient of -scale * H(mean distribution) / batch to gradOutput."""
    rt.execute("""
        torch.manualSeed(3)
        p = nn.SoftMax():forward(torch.randn(4, 3)):clone()
        ce = nn.CategoricalEntropy(0.5)
        ce:forward(p)
        gi = ce:backward(p, torch.zeros(4, 3)):clone()
    """)
    p = arr(rt, "p")

    total = p.sum()  # dpnn treats the normalizer as a constant

    def objective(q: np.ndarray) -> float:
        m = q.sum(0) / total
        return 0.5 * float(np.sum(m * np.log(m + 1e-6))) / q.shape[0]

    num = np.zeros_like(p)
    for idx in np.ndindex(*p.shape):
        a, b = p.copy(), p.copy()
        a[idx] += 1e-6
        b[idx] -= 1e-6
        num[idx] = (objective(a) - objective(b)) / 2e-6
    np.testing.assert_allclose(arr(rt, "gi"), num, atol=1e-7)


def _loglik_check(rt: Runtime, ctor: str, input_lua: str, loglik, n_inputs: int = 1) -> None:
    """REINFORCE: gradInput == -reward * d log p(sampled output | input) / d input."""
    rt.execute(f"""
        torch.manualSeed(4)
        m = {ctor}
        x = {input_lua}
        y = m:forward(x):clone()
        r = torch.randn(y:size(1))
        m:reinforce(r)
        gi = m:backward(x, torch.zeros(y:size()))
    """)
    y, r = arr(rt, "y"), arr(rt, "r")
    xs = [arr(rt, "x[1]"), arr(rt, "x[2]")] if n_inputs == 2 else [arr(rt, "x")]
    for k, xk in enumerate(xs):
        num = np.zeros_like(xk)
        for idx in np.ndindex(*xk.shape):
            a = [v.copy() for v in xs]
            b = [v.copy() for v in xs]
            a[k][idx] += 1e-6
            b[k][idx] -= 1e-6
            la, lb = loglik(y, *a), loglik(y, *b)
            num[idx] = -np.sum(r[idx[0]] * (la[idx[0]] - lb[idx[0]])) / 2e-6
        gi = arr(rt, f"gi[{k + 1}]") if len(xs) == 2 else arr(rt, "gi")
        np.testing.assert_allclose(gi, num, rtol=1e-5, atol=1e-6)


def test_reinforce_gradients(rt: Runtime) -> None:
    def normal(y, mu, s=0.1):
        return np.sum(-((y - mu) ** 2) / (2 * s**2) - np.log(s), axis=1)

    _loglik_check(rt, "nn.ReinforceNormal(0.1)", "torch.randn(3, 2)", normal)
    _loglik_check(
        rt,
        "nn.ReinforceNormal()",
        "{torch.randn(3, 2), torch.rand(3, 2):add(0.5)}",
        lambda y, mu, s: normal(y, mu, s),
        n_inputs=2,
    )
    _loglik_check(
        rt,
        "nn.ReinforceBernoulli()",
        "torch.rand(3, 4):mul(0.8):add(0.1)",
        lambda y, p: np.sum(y * np.log(p) + (1 - y) * np.log(1 - p), axis=1),
    )
    _loglik_check(
        rt,
        "nn.ReinforceCategorical()",
        "nn.SoftMax():forward(torch.randn(3, 4)):clone()",
        lambda y, p: np.sum(y * np.log(p + 1e-8), axis=1),
    )


def test_reinforce_samples(rt: Runtime) -> None:
    rt.execute("""
        torch.manualSeed(5)
        c = nn.ReinforceCategorical()
        y = c:forward(torch.Tensor{{0, 1, 0}, {0.5, 0, 0.5}}):clone()
        c:evaluate()
        e = c:forward(torch.Tensor{{0.2, 0.8, 0}})
        b = nn.ReinforceBernoulli()
        yb = b:forward(torch.Tensor(1000):fill(0.3))
    """)
    y = arr(rt, "y")
    assert y[0].tolist() == [0, 1, 0] and y[1, 1] == 0 and y[1].sum() == 1
    np.testing.assert_array_equal(arr(rt, "e"), [[0.2, 0.8, 0]])
    assert 0.2 < arr(rt, "yb").mean() < 0.4


def test_vr_class_reward(rt: Runtime) -> None:
    rt.execute("""
        torch.manualSeed(6)
        rn = nn.ReinforceNormal(0.1)
        crit = nn.VRClassReward(rn, 2)
        scores = torch.Tensor{{1, 0, 0}, {0, 0, 1}, {0, 1, 0}}
        baseline = torch.Tensor{{0.5}, {0.5}, {1}}
        loss = crit:forward({scores, baseline}, torch.LongTensor{1, 2, 2})
        g = crit:backward({scores, baseline}, torch.LongTensor{1, 2, 2})
        gs, gb = g[1]:clone(), g[2]:clone()
        reward = rn.reward:clone()
    """)
    assert rt.globals.loss == pytest.approx(-4 / 3)
    np.testing.assert_allclose(arr(rt, "reward"), [(2 - 0.5) / 3, (0 - 0.5) / 3, (2 - 1) / 3])
    assert np.all(arr(rt, "gs") == 0)
    np.testing.assert_allclose(arr(rt, "gb").ravel(), 2 * (np.array([0.5, 0.5, 1]) - [2, 0, 2]) / 3)


def test_binary_logistic_regression(rt: Runtime) -> None:
    loss = check_criterion(
        rt, "nn.BinaryLogisticRegression()", "torch.randn(5)", "torch.Tensor{1, -1, 1, 1, -1}"
    )
    assert loss > 0
    check_criterion(
        rt,
        "nn.BinaryLogisticRegression(false)",
        "torch.randn(4, 1)",
        "torch.Tensor{{1}, {-1}, {-1}, {1}}",
    )


def test_uniform_crop(rt: Runtime) -> None:
    rt.execute("""
        torch.manualSeed(9)
        c = nn.SpatialUniformCrop(3, 4)
        x = torch.randn(2, 2, 6, 7)
        y = c:forward(x):clone()
        gi = c:backward(x, torch.ones(2, 2, 3, 4)):clone()
        coord = c.coord:clone()
        c:evaluate()
        centre = c:forward(x):clone()
    """)
    x, y, gi, coord = arr(rt, "x"), arr(rt, "y"), arr(rt, "gi"), arr(rt, "coord")
    for i in range(2):
        h, w = coord[i] - 1
        np.testing.assert_array_equal(y[i], x[i, :, h : h + 3, w : w + 4])
        assert gi[i, :, h : h + 3, w : w + 4].sum() == 24 and gi[i].sum() == 24
    np.testing.assert_array_equal(arr(rt, "centre"), x[:, :, 1:4, 1:5])


def test_dropouts(rt: Runtime) -> None:
    rt.execute("""
        torch.manualSeed(7)
        d = nn.SpatialRegionDropout(0.5)
        y = d:forward(torch.ones(1, 4, 4))
        region = d.regionType
        t = nn.TotalDropout(0.5)
        zeros, n = 0, 200
        for i = 1, n do if t:forward(torch.ones(3)):sum() == 0 then zeros = zeros + 1 end end
        t:evaluate()
        ok, err = pcall(function() t:backward(torch.ones(3), torch.ones(3)) end)
    """)
    y = arr(rt, "y")[0]
    band = {1: y[:2], 2: y[2:], 3: y[:, :2], 4: y[:, 2:]}[rt.globals.region]
    assert np.all(band == 0) and y.sum() == 8 * 2
    assert 70 < rt.globals.zeros < 130
    assert rt.globals.ok is False and "backprop only defined while training" in rt.globals.err


def test_shared_clone_and_get_parameters(rt: Runtime) -> None:
    rt.execute("""
        torch.manualSeed(8)
        m = nn.Sequential():add(nn.Linear(3, 4)):add(nn.BatchNormalization(4))
        c = m:sharedClone()
        m:get(1).weight:fill(0.25)
        m:get(2).running_mean:fill(3)
        cw = c:get(1).weight:clone()
        crm = c:get(2).running_mean:clone()
        nc = m:sharedClone(false)
        m:get(1).weight:fill(0.5)
        ncw = nc:get(1).weight:clone()
        -- hidden modules (outside self.modules) keep sharing through getParameters
        holder = nn.Sequential():add(m)
        holder.hidden = {c}
        p = holder:getParameters()
        p:fill(1)
        hidden = c:get(1).weight:clone()
    """)
    assert np.all(arr(rt, "cw") == 0.25) and np.all(arr(rt, "crm") == 3)
    assert np.all(arr(rt, "ncw") == 0.25)
    assert np.all(arr(rt, "hidden") == 1)


def test_errors(rt: Runtime) -> None:
    for code, msg in [
        ("nn.TotalDropout(1)", "<TotalDropout> illegal percentage, must be 0 <= p < 1"),
        ("nn.SpatialRegionDropout(-0.1)", "<SpatialRegionDropout> illegal percentage"),
        ("nn.SpatialFeatNormalization(torch.ones(2, 2))", "Mean/Std should be 1D"),
        (
            "nn.SpatialFeatNormalization(torch.ones(2)):forward(torch.ones(3, 2, 2))",
            "No. of Feats dont match",
        ),
        ("nn.Serial(nn.Linear(2, 2), 'float')", "Expecting tensortype"),
    ]:
        with pytest.raises(LuaError, match=msg):
            rt.execute(code)


# NCE: the samples are fixed (a subclass draws a known pattern), so that the module is a function
# of its input and parameters and finite differences apply
NCE_FIXED = """
local F = torch.class('nn.NCEFixedNoise', 'nn.NCEModule')
function F:noiseSample(sampleidx, batchsize, k)
   sampleidx:resize(batchsize, k)
   for i = 1, batchsize do
      for j = 1, k do sampleidx[i][j] = (3 * i + 5 * j) % self.weight:size(1) + 1 end
   end
   return sampleidx
end
-- NCECriterion as a function of the model probabilities only (the noise ones are constants)
local C = torch.class('nn.NCEOnModel', 'nn.Criterion')
function C:__init(Pnt, Pns)
   self.crit, self.Pnt, self.Pns = nn.NCECriterion(), Pnt, Pns
end
function C:updateOutput(input)
   self.output = self.crit:updateOutput({input[1], input[2], self.Pnt, self.Pns})
   return self.output
end
function C:updateGradInput(input)
   local g = self.crit:updateGradInput({input[1], input[2], self.Pnt, self.Pns})
   self.gradInput = {g[1], g[2]}
   return self.gradInput
end
"""


@pytest.mark.parametrize("batchnoise", [True, False])
def test_nce_module_gradients(rt: Runtime, batchnoise: bool) -> None:
    if rt.globals.nn.NCEFixedNoise is None:
        rt.execute(NCE_FIXED)
    rt.execute("torch.manualSeed(8)")
    flag = "true" if batchnoise else "false"
    ctor = (
        "(function() local m = nn.NCEFixedNoise(4, 7, 3, torch.Tensor{3, 1, 4, 1, 5, 9, 2}, 0.8)"
        f"; m.batchnoise = {flag}; return m end)()"
    )
    check_module(rt, ctor, input_lua="{torch.randn(3, 4), torch.LongTensor{2, 7, 2}}")


def test_nce_criterion_gradients(rt: Runtime) -> None:
    if rt.globals.nn.NCEFixedNoise is None:
        rt.execute(NCE_FIXED)
    for sizeAverage in ("true", "false"):
        check_criterion(
            rt,
            f"(function() local c = nn.NCEOnModel(torch.rand(3):add(0.1), torch.rand(3, 2)"
            f":add(0.1)); c.crit.sizeAverage = {sizeAverage}; return c end)()",
            "{torch.rand(3):add(0.05), torch.rand(3, 2):add(0.05)}",
        )


def test_nce_trains_and_serializes(rt: Runtime) -> None:
    """The README's use: NCEModule + NCECriterion learn to rank the target first; the module
    survives serialization and :float() (unigrams and alias tables keep their types)."""
    rt.execute("""
        torch.manualSeed(9)
        local V = 20
        nce = nn.NCEModule(5, V, 4, torch.Tensor(V):uniform(1, 2))
        local crit = nn.NCECriterion()
        local x = torch.randn(16, 5)
        local t = torch.LongTensor(16):random(1, V)
        losses = {}
        for i = 1, 150 do
           local out = nce:forward({x, t})
           losses[i] = crit:forward(out)
           nce:zeroGradParameters()
           nce:backward({x, t}, crit:backward(out))
           nce:updateParameters(0.5)
        end
        nce:evaluate()
        nce.normalized = true
        probs = nce:forward({x, t}):clone()
        correct = 0
        local _, best = probs:max(2)
        for i = 1, 16 do if best[i][1] == t[i] then correct = correct + 1 end end
        copy = torch.deserialize(torch.serialize(nce))
        same = copy:forward({x, t}):clone()
        f = nce:clone():float()
        ftypes = {torch.type(f.weight), torch.type(f.unigrams), torch.type(f.aliasmultinomial.J)}
        fprobs = f:forward({x:float(), t}):clone()
    """)
    losses = rt.execute("return losses")[0]
    assert losses[150] < 0.5 * losses[1]
    assert rt.execute("return correct")[0] >= 12
    np.testing.assert_array_equal(arr(rt, "same"), arr(rt, "probs"))
    types = rt.execute("return ftypes")[0]
    assert [types[i] for i in (1, 2, 3)] == [
        "torch.FloatTensor",
        "torch.DoubleTensor",
        "torch.LongTensor",
    ]
    np.testing.assert_allclose(arr(rt, "fprobs"), arr(rt, "probs"), rtol=1e-4, atol=1e-6)


def test_alias_multinomial_frequencies(rt: Runtime) -> None:
    rt.execute("""
        torch.manualSeed(10)
        am = torch.AliasMultinomial(torch.Tensor{0.1, 0.2, 0.05, 0.4, 0.25})
        draws = am:batchdraw(torch.LongTensor(40000))
        counts = torch.histc(draws:double(), 5, 1, 5)
    """)
    np.testing.assert_allclose(arr(rt, "counts") / 40000, [0.1, 0.2, 0.05, 0.4, 0.25], atol=0.01)


def test_spatial_binary_logistic_regression_gradients(rt: Runtime) -> None:
    for size in ("2, 1, 3, 4", "1, 3, 2"):
        for avg in ("true", "false"):
            check_criterion(
                rt,
                f"(function() local c = nn.SpatialBinaryLogisticRegression()"
                f"; c.sizeAverage = {avg}; return c end)()",
                f"torch.randn({size})",
                f"torch.randn({size}):sign()",
            )


def test_reinforce_gamma(rt: Runtime) -> None:
    lgamma = np.vectorize(math.lgamma)

    def gamma(y, k, theta=0.5):
        return np.sum((k - 1) * np.log(y) - y / theta - lgamma(k) - k * np.log(theta), axis=1)

    _loglik_check(rt, "nn.ReinforceGamma(0.5)", "torch.rand(3, 2):add(0.5)", gamma)
    # a scale without the batch dimension, expanded over it (ReinforceNormal's stdev too)
    _loglik_check(
        rt,
        "nn.ReinforceGamma(torch.Tensor{0.5, 2})",
        "torch.rand(3, 2):add(0.5)",
        lambda y, k: gamma(y, k, np.array([0.5, 2])),
    )
    _loglik_check(
        rt,
        "nn.ReinforceNormal(torch.Tensor{0.1, 2})",
        "torch.randn(3, 2)",
        lambda y, mu: np.sum(-((y - mu) ** 2) / (2 * np.array([0.1, 2]) ** 2), axis=1),
    )
    _loglik_check(
        rt,
        "nn.ReinforceGamma()",
        "{torch.rand(3, 2):add(0.3), torch.rand(3, 2):add(0.5)}",
        gamma,
        n_inputs=2,
    )
    # the law of the samples: mean k theta and variance k theta^2; evaluation gives the mean
    rt.execute("""
        torch.manualSeed(11)
        g = nn.ReinforceGamma(torch.Tensor{2, 0.5})
        k = torch.Tensor(20000, 2)
        k:select(2, 1):fill(0.6)
        k:select(2, 2):fill(3)
        s = g:forward(k):clone()
        g:evaluate()
        e = g:forward(torch.Tensor{{0.6, 3}})
        dg = {nn.ReinforceGamma.digamma(1), nn.ReinforceGamma.digamma(0.3),
              nn.ReinforceGamma.digamma(7.5)}
    """)
    s = arr(rt, "s")
    np.testing.assert_allclose(s.mean(axis=0), [1.2, 1.5], rtol=0.03)
    np.testing.assert_allclose(s.var(axis=0), [2.4, 0.75], rtol=0.08)
    np.testing.assert_allclose(arr(rt, "e"), [[1.2, 1.5]])
    # digamma(1) = -Euler's gamma; digamma(x + 1) = digamma(x) + 1/x
    dg = rt.execute("return dg")[0]
    assert abs(dg[1] + 0.5772156649015329) < 1e-12
    assert abs(dg[2] - (-3.502524222200133)) < 1e-12
    half = -0.5772156649015329 - 2 * math.log(2)  # digamma(1/2)
    assert abs(dg[3] - (half + sum(1 / (0.5 + i) for i in range(7)))) < 1e-12


def test_binary_convolution(rt: Runtime) -> None:
    """Forward is the sign-weight convolution scaled per output plane by the filter's mean
    |weight|; backward uses the sign weights, scaled per input plane, and gradWeight is the
    unscaled convolution's (dpnn's approximations, not the exact derivatives); weight is back to
    the real values after accGradParameters."""
    rt.execute("""
        torch.manualSeed(12)
        b = nn.SpatialBinaryConvolution(2, 3, 3, 3, 1, 1, 1, 1)
        w = b.weight:clone()
        ref = nn.SpatialConvolution(2, 3, 3, 3, 1, 1, 1, 1):noBias()
        ref.weight:copy(w):sign()
        x = torch.randn(2, 2, 5, 5)
        y = b:forward(x):clone()
        yr = ref:forward(x):clone()
        go = torch.randn(y:size())
        b:zeroGradParameters()
        gi = b:backward(x, go):clone()
        gir = ref:updateGradInput(x, go):clone()
        ref:zeroGradParameters()
        ref:accGradParameters(x, go)
        after = b.weight:clone()
    """)
    w = arr(rt, "w")
    alphas = np.abs(w).reshape(3, -1).mean(axis=1)
    in_alphas = np.abs(w).transpose(1, 0, 2, 3).reshape(2, -1).mean(axis=1)
    np.testing.assert_allclose(arr(rt, "y"), arr(rt, "yr") * alphas[None, :, None, None])
    np.testing.assert_allclose(arr(rt, "gi"), arr(rt, "gir") * in_alphas[None, :, None, None])
    np.testing.assert_allclose(arr(rt, "b.gradWeight"), arr(rt, "ref.gradWeight"))
    np.testing.assert_array_equal(arr(rt, "after"), w)
    assert rt.execute("return tostring(b)")[0] == (
        "Binary Convolution: nn.SpatialBinaryConvolution(2 -> 3, 3x3, 1,1, 1,1) without bias"
    )


def test_color_transforms(rt: Runtime) -> None:
    rt.execute("""
        torch.manualSeed(13)
        s = nn.SimpleColorTransform(3, torch.Tensor{0.1, 0.2, 0.3})
        x = torch.rand(4, 3, 5, 5)
        ys = s:forward(x):clone()
        gs = s:backward(x, x:clone():fill(2)):clone()
        vecs = torch.Tensor{{0.6, 0.8, 0}, {-0.8, 0.6, 0}, {0, 0, 1}}
        p = nn.PCAColorTransform(3, vecs, torch.Tensor{2, 1, 0.5}, 0.2)
        yp = p:forward(x):clone()
        alphas = p.alphas:clone()
        p:evaluate()
        ye = p:forward(x):clone()
        net = nn.Sequential():add(s):add(p)
        nf = net:float()
    """)
    x, ys = arr(rt, "x"), arr(rt, "ys")
    noise = ys - x
    # one offset per image and channel, within its range
    np.testing.assert_allclose(noise, noise[:, :, :1, :1] + 0 * noise, atol=1e-12)
    assert np.all(np.abs(noise[:, :, 0, 0]) <= [0.1, 0.2, 0.3])
    assert np.all(arr(rt, "gs") == 2)
    # PCA noise: eigenVectors^T-weighted sum, alphas scaled by the eigenvalues
    vecs, alphas = arr(rt, "vecs"), arr(rt, "alphas")
    np.testing.assert_allclose((arr(rt, "yp") - x)[:, :, 2, 3], (vecs @ alphas).T, atol=1e-12)
    np.testing.assert_array_equal(arr(rt, "ye"), x)
    assert rt.execute("return torch.type(nf:get(1).range), torch.type(nf.output)")[1] == (
        "torch.FloatTensor"
    )


def test_extensions(rt: Runtime) -> None:
    """Sequential:profile prints one timing line per child and pass and keeps the results;
    LookupTable:maxParamNorm renormalises rows (input norm) and columns (output norm), as in
    tests/oracle/dpnn_extensions.lua with the serialization buffers."""
    lines: list[str] = []
    r = Runtime(write=lines.append)
    r.execute("""
        require 'dpnn'
        torch.manualSeed(14)
        net = nn.Sequential():add(nn.Linear(3, 4)):add(nn.Tanh())
        x = torch.randn(2, 3)
        ref = net:forward(x):clone()
        gref = net:backward(x, ref):clone()
        net:profile()
        y = net:forward(x):clone()
        g = net:backward(x, y):clone()
        lt = nn.LookupTable(4, 3)
        lt.weight:fill(2)
        lt:maxParamNorm(nil, 1)
        rows = lt.weight:norm(2, 2)
        lt.weight:fill(2)
        lt:maxParamNorm(1)
        cols = lt.weight:norm(2, 1)
    """)
    for name in ("y", "g"):
        t = r.execute(f"return {name}")[0]
        t0 = r.execute(f"return {'ref' if name == 'y' else 'gref'}")[0]
        np.testing.assert_array_equal(r.globals.torch._P[t].arr, r.globals.torch._P[t0].arr)
    text = "".join(lines)
    assert re.search(r"nn\.Linear updateOutput: [0-9.e-]+ s", text)
    assert re.search(r"nn\.Tanh backward: [0-9.e-]+ s", text)
    assert re.search(r"nn\.Linear backward: [0-9.e-]+ s", text)
    # maxParamNorm(nil, 1): the output norm defaults to the input one (as dpnn): columns
    # at norm 1 first, then the rows are below it
    np.testing.assert_allclose(r.globals.torch._P[r.execute("return rows")[0]].arr, 0.75**0.5)
    np.testing.assert_allclose(r.globals.torch._P[r.execute("return cols")[0]].arr, 1)

"""dpnn: finite-difference gradient checks of its differentiable modules, the REINFORCE modules'
gradients against the derivative of their log-likelihood, the pass-through gradients of Clip
and ArgMax, and the Module extensions' sharing. Outputs identical to real Torch7's (with dpnn)
are in tests/oracle/dpnn_*.lua."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from luatorch.runtime import LuaError, Runtime

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
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

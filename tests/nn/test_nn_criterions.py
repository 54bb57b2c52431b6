"""nn criterions: finite-difference gradients (batch and single samples, Double and Float), numpy
reference losses, ClassNLLCriterion's options and errors as Torch words them, printing."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from luatorch.runtime import LuaError, Runtime

_LUA = r"""
local C = {}
local function flat(x, out)
   out = out or {}
   if torch.isTensor(x) then
      out[#out + 1] = torch._P[x]
   elseif type(x) == 'table' then
      for _, v in ipairs(x) do flat(v, out) end
   end
   return out
end
C.flat = flat
local function convert(x, typename)
   if torch.isTensor(x) then
      if x:type() == 'torch.DoubleTensor' then return x:type(typename) end
      return x
   elseif type(x) == 'table' then
      local t = {}
      for i, v in ipairs(x) do t[i] = convert(v, typename) end
      return t
   end
   return x
end
function C.build(ctor, input, target)
   torch.manualSeed(1234)
   local c = ctor()
   local x = input()
   local t = target()
   return c, x, t
end
function C.loss(c, x, t) return (c:forward(x, t)) end
function C.grad(c, x, t)
   local loss = c:forward(x, t)
   return loss, flat(c:backward(x, t))
end
function C.toFloat(c, x, t)
   return c:clone():float(), convert(x, 'torch.FloatTensor'), convert(t, 'torch.FloatTensor')
end
return C
"""


@pytest.fixture(scope="module")
def rt() -> Runtime:
    r = Runtime(write=lambda s: None)
    r.execute("require 'nn'")
    r.globals["__crit_check"] = r.execute(_LUA, "=crit_check")[0]
    return r


def _list(t: Any) -> list[Any]:
    return [t[i] for i in range(1, len(t) + 1)]


def _fn(rt: Runtime, expr: str) -> Any:
    return rt.execute(f"return function() return {expr} end")[0]


def check_criterion(
    rt: Runtime,
    ctor: str,
    input_lua: str,
    target_lua: str = "nil",
    eps: float = 1e-6,
    tol: float = 1e-6,
    float_check: bool = True,
) -> float:
    """Compare backward to central differences of forward; then Float against Double.
    Returns the loss."""
    h = rt.globals["__crit_check"]
    c, x, t = rt.call(h.build, _fn(rt, ctor), _fn(rt, input_lua), _fn(rt, target_lua))
    loss, grads = rt.call(h.grad, c, x, t)
    grads = [g.arr.astype(np.float64).copy() for g in _list(grads)]
    inputs = [v for v in _list(h.flat(x)) if v.arr.dtype == np.float64]
    assert len(grads) == len(inputs), f"{ctor}: {len(grads)} gradients for {len(inputs)} inputs"
    for g, v in zip(grads, inputs, strict=True):
        a = v.arr
        num = np.zeros(a.shape)
        for idx in np.ndindex(*a.shape):
            orig = float(a[idx])
            a[idx] = orig + eps
            fp = rt.call(h.loss, c, x, t)[0]
            a[idx] = orig - eps
            fm = rt.call(h.loss, c, x, t)[0]
            a[idx] = orig
            num[idx] = (fp - fm) / (2 * eps)
        assert g.shape == num.shape, f"{ctor}: gradient shape {g.shape} for input {num.shape}"
        err = np.max(np.abs(g - num) / np.maximum(1, np.abs(g))) if g.size else 0.0
        assert err < tol, f"{ctor}: gradInput differs from finite differences by {err}"
    if float_check:
        cf, xf, tf = rt.call(h.toFloat, c, x, t)
        loss_f, grads_f = rt.call(h.grad, cf, xf, tf)
        assert abs(loss_f - loss) <= 1e-4 * max(1, abs(loss)), f"{ctor}: float loss {loss_f}"
        for gf, g in zip(_list(grads_f), grads, strict=True):
            assert gf.arr.dtype == np.float32, f"{ctor}: float gradient is {gf.arr.dtype}"
            np.testing.assert_allclose(gf.arr, g, rtol=1e-4, atol=1e-5)
    return loss


SIGN = "torch.randn({}):sign()"
CASES = [
    # (criterion, input, target)
    ("nn.MSECriterion()", "torch.randn(3, 4)", "torch.randn(3, 4)"),
    ("nn.AbsCriterion()", "torch.randn(3, 4)", "torch.randn(3, 4)"),
    ("nn.AbsCriterion(false)", "torch.randn(5)", "torch.randn(5)"),
    ("nn.SmoothL1Criterion()", "torch.randn(3, 4):mul(2)", "torch.randn(3, 4)"),
    ("nn.SmoothL1Criterion(false)", "torch.randn(6):mul(2)", "torch.randn(6)"),
    ("nn.ClassNLLCriterion()", "torch.randn(4, 5)", "torch.LongTensor{1, 5, 2, 2}"),
    ("nn.ClassNLLCriterion()", "torch.randn(5)", "3"),
    ("nn.ClassNLLCriterion()", "torch.randn(5)", "torch.LongTensor{4}"),
    (
        "nn.ClassNLLCriterion(torch.Tensor{1, 2, 0.5, 3, 1})",
        "torch.randn(4, 5)",
        "torch.LongTensor{1, 5, 2, 4}",
    ),
    (
        "nn.ClassNLLCriterion(torch.Tensor{1, 2, 0.5, 3, 1}, false)",
        "torch.randn(4, 5)",
        "torch.DoubleTensor{1, 5, 2, 4}",
    ),
    ("nn.ClassNLLCriterion(torch.Tensor{1, 2, 0.5, 3, 1}, false)", "torch.randn(5)", "4"),
    ("nn.ClassNLLCriterion(nil, true, 2)", "torch.randn(4, 5)", "torch.LongTensor{1, 2, 3, 2}"),
    (
        "nn.SpatialClassNLLCriterion()",
        "torch.randn(2, 3, 2, 2)",
        "torch.LongTensor(2, 2, 2):random(3)",
    ),
    (
        "nn.SpatialClassNLLCriterion(torch.Tensor{0.5, 1, 2}, false)",
        "torch.randn(2, 3, 2, 2)",
        "torch.LongTensor(2, 2, 2):random(3)",
    ),
    ("nn.CrossEntropyCriterion()", "torch.randn(4, 5)", "torch.LongTensor{1, 5, 2, 2}"),
    ("nn.CrossEntropyCriterion()", "torch.randn(5)", "2"),
    (
        "nn.CrossEntropyCriterion(torch.Tensor{1, 2, 0.5, 3, 1})",
        "torch.randn(4, 5)",
        "torch.LongTensor{1, 5, 2, 4}",
    ),
    (
        "nn.BCECriterion()",
        "torch.rand(3, 4):mul(0.8):add(0.1)",
        "torch.rand(3, 4):gt(0.5):double()",
    ),
    (
        "nn.BCECriterion(torch.rand(4), false)",
        "torch.rand(3, 4):mul(0.8):add(0.1)",
        "torch.rand(3, 4)",
    ),
    ("nn.BCECriterion(torch.rand(5))", "torch.rand(5):mul(0.8):add(0.1)", "torch.rand(5)"),
    ("nn.DistKLDivCriterion()", "torch.randn(3, 4)", "torch.rand(3, 4)"),
    ("nn.MarginCriterion()", "torch.randn(3, 4)", SIGN.format("3, 4")),
    ("nn.MarginCriterion(0.5)", "torch.randn(6)", SIGN.format("6")),
    ("nn.SoftMarginCriterion()", "torch.randn(3, 4)", SIGN.format("3, 4")),
    ("nn.MultiMarginCriterion()", "torch.randn(4, 5)", "torch.LongTensor{1, 5, 2, 2}"),
    ("nn.MultiMarginCriterion(2)", "torch.randn(4, 5)", "torch.Tensor{1, 5, 2, 2}"),
    (
        "nn.MultiMarginCriterion(1, torch.Tensor{1, 2, 3, 4, 5}, 0.5)",
        "torch.randn(4, 5)",
        "torch.LongTensor{1, 5, 2, 2}",
    ),
    ("nn.MultiMarginCriterion()", "torch.randn(5)", "3"),
    (
        "nn.MultiLabelMarginCriterion()",
        "torch.randn(3, 4)",
        "torch.LongTensor{{3, 1, 0, 0}, {2, 0, 4, 0}, {1, 2, 3, 4}}",
    ),
    ("nn.MultiLabelMarginCriterion()", "torch.randn(4)", "torch.LongTensor{2, 4, 0, 0}"),
    (
        "nn.MultiLabelSoftMarginCriterion()",
        "torch.randn(3, 4)",
        "torch.rand(3, 4):gt(0.5):double()",
    ),
    (
        "nn.MultiLabelSoftMarginCriterion(torch.rand(4))",
        "torch.randn(3, 4)",
        "torch.rand(3, 4):gt(0.5):double()",
    ),
    ("nn.HingeEmbeddingCriterion(0.5)", "torch.randn(6)", SIGN.format("6")),
    ("nn.HingeEmbeddingCriterion()", "torch.randn(1)", "-1"),
    ("nn.L1HingeEmbeddingCriterion()", "{torch.randn(5), torch.randn(5)}", "1"),
    ("nn.L1HingeEmbeddingCriterion(8)", "{torch.randn(5), torch.randn(5)}", "-1"),
    (
        "nn.CosineEmbeddingCriterion(0.1)",
        "{torch.randn(3, 5), torch.randn(3, 5)}",
        "torch.Tensor{1, -1, -1}",
    ),
    ("nn.CosineEmbeddingCriterion()", "{torch.randn(5), torch.randn(5)}", "1"),
    (
        "nn.MarginRankingCriterion(0.5)",
        "{torch.randn(4), torch.randn(4)}",
        "torch.Tensor{1, -1, 1, -1}",
    ),
    ("nn.MarginRankingCriterion()", "{torch.Tensor{0.3}, torch.Tensor{0.9}}", "-1"),
    ("nn.WeightedMSECriterion(torch.randn(4))", "torch.randn(3, 4)", "torch.randn(3, 4)"),
    ("nn.WeightedMSECriterion(torch.randn(4))", "torch.randn(4)", "torch.randn(4)"),
    ("nn.ClassSimplexCriterion(4)", "torch.randn(3, 4)", "torch.LongTensor{1, 3, 4}"),
    ("nn.ClassSimplexCriterion(4)", "torch.randn(4)", "2"),
    (
        "nn.ParallelCriterion():add(nn.MSECriterion(), 0.5):add(nn.AbsCriterion())",
        "{torch.randn(3), torch.randn(2, 2)}",
        "{torch.randn(3), torch.randn(2, 2)}",
    ),
    (
        "nn.ParallelCriterion(true):add(nn.MSECriterion()):add(nn.SmoothL1Criterion(), 3)",
        "{torch.randn(3), torch.randn(3)}",
        "torch.randn(3)",
    ),
    (
        "nn.MultiCriterion():add(nn.MSECriterion(), 0.5):add(nn.SmoothL1Criterion(), 2)",
        "torch.randn(3, 4)",
        "torch.randn(3, 4)",
    ),
    ("nn.DistanceRatioCriterion()", "{torch.rand(5), torch.rand(5)}", "nil"),
    ("nn.DistanceRatioCriterion(false)", "{torch.rand(5):mul(3), torch.rand(5)}", "nil"),
    ("nn.ModuleCriterion(nn.MSECriterion(), nn.Tanh())", "torch.randn(3, 4)", "torch.randn(3, 4)"),
    # (its gradient takes a target of the input's sizes, as in nn: the crop is forward's)
    ("nn.SpatialAutoCropMSECriterion()", "torch.randn(2, 2, 3, 3)", "torch.randn(2, 2, 3, 3)"),
    ("nn.SpatialAutoCropMSECriterion(false)", "torch.randn(2, 3, 3)", "torch.randn(2, 3, 3)"),
]


@pytest.mark.parametrize(
    "ctor,inp,target", CASES, ids=[f"{i}-{c[0].split('(')[0]}" for i, c in enumerate(CASES)]
)
def test_gradients(rt: Runtime, ctor: str, inp: str, target: str) -> None:
    loss = check_criterion(rt, ctor, inp, target)
    assert np.isfinite(loss)


# ----------------------------------------------------------------------------- numpy references
def values(rt: Runtime, code: str, *names: str) -> list[np.ndarray]:
    rt.execute(code)
    P = rt.globals.torch._P
    return [P[rt.globals[n]].arr.astype(np.float64).copy() for n in names]


def test_reference_losses(rt: Runtime) -> None:
    x, t, s, p, w = values(
        rt,
        """
      torch.manualSeed(5)
      rx = torch.randn(4, 5):mul(2)
      rt_ = torch.randn(4, 5)
      rs = torch.randn(4, 5):sign()
      rp = torch.rand(4, 5):mul(0.9):add(0.05)
      rw = torch.rand(5)
    """,
        "rx",
        "rt_",
        "rs",
        "rp",
        "rw",
    )

    def loss(expr: str) -> float:
        return rt.execute(f"return ({expr})")[0]

    n = x.size
    assert loss("nn.AbsCriterion():forward(rx, rt_)") == pytest.approx(np.abs(x - t).sum() / n)
    z = np.abs(x - t)
    sl1 = np.where(z < 1, 0.5 * z * z, z - 0.5).sum()
    assert loss("nn.SmoothL1Criterion(false):forward(rx, rt_)") == pytest.approx(sl1)
    assert loss("nn.MarginCriterion(0.7):forward(rx, rs)") == pytest.approx(
        np.maximum(0, 0.7 - x * s).sum() / n
    )
    assert loss("nn.SoftMarginCriterion():forward(rx, rs)") == pytest.approx(
        np.log1p(np.exp(-x * s)).sum() / n
    )
    tp = np.abs(t)
    assert loss("nn.DistKLDivCriterion():forward(rx, rt_:clone():abs())") == pytest.approx(
        (tp * (np.log(tp) - x)).sum() / n
    )
    bce = -(w[None] * (p * np.log(p) + (1 - p) * np.log(1 - p))).sum() / n
    assert loss("nn.BCECriterion(rw):forward(rp, rp)") == pytest.approx(bce)
    hinge = np.where(s == 1, x, np.maximum(0, 1.5 - x)).sum() / n
    assert loss("nn.HingeEmbeddingCriterion(1.5):forward(rx, rs)") == pytest.approx(hinge)
    mlsm = -(p * np.log(1 / (1 + np.exp(-x))) + (1 - p) * np.log(1 - 1 / (1 + np.exp(-x))))
    assert loss("nn.MultiLabelSoftMarginCriterion():forward(rx, rp)") == pytest.approx(
        mlsm.sum() / n
    )
    wmse = ((x - t * w[None]) ** 2).sum() / n
    assert loss("nn.WeightedMSECriterion(rw):forward(rx, rt_)") == pytest.approx(wmse)

    # ClassNLL and CrossEntropy
    tgt = np.array([2, 5, 1, 2])
    rt.execute("rtgt = torch.LongTensor{2, 5, 1, 2}")
    picked = x[np.arange(4), tgt - 1]
    assert loss("nn.ClassNLLCriterion():forward(rx, rtgt)") == pytest.approx(-picked.mean())
    cw = w[tgt - 1]
    assert loss("nn.ClassNLLCriterion(rw):forward(rx, rtgt)") == pytest.approx(
        -(picked * cw).sum() / cw.sum()
    )
    assert loss("nn.ClassNLLCriterion(rw, false):forward(rx, rtgt)") == pytest.approx(
        -(picked * cw).sum()
    )
    lsm = x - np.log(np.exp(x).sum(1, keepdims=True))
    assert loss("nn.CrossEntropyCriterion():forward(rx, rtgt)") == pytest.approx(
        -lsm[np.arange(4), tgt - 1].mean()
    )

    # MultiMargin, p = 1 and 2, with weights and margin
    for pw, crit in [(1, "nn.MultiMarginCriterion()"), (2, "nn.MultiMarginCriterion(2, rw, 0.5)")]:
        margin = 1.0 if pw == 1 else 0.5
        wt = np.ones(5) if pw == 1 else w
        zz = margin - picked[:, None] + x
        zz[np.arange(4), tgt - 1] = 0
        h = np.maximum(zz, 0) ** pw * wt[tgt - 1][:, None]
        assert loss(f"{crit}:forward(rx, rtgt)") == pytest.approx(h.sum() / 5 / 4)

    # MultiLabelMargin: targets up to the first 0
    rt.execute(
        "rml = torch.LongTensor{{3, 1, 0, 2, 5}, {2, 0, 0, 0, 0}, {1, 2, 3, 4, 5}, {5, 4, 0, 0, 0}}"
    )
    tg = [[3, 1], [2], [1, 2, 3, 4, 5], [5, 4]]
    total = 0.0
    for i, row in enumerate(tg):
        others = [d for d in range(5) if d + 1 not in row]
        for j in row:
            for d in others:
                total += max(0.0, 1 - x[i, j - 1] + x[i, d])
    assert loss("nn.MultiLabelMarginCriterion():forward(rx, rml)") == pytest.approx(total / 20)


def test_cosine_and_ranking_references(rt: Runtime) -> None:
    a, b = values(
        rt, "torch.manualSeed(8); ca = torch.randn(3, 4); cb = torch.randn(3, 4)", "ca", "cb"
    )
    cos = (a * b).sum(1) / np.sqrt((a * a).sum(1) * (b * b).sum(1))
    y = np.array([1, -1, -1])
    expect = np.where(y == 1, 1 - cos, np.maximum(0, cos - 0.1)).mean()
    got = rt.execute(
        "return nn.CosineEmbeddingCriterion(0.1):forward({ca, cb}, torch.Tensor{1, -1, -1})"
    )[0]
    assert got == pytest.approx(expect)
    x1, x2 = a[:, 0], b[:, 0]
    yr = np.array([1, -1, 1])
    got = rt.execute(
        "return nn.MarginRankingCriterion(0.3):forward({ca:select(2, 1), "
        "cb:select(2, 1)}, torch.Tensor{1, -1, 1})"
    )[0]
    assert got == pytest.approx(np.maximum(0, -yr * (x1 - x2) + 0.3).mean())
    got = rt.execute("return nn.L1HingeEmbeddingCriterion():forward({ca[1], cb[1]}, 1)")[0]
    assert got == pytest.approx(np.abs(a[0] - b[0]).sum())
    got = rt.execute(
        "return nn.DistanceRatioCriterion():forward({ca[1]:clone():abs(), cb[1]:clone():abs()})"
    )[0]
    X, Y = np.abs(a[0]), np.abs(b[0])
    assert got == pytest.approx((X + np.log(np.exp(-X) + np.exp(-Y))).mean())


def test_class_simplex_vertices(rt: Runtime) -> None:
    (simplex,) = values(rt, "cs = nn.ClassSimplexCriterion(5); csx = cs.simplex", "csx")
    assert simplex.shape == (5, 5)
    np.testing.assert_allclose(np.linalg.norm(simplex, axis=1), 1, rtol=1e-12)
    gram = simplex @ simplex.T
    off = gram[~np.eye(5, dtype=bool)]
    np.testing.assert_allclose(off, -1 / 4, rtol=1e-12)  # a regular simplex: equal angles


# ----------------------------------------------------------------------------- ClassNLL options
def test_classnll_ignore_index_and_total_weight(rt: Runtime) -> None:
    out = rt.execute("""
      torch.manualSeed(2)
      local x = nn.LogSoftMax():forward(torch.randn(4, 3))
      local c = nn.ClassNLLCriterion(nil, true, 3)
      local loss, tw = c:forward(x, torch.LongTensor{1, 3, 2, 3})
      local gi = c:backward(x, torch.LongTensor{1, 3, 2, 3}):clone()
      local expect = -(x[1][1] + x[3][2]) / 2
      local all, twAll = c:forward(x, torch.LongTensor{3, 3, 3, 3})
      local gAll = c:backward(x, torch.LongTensor{3, 3, 3, 3})
      return loss - expect, tw, gi[1][1], gi[2]:abs():sum(), gi[4]:abs():sum(), all, twAll,
         gAll:abs():sum()
    """)
    assert out[0] == pytest.approx(0, abs=1e-15)
    assert out[1:] == (2, -0.5, 0, 0, 0, 0, 0)


def test_classnll_targets_as_long_double_and_number(rt: Runtime) -> None:
    out = rt.execute("""
      torch.manualSeed(2)
      local x = torch.randn(3, 4)
      local c = nn.ClassNLLCriterion()
      local a = c:forward(x, torch.LongTensor{4, 1, 2})
      local b = c:forward(x, torch.DoubleTensor{4, 1, 2})
      local f = nn.ClassNLLCriterion():float():forward(x:float(), torch.FloatTensor{4, 1, 2})
      local v = c:forward(x[2], 3)
      return a, b, f, v, -x[2][3], torch.type(c:backward(x, torch.DoubleTensor{4, 1, 2}))
    """)
    assert out[0] == out[1]
    assert out[2] == pytest.approx(out[0], rel=1e-6)
    assert out[3] == out[4]
    assert out[5] == "torch.DoubleTensor"


def test_classnll_one_d_gradients_and_weights(rt: Runtime) -> None:
    out = rt.execute("""
      local x = torch.Tensor{-1, -2, -3}
      local w = torch.Tensor{1, 4, 2}
      local c1 = nn.ClassNLLCriterion(w)
      local c2 = nn.ClassNLLCriterion(w, false)
      return c1:forward(x, 2), c1:backward(x, 2)[2], c2:forward(x, 2), c2:backward(x, 2)[2]
    """)
    assert out == (2, -1, 8, -4)


@pytest.mark.parametrize(
    "code,message",
    [
        (
            "nn.ClassNLLCriterion():forward(torch.randn(3, 4), torch.LongTensor{1, 5, 2})",
            "Assertion `cur_target >= 0 && cur_target < n_classes' failed.",
        ),
        (
            "nn.ClassNLLCriterion():forward(torch.randn(3, 4), torch.LongTensor{1, 0, 2})",
            "Assertion `cur_target >= 0 && cur_target < n_classes' failed.",
        ),
        (
            "nn.ClassNLLCriterion():forward(torch.randn(4), 5)",
            "Assertion `cur_target >= 0 && cur_target < n_classes' failed.",
        ),
        (
            "nn.ClassNLLCriterion():forward(torch.randn(3, 4), torch.LongTensor{1, 2})",
            "Assertion `THIndexTensor_(size)(target, 0) == batch_size' failed.",
        ),
        (
            "nn.ClassNLLCriterion():forward(torch.randn(2, 3, 4), torch.LongTensor{1, 2})",
            "input tensor should be 1D or 2D",
        ),
        (
            "nn.ClassNLLCriterion():forward(torch.randn(3, 4), torch.LongTensor(3, 2):fill(1))",
            "multi-target not supported",
        ),
        (
            "nn.ClassNLLCriterion(torch.ones(3)):forward(torch.randn(3, 4), "
            "torch.LongTensor{1, 2, 3})",
            "weight tensor should be defined either for all 4 classes or no classes but got weight "
            "tensor of shape: [3]",
        ),
        ("nn.ClassNLLCriterion(torch.ones(2, 2))", "weights input should be 1-D Tensor"),
        (
            "nn.MultiMarginCriterion():forward(torch.randn(3, 4), torch.LongTensor{1, 5, 2})",
            "target out of range",
        ),
        ("nn.MultiMarginCriterion(3)", "only p=1 and p=2 supported"),
        (
            "nn.MultiLabelMarginCriterion():forward(torch.randn(3, 4), "
            "torch.LongTensor(3, 4):fill(5))",
            "target out of range",
        ),
        (
            "nn.SpatialClassNLLCriterion():forward(torch.randn(3, 4), torch.LongTensor{1, 2, 3})",
            "only batches of spatial targets supported (3D tensors)",
        ),
        (
            "nn.BCECriterion():forward(torch.rand(3), torch.rand(4))",
            "input and target size mismatch",
        ),
        ("nn.ClassSimplexCriterion(1)", "Required positive integer argument nClasses > 1"),
        (
            "nn.SpatialAutoCropMSECriterion():backward(torch.randn(2, 3, 3), torch.randn(2, 4, 3))",
            "gradOutput and input must have the same size",
        ),
        (
            "nn.SpatialAutoCropMSECriterion():forward(torch.randn(2, 5, 3), torch.randn(2, 4, 3))",
            "Spatial resolution of input should be less than or equal to the spatial resolution "
            "of the target",
        ),
    ],
)
def test_errors(rt: Runtime, code: str, message: str) -> None:
    with pytest.raises(LuaError) as info:
        rt.execute(code)
    assert message in info.value.message
    assert "Traceback" not in info.value.message


# ----------------------------------------------------------------------------- others
def test_criterion_table_module(rt: Runtime) -> None:
    out = rt.execute("""
      torch.manualSeed(4)
      local x, t = torch.randn(5), torch.randn(5)
      local m = nn.CriterionTable(nn.MSECriterion())
      local loss = m:forward({x, t})
      local gi = m:backward({x, t}, 1)
      local ref = nn.MSECriterion()
      return loss - ref:forward(x, t), (gi[1] - ref:backward(x, t)):abs():max(), tostring(m)
    """)
    assert out == (0, 0, "nn.CriterionTable")


def test_l1hinge_zero_difference_draws_random_sign(rt: Runtime) -> None:
    out = rt.execute("""
      local x = torch.Tensor{1, 2, 3}
      local y = torch.Tensor{1, 0, 3}
      torch.manualSeed(6)
      local g = nn.L1HingeEmbeddingCriterion():backward({x, y}, 1)
      local a, b = g[1][1], g[1][3]
      torch.manualSeed(6)
      return a, g[1][2], b, 2 * torch.random(2) - 3, 2 * torch.random(2) - 3, g[2][2]
    """)
    assert out[0] == out[3] and out[2] == out[4]
    assert out[1] == 1 and out[5] == -1


def test_crossentropy_is_logsoftmax_then_nll_and_keeps_input_shape(rt: Runtime) -> None:
    out = rt.execute("""
      torch.manualSeed(7)
      local x = torch.randn(1, 5)
      local ce = nn.CrossEntropyCriterion()
      local loss = ce:forward(x, 4)
      local gi = ce:backward(x, 4)
      local lsm = nn.LogSoftMax():forward(x[1])
      return loss + lsm[4], gi:dim(), gi:size(1), gi:size(2)
    """)
    assert out[0] == pytest.approx(0, abs=1e-15)
    assert out[1:] == (2, 1, 5)


CRITERIONS = [
    "nn.MSECriterion()",
    "nn.AbsCriterion()",
    "nn.SmoothL1Criterion()",
    "nn.ClassNLLCriterion()",
    "nn.SpatialClassNLLCriterion()",
    "nn.CrossEntropyCriterion()",
    "nn.BCECriterion()",
    "nn.DistKLDivCriterion()",
    "nn.MarginCriterion()",
    "nn.SoftMarginCriterion()",
    "nn.MultiMarginCriterion()",
    "nn.MultiLabelMarginCriterion()",
    "nn.MultiLabelSoftMarginCriterion()",
    "nn.HingeEmbeddingCriterion()",
    "nn.L1HingeEmbeddingCriterion()",
    "nn.CosineEmbeddingCriterion()",
    "nn.MarginRankingCriterion()",
    "nn.WeightedMSECriterion(torch.ones(2))",
    "nn.ClassSimplexCriterion(3)",
    "nn.ParallelCriterion()",
    "nn.MultiCriterion()",
    "nn.DistanceRatioCriterion()",
    "nn.ModuleCriterion(nn.MSECriterion())",
    "nn.SpatialAutoCropMSECriterion()",
]


def test_autocrop_loss_is_mse_of_the_centre_crop(rt: Runtime) -> None:
    """The loss of a larger target is MSECriterion's on the target's centre (the extra row or
    column, when odd, on the far side), for Double and Float, batch and single image."""
    out = rt.execute("""
      local same = true
      for _, t in ipairs({'torch.DoubleTensor', 'torch.FloatTensor'}) do
         for _, avg in ipairs({true, false}) do
            local x = torch.randn(2, 3, 4, 5):type(t)
            local y = torch.randn(2, 3, 7, 8):type(t)
            local a = nn.SpatialAutoCropMSECriterion(avg):forward(x, y)
            local b = nn.MSECriterion(avg):forward(x, y[{{}, {}, {2, 5}, {2, 6}}])
            local c = nn.SpatialAutoCropMSECriterion(avg):forward(x[1], y[1])
            local d = nn.MSECriterion(avg):forward(x[1], y[1][{{}, {2, 5}, {2, 6}}])
            same = same and a == b and c == d
         end
      end
      return same
    """)
    assert out[0] is True


@pytest.mark.parametrize("ctor", CRITERIONS)
def test_tostring_is_type_name(rt: Runtime, ctor: str) -> None:
    assert rt.execute(f"return tostring({ctor})")[0] == ctor.split("(")[0]


def test_hot_path_reuses_buffers(rt: Runtime) -> None:
    out = rt.execute("""
      torch.manualSeed(1)
      local x = torch.randn(128, 10)
      local t = torch.LongTensor(128):random(10)
      local lsm, nll = nn.LogSoftMax(), nn.ClassNLLCriterion()
      local y = lsm:forward(x)
      nll:forward(y, t)
      local g = nll:backward(y, t)
      local gi = lsm:backward(x, g)
      local p1, p2, p3 = torch.pointer(y:storage()), torch.pointer(g:storage()),
         torch.pointer(gi:storage())
      for i = 1, 3 do
         y = lsm:forward(x); nll:forward(y, t); g = nll:backward(y, t); gi = lsm:backward(x, g)
      end
      return p1 == torch.pointer(y:storage()), p2 == torch.pointer(g:storage()),
         p3 == torch.pointer(gi:storage()), math.abs(gi:sum()) < 1e-12
    """)
    assert out == (True, True, True, True)


def test_spatial_nll_target_of_another_type_follows_each_call(rt: Runtime) -> None:
    """A Double target becomes a LongTensor in .target on every call, as Torch's :long(): the
    values of this call (the one made last time is refilled), never the caller's own tensor,
    and a Long target is kept as is."""
    res = rt.execute("""
      local c = nn.SpatialClassNLLCriterion()
      local x = torch.randn(2, 3, 2, 2)
      local t = torch.Tensor(2, 2, 2):fill(1)
      local a = c:forward(x, t)
      local first = c.target
      t:fill(3)
      local b = c:forward(x, t)
      local long = torch.LongTensor(2, 2, 2):fill(2)
      local d = c:forward(x, long)
      local kept = c.target == long
      t:fill(1)
      local e = c:forward(x, t)
      return a, b, d, e, torch.type(first), kept, c.target ~= long, long:sum(),
             -x:select(2, 1):mean(), -x:select(2, 3):mean(), -x:select(2, 2):mean()
    """)
    a, b, d, e, kind, kept, fresh, long_sum, want1, want3, want2 = res
    assert kind == "torch.LongTensor" and kept and fresh and long_sum == 16
    assert a == pytest.approx(want1) and e == pytest.approx(want1)
    assert b == pytest.approx(want3) and d == pytest.approx(want2)

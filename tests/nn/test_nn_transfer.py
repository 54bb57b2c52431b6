"""nn transfer functions: finite-difference gradients, numpy reference values, in-place variants,
RReLU's random stream, printing as Torch7 prints (golden print.out) and Torch's error messages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from nn_gradcheck import check_module

from luatorch.runtime import LuaError, Runtime

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "print.out"


@pytest.fixture(scope="module")
def rt() -> Runtime:
    r = Runtime(write=lambda s: None)
    r.execute("require 'nn'")
    return r


def run(rt: Runtime, code: str) -> tuple:
    return rt.execute(code)


def np_of(rt: Runtime, expr: str) -> np.ndarray:
    """A copy of the Lua tensor expression's values."""
    t = rt.execute("return " + expr)[0]
    return rt.globals.torch._P[t].arr.copy()


POS = "torch.rand({}):add(0.5)"  # inputs where log, sqrt and fractional powers are defined

# (constructor, input expression template or None for randn, shapes)
MODULES = [
    ("nn.ReLU6()", None),
    ("nn.PReLU()", None),
    ("nn.LeakyReLU()", None),
    ("nn.LeakyReLU(0.3)", None),
    ("nn.ELU()", None),
    ("nn.ELU(0.7)", None),
    ("nn.SoftPlus()", None),
    ("nn.SoftPlus(3)", None),
    ("nn.SoftSign()", None),
    ("nn.SoftMax()", None),
    ("nn.LogSoftMax()", None),
    ("nn.SoftMin()", None),
    ("nn.LogSigmoid()", None),
    ("nn.HardTanh()", None),
    ("nn.HardTanh(-0.5, 0.7)", None),
    ("nn.Clamp(-0.3, 0.4)", None),
    ("nn.HardShrink()", None),
    ("nn.HardShrink(0.2)", None),
    ("nn.SoftShrink()", None),
    ("nn.SoftShrink(0.3)", None),
    ("nn.TanhShrink()", None),
    ("nn.Abs()", None),
    ("nn.Exp()", None),
    ("nn.Log()", POS),
    ("nn.Power(2)", None),
    ("nn.Power(3)", None),
    ("nn.Power(2.5)", POS),
    ("nn.Square()", None),
    ("nn.Sqrt()", POS),
    ("nn.Sqrt(0.1)", POS),
    ("nn.GatedLinearUnit()", None),
    ("nn.RReLU()", None),
    ("nn.Tanh()", None),
    ("nn.Sigmoid()", None),
]


def evaluating(ctor: str) -> str:
    """A Lua expression building the module in evaluation mode."""
    return f"(function() local m = {ctor}; m:evaluate(); return m end)()"


def _ctor(ctor: str) -> str:
    # RReLU draws fresh noise on every forward in training mode: check its evaluation mode
    return evaluating(ctor) if ctor.startswith("nn.RReLU") else ctor


@pytest.mark.parametrize("ctor,inp", MODULES, ids=[m[0] for m in MODULES])
@pytest.mark.parametrize("shape", [(6,), (3, 4)], ids=["vector", "batch"])
def test_gradients(rt: Runtime, ctor: str, inp: str | None, shape: tuple[int, ...]) -> None:
    run(rt, "torch.manualSeed(7)")
    dims = ", ".join(str(s) for s in shape)
    errors = check_module(
        rt,
        _ctor(ctor),
        shape if inp is None else None,
        dtype="float",
        input_lua=None if inp is None else inp.format(dims),
        tol=1e-5,
    )
    assert errors["input"] < 1e-5
    assert errors["float"] < 1e-4


@pytest.mark.parametrize(
    "ctor,shape",
    [
        ("nn.PReLU(3)", (3,)),
        ("nn.PReLU(3)", (2, 3)),
        ("nn.PReLU(3)", (2, 3, 2, 2)),
        ("nn.SpatialSoftMax()", (3, 2, 2)),
        ("nn.SpatialSoftMax()", (2, 3, 2, 2)),
        ("nn.SoftMax()", (3, 2, 2)),
        ("nn.LogSoftMax()", (2, 3, 2, 2)),
        ("nn.GatedLinearUnit(1)", (4, 3)),
        ("nn.GatedLinearUnit(2)", (3, 2, 5)),
        (evaluating("nn.RReLU(0.1, 0.3, false, true)"), (2, 3, 2, 2)),
    ],
)
def test_gradients_shaped(rt: Runtime, ctor: str, shape: tuple[int, ...]) -> None:
    run(rt, "torch.manualSeed(11)")
    check_module(rt, ctor, shape, dtype="float", tol=1e-5)


# ----------------------------------------------------------------------------- numpy references
def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def _softmax(x: np.ndarray, axis: int) -> np.ndarray:
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


REFERENCES = {
    "nn.ReLU6()": lambda x: np.clip(x, 0, 6),
    "nn.LeakyReLU(0.2)": lambda x: np.where(x > 0, x, 0.2 * x),
    "nn.ELU(0.5)": lambda x: np.where(x > 0, x, 0.5 * (np.exp(x) - 1)),
    "nn.SoftPlus(2)": lambda x: np.log1p(np.exp(2 * x)) / 2,
    "nn.SoftSign()": lambda x: x / (1 + np.abs(x)),
    "nn.SoftMax()": lambda x: _softmax(x, x.ndim - 1),
    "nn.LogSoftMax()": lambda x: np.log(_softmax(x, x.ndim - 1)),
    "nn.SoftMin()": lambda x: _softmax(-x, x.ndim - 1),
    "nn.LogSigmoid()": lambda x: np.log(_sigmoid(x)),
    "nn.HardTanh(-0.5, 2)": lambda x: np.clip(x, -0.5, 2),
    "nn.Clamp(0, 1)": lambda x: np.clip(x, 0, 1),
    "nn.HardShrink(0.6)": lambda x: np.where(np.abs(x) > 0.6, x, 0),
    "nn.SoftShrink(0.6)": lambda x: np.sign(x) * np.maximum(np.abs(x) - 0.6, 0),
    "nn.TanhShrink()": lambda x: x - np.tanh(x),
    "nn.Abs()": np.abs,
    "nn.Exp()": np.exp,
    "nn.Square()": lambda x: x * x,
    "nn.Power(3)": lambda x: x**3,
    "nn.PReLU()": lambda x: np.where(x > 0, x, 0.25 * x),
    "nn.GatedLinearUnit()": lambda x: x[..., :2] * _sigmoid(x[..., 2:]),
    evaluating("nn.RReLU(0.1, 0.3)"): lambda x: np.where(x > 0, x, 0.2 * x),
}


@pytest.mark.parametrize("ctor", list(REFERENCES))
def test_reference_values(rt: Runtime, ctor: str) -> None:
    run(rt, f"torch.manualSeed(3); ref_x = torch.randn(5, 4):mul(3); ref_m = {ctor}")
    x = np_of(rt, "ref_x")
    y = np_of(rt, "ref_m:forward(ref_x)")
    np.testing.assert_allclose(y, REFERENCES[ctor](x), rtol=1e-12, atol=1e-12)


def test_positive_domain_references(rt: Runtime) -> None:
    run(rt, "torch.manualSeed(4); px = torch.rand(3, 5):add(0.1)")
    x = np_of(rt, "px")
    np.testing.assert_allclose(np_of(rt, "nn.Log():forward(px)"), np.log(x), rtol=1e-14)
    np.testing.assert_allclose(np_of(rt, "nn.Sqrt(0.5):forward(px)"), np.sqrt(x + 0.5), rtol=1e-14)
    np.testing.assert_allclose(np_of(rt, "nn.Power(0.5):forward(px)"), np.sqrt(x), rtol=1e-14)


def test_spatial_softmax_over_planes(rt: Runtime) -> None:
    run(rt, "torch.manualSeed(5); sx = torch.randn(2, 3, 4, 5)")
    x = np_of(rt, "sx")
    np.testing.assert_allclose(
        np_of(rt, "nn.SpatialSoftMax():forward(sx)"), _softmax(x, 1), rtol=1e-13
    )
    np.testing.assert_allclose(
        np_of(rt, "nn.SpatialSoftMax():forward(sx[1])"), _softmax(x[0], 0), rtol=1e-13
    )


def test_logsoftmax_float_and_extremes(rt: Runtime) -> None:
    run(rt, "lx = torch.Tensor{{1000, 0, -1000}, {1, 2, 3}}")
    y = np_of(rt, "nn.LogSoftMax():forward(lx)")
    assert np.all(np.isfinite(y))
    np.testing.assert_allclose(y[0], [0, -1000, -2000])
    yf = np_of(rt, "nn.LogSoftMax():float():forward(lx:float())")
    assert yf.dtype == np.float32
    np.testing.assert_allclose(yf, y, rtol=1e-6)
    assert np.all(np.isfinite(np_of(rt, "nn.LogSigmoid():forward(torch.Tensor{-800, 800})")))


def test_prelu_per_plane_and_accumulation(rt: Runtime) -> None:
    run(
        rt,
        """
      torch.manualSeed(9)
      pm = nn.PReLU(3)
      pm.weight:copy(torch.Tensor{0.1, 0.2, 0.3})
      px = torch.randn(2, 3, 4)
      pgo = torch.randn(2, 3, 4)
      pm:zeroGradParameters()
      pm:forward(px)
      pm:backward(px, pgo, 0.5)
    """,
    )
    x, go = np_of(rt, "px"), np_of(rt, "pgo")
    w = np.array([0.1, 0.2, 0.3])[None, :, None]
    np.testing.assert_allclose(np_of(rt, "pm.output"), np.where(x > 0, x, w * x))
    np.testing.assert_allclose(np_of(rt, "pm.gradInput"), np.where(x > 0, go, w * go))
    expect = 0.5 * np.where(x <= 0, x * go, 0).sum(axis=(0, 2))
    np.testing.assert_allclose(np_of(rt, "pm.gradWeight"), expect)


# ----------------------------------------------------------------------------- in-place flags
INPLACE = [
    ("nn.ReLU6(true)", lambda x: np.clip(x, 0, 6), lambda x: (x > 0) & (x < 6)),
    ("nn.HardTanh(-1, 1, true)", lambda x: np.clip(x, -1, 1), lambda x: np.abs(x) < 1),
    (
        "nn.LeakyReLU(0.1, true)",
        lambda x: np.where(x > 0, x, 0.1 * x),
        lambda x: np.where(x > 0, 1, 0.1),
    ),
    (
        "nn.ELU(1, true)",
        lambda x: np.where(x > 0, x, np.exp(x) - 1),
        lambda x: np.where(x > 0, 1, np.exp(x)),
    ),
    (
        "nn.RReLU(0.2, 0.2, true)",
        lambda x: np.where(x > 0, x, 0.2 * x),
        lambda x: np.where(x > 0, 1, 0.2),
    ),
]


@pytest.mark.parametrize("ctor,fwd,deriv", INPLACE, ids=[c[0] for c in INPLACE])
def test_inplace(rt: Runtime, ctor: str, fwd, deriv) -> None:
    run(
        rt,
        f"""
      torch.manualSeed(2)
      ix = torch.randn(4, 5):mul(4)
      ix0 = ix:clone()
      igo = torch.randn(4, 5)
      igo0 = igo:clone()
      im = {ctor}
      iy = im:forward(ix)
      igi = im:backward(ix, igo)
    """,
    )
    x0, go0 = np_of(rt, "ix0"), np_of(rt, "igo0")
    same = rt.execute(
        "return torch.pointer(iy:storage()) == torch.pointer(ix:storage()), "
        "torch.pointer(igi:storage()) == torch.pointer(igo:storage())"
    )
    assert same == (True, True)
    np.testing.assert_allclose(np_of(rt, "ix"), fwd(x0), rtol=1e-12)
    np.testing.assert_allclose(np_of(rt, "igi"), go0 * deriv(x0), rtol=1e-12)


# ----------------------------------------------------------------------------- RReLU training
def test_rrelu_training_draws_one_uniform_per_nonpositive_element(rt: Runtime) -> None:
    run(
        rt,
        """
      torch.manualSeed(1)
      rx = torch.randn(3, 4)
      rgo = torch.randn(3, 4)
      torch.manualSeed(42)
      rm = nn.RReLU(0.1, 0.4)
      ry = rm:forward(rx):clone()
      rgi = rm:backward(rx, rgo):clone()
      after = torch.uniform()
      torch.manualSeed(42)
      draws = {}
      local neg = 0
      rx:apply(function(v) if v <= 0 then neg = neg + 1 end end)
      for i = 1, neg do draws[i] = torch.uniform(0.1, 0.4) end
      rnext = torch.uniform()
      ndraws = neg
    """,
    )
    x = np_of(rt, "rx")
    n = int(rt.globals.ndraws)
    draws = np.array([rt.globals.draws[i + 1] for i in range(n)])
    noise = np.ones(x.size)
    noise[(x <= 0).reshape(-1)] = draws
    noise = noise.reshape(x.shape)
    np.testing.assert_allclose(np_of(rt, "rm.noise"), noise, rtol=0, atol=0)
    np.testing.assert_allclose(np_of(rt, "ry"), x * noise, rtol=0, atol=0)
    np.testing.assert_allclose(np_of(rt, "rgi"), np_of(rt, "rgo") * noise, rtol=0, atol=0)
    assert rt.globals.after == rt.globals.rnext  # the stream continues where Torch's would


def test_rrelu_channelwise_shares_noise_per_plane(rt: Runtime) -> None:
    run(
        rt,
        """
      torch.manualSeed(3)
      cx = torch.randn(4, 3):add(-0.5)
      cm = nn.RReLU(0.1, 0.4, false, true)
      cy = cm:forward(cx)
    """,
    )
    x, y, noise = np_of(rt, "cx"), np_of(rt, "cy"), np_of(rt, "cm.noise")
    assert noise.shape == (3,)
    assert np.all((noise >= 0.1) & (noise < 0.4))
    np.testing.assert_allclose(y, np.where(x > 0, x, x * noise[None, :]))


# ----------------------------------------------------------------------------- printing
def _golden_lines() -> set[str]:
    if not GOLDEN.is_file():
        return set()
    return {
        line.split(": ", 1)[1]
        for line in GOLDEN.read_text().splitlines()
        if line.startswith("  (") and ": " in line
    }


@pytest.mark.parametrize(
    "ctor,text",
    [
        ("nn.ELU()", "nn.ELU (alpha:1.000000)"),
        ("nn.ELU(0.25)", "nn.ELU (alpha:0.250000)"),
        ("nn.LeakyReLU()", "nn.LeakyReLU(0.01)"),
        ("nn.LeakyReLU(0.2, true)", "nn.LeakyReLU(0.2)"),
        ("nn.RReLU()", "nn.RReLU (l:0.125000, u:0.333333)"),
        ("nn.PReLU()", "nn.PReLU"),
        ("nn.HardTanh()", "nn.HardTanh"),
        ("nn.SoftPlus()", "nn.SoftPlus"),
        ("nn.SoftMax()", "nn.SoftMax"),
        ("nn.LogSoftMax()", "nn.LogSoftMax"),
        ("nn.Square()", "nn.Square"),
        ("nn.Sqrt()", "nn.Sqrt"),
        ("nn.Abs()", "nn.Abs"),
        ("nn.ReLU6()", "nn.ReLU6"),
        ("nn.Clamp(0, 1)", "nn.Clamp"),
        ("nn.Power(2)", "nn.Power"),
        ("nn.GatedLinearUnit()", "nn.GatedLinearUnit"),
        ("nn.SpatialSoftMax()", "nn.SpatialSoftMax"),
    ],
)
def test_tostring(rt: Runtime, ctor: str, text: str) -> None:
    assert rt.execute(f"return tostring({ctor})")[0] == text


def test_tostring_matches_golden(rt: Runtime) -> None:
    golden = _golden_lines()
    if not golden:
        pytest.skip("golden print.out not available")
    for ctor in [
        "nn.PReLU()",
        "nn.ELU()",
        "nn.LeakyReLU()",
        "nn.HardTanh()",
        "nn.SoftPlus()",
        "nn.SoftMax()",
        "nn.LogSoftMax()",
        "nn.Square()",
        "nn.Sqrt()",
        "nn.Abs()",
    ]:
        assert rt.execute(f"return tostring({ctor})")[0] in golden, ctor


# ----------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    "code,message",
    [
        ("nn.LogSoftMax():forward(torch.randn(2, 2, 2, 2, 2))", "1D, 2D, 3D or 4D tensor expected"),
        ("nn.SoftMax():forward(torch.randn(2, 2, 2, 2, 2))", "1D, 2D, 3D or 4D tensor expected"),
        (
            "nn.PReLU(3):forward(torch.randn(2, 4))",
            "Wrong number of input planes. Expected 3 but got 4.",
        ),
        ("nn.GatedLinearUnit():forward(torch.randn(2, 3))", "halving dimension needs to be even"),
        ("nn.HardTanh(1, -1)", "max_value must be larger than min_value"),
        ("nn.LeakyReLU(0.1, 1)", "in-place flag must be boolean"),
        ("nn.Power()", "nn.Power(power)"),
        (
            "nn.Tanh():forward(torch.randn(3)); nn.Abs():backward(torch.randn(3), torch.randn(4))",
            "input and gradOutput have different number of elements",
        ),
    ],
)
def test_errors(rt: Runtime, code: str, message: str) -> None:
    with pytest.raises(LuaError) as info:
        rt.execute(code)
    assert message in info.value.message
    assert "Traceback" not in info.value.message


def test_type_conversion_and_clear_state(rt: Runtime) -> None:
    out = rt.execute("""
      local m = nn.Sequential():add(nn.PReLU(2)):add(nn.LogSigmoid()):add(nn.RReLU())
      m:float()
      local y = m:forward(torch.FloatTensor(3, 2):uniform(-1, 1))
      m:clearState()
      return torch.type(y), torch.type(m.modules[1].weight), m.modules[3].noise:nElement()
    """)
    assert out == ("torch.FloatTensor", "torch.FloatTensor", 0)

"""optim: every algorithm against a numpy transcription of Torch's update formulas, plus Logger,
ConfusionMatrix and a small nn training loop.

The Lua side runs a few steps of each algorithm on a Rosenbrock function and on a quadratic;
the numpy references below follow torch/optim's update rules operation by operation (TH's
``addcmul``/``addcdiv`` are ``x + (v * a) * b`` and ``x + (v * a) / b``) and the iterates must
agree to 1e-12.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from lupa import luajit21

from luatorch.runtime import LuaError, Runtime
from luatorch.tensor.random import Generator

TOL = {"rtol": 1e-12, "atol": 1e-12}
# long runs on Rosenbrock's ill-conditioned valley: the numpy reference's dot products go through
# numpy's bundled OpenBLAS, luatorch's through Torch7's; their kernels (picked by CPU) may round a
# 2-element dot differently, and 50-100 iterations grow one ulp to ~1e-10 (bits against Torch7
# itself are tests/same_bits/optim_*.lua's job)
LONG_TOL = {"rtol": 1e-8, "atol": 1e-8}


def tolerance(iterations: int) -> dict[str, float]:
    return LONG_TOL if iterations >= 50 else TOL


A_Q = np.array([[3.0, 0.5, 0.2], [0.5, 2.0, -0.3], [0.2, -0.3, 1.5]])
B_Q = np.array([1.0, -2.0, 0.5])

HARNESS = r"""
require 'optim'
A_Q = torch.Tensor{{3.0, 0.5, 0.2}, {0.5, 2.0, -0.3}, {0.2, -0.3, 1.5}}
B_Q = torch.Tensor{1.0, -2.0, 0.5}

-- f(x) = sum 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2, with the numpy reference's operation order
function rosenbrock(x)
   local n = x:size(1)
   local a = x:narrow(1, 1, n - 1)
   local b = x:narrow(1, 2, n - 1)
   local d = b - torch.cmul(a, a)
   local e = torch.mul(a, -1):add(1)
   local f = torch.cmul(d, d):mul(100):add(torch.cmul(e, e)):sum()
   local g = x.new(n):zero()
   g:narrow(1, 1, n - 1):copy(torch.cmul(a, d):mul(-400)):add(-2, e)
   g:narrow(1, 2, n - 1):add(200, d)
   return f, g
end

function quadratic(x)
   local Ax = torch.mv(A_Q, x)
   return 0.5 * x:dot(Ax) - B_Q:dot(x), Ax - B_Q
end

-- n calls of optim[name]; the iterates, f values (first entry of the returned table) and state
function run(name, fname, x0, config, n, state)
   local x = torch.Tensor(x0)
   local xs, fs = {}, {}
   for i = 1, n do
      local fx
      x, fx = optim[name](_G[fname], x, config, state)
      xs[i] = x:totable()
      fs[i] = fx[1]
   end
   return xs, fs
end
"""


def lua_to_py(v: Any) -> Any:
    if luajit21.lua_type(v) == "table":
        n = len(v)
        if n:
            return [lua_to_py(v[i]) for i in range(1, n + 1)]
        return {k: lua_to_py(x) for k, x in v.items()}
    return v


@pytest.fixture(scope="module")
def rt() -> Runtime:
    out: list[str] = []
    r = Runtime(write=out.append)
    r.out = out  # type: ignore[attr-defined]
    r.execute(HARNESS, name="=harness")
    return r


def run(
    rt: Runtime, name: str, fname: str, x0: list[float], config: str, n: int, state: str = "nil"
) -> tuple[np.ndarray, np.ndarray]:
    xs, fs = rt.execute(
        f"return run('{name}', '{fname}', {{{', '.join(map(repr, x0))}}}, {config}, {n}, {state})"
    )
    return np.array(lua_to_py(xs)), np.array(lua_to_py(fs))


# -- numpy objectives ---------------------------------------------------------------------------


def rosenbrock(x: np.ndarray) -> tuple[float, np.ndarray]:
    a, b = x[:-1], x[1:]
    d = b - a * a
    e = a * -1 + 1
    f = float(np.sum((d * d) * 100 + e * e))
    g = np.zeros_like(x)
    g[:-1] = (a * d) * -400 + (-2) * e
    g[1:] = g[1:] + 200 * d
    return f, g


def quadratic(x: np.ndarray) -> tuple[float, np.ndarray]:
    ax = A_Q @ x
    return 0.5 * float(x @ ax) - float(B_Q @ x), ax - B_Q


FUNCS: dict[str, Callable[[np.ndarray], tuple[float, np.ndarray]]] = {
    "rosenbrock": rosenbrock,
    "quadratic": quadratic,
}
STARTS = {"rosenbrock": [-0.5, 0.8], "quadratic": [1.0, 1.0, -1.0]}


# -- numpy transcriptions of the update rules ---------------------------------------------------


def ref_sgd(
    F,
    x,
    n,
    learningRate=1e-3,
    learningRateDecay=0.0,
    weightDecay=0.0,
    momentum=0.0,
    dampening=None,
    nesterov=False,
    learningRates=None,
    weightDecays=None,
):
    damp = momentum if dampening is None else dampening
    buf = None
    xs, fs = [], []
    for k in range(n):
        f, g = F(x)
        if weightDecay != 0:
            g = g + weightDecay * x
        elif weightDecays is not None:
            g = g + weightDecays * x
        if momentum != 0:
            buf = g.copy() if buf is None else buf * momentum + (1 - damp) * g
            g = g + momentum * buf if nesterov else buf
        clr = learningRate / (1 + k * learningRateDecay)
        x = x + (-clr) * (learningRates * g if learningRates is not None else g)
        xs.append(x)
        fs.append(f)
    return xs, fs


def ref_asgd(F, x, n, eta0=1e-4, lam=1e-4, alpha=0.75, t0=1e6):
    eta, mu, t, ax = eta0, 1.0, 0, np.zeros_like(x)
    xs, fs, axs = [], [], []
    for _ in range(n):
        f, g = F(x)
        x = x * (1 - lam * eta)
        x = x + (-eta) * g
        ax = x.copy() if mu == 1 else ax + (x + (-1) * ax) * mu
        t += 1
        eta = eta0 / math.pow(1 + lam * eta0 * t, alpha)
        mu = 1 / max(1, t - t0)
        xs.append(x)
        fs.append(f)
        axs.append(ax)
    return xs, fs, axs


def ref_nag(
    F,
    x,
    n,
    learningRate=1e-3,
    learningRateDecay=0.0,
    weightDecay=0.0,
    momentum=0.9,
    learningRates=None,
):
    v = None
    xs, fs = [], []
    for k in range(n):
        xc = x.copy()
        if v is not None:
            x = x + momentum * v
        f, g = F(x)
        if weightDecay != 0:
            g = g + weightDecay * x
        clr = learningRate / (1 + k * learningRateDecay)
        v = np.zeros_like(x) if v is None else v * momentum
        v = v + (-clr) * (learningRates * g if learningRates is not None else g)
        x = xc + v
        xs.append(x)
        fs.append(f)
    return xs, fs


def ref_adagrad(F, x, n, learningRate=1e-3, learningRateDecay=0.0):
    var = np.zeros_like(x)
    xs, fs = [], []
    for k in range(n):
        f, g = F(x)
        clr = learningRate / (1 + k * learningRateDecay)
        var = var + (1 * g) * g
        std = np.sqrt(var) + 1e-10
        x = x + ((-clr) * g) / std
        xs.append(x)
        fs.append(f)
    return xs, fs


def ref_adadelta(F, x, n, rho=0.9, eps=1e-6):
    var, acc = np.zeros_like(x), np.zeros_like(x)
    xs, fs = [], []
    for _ in range(n):
        f, g = F(x)
        var = var * rho + ((1 - rho) * g) * g
        std = np.sqrt(var + eps)
        delta = np.sqrt(acc + eps) / std * g
        x = x + (-1) * delta
        acc = acc * rho + ((1 - rho) * delta) * delta
        xs.append(x)
        fs.append(f)
    return xs, fs


def ref_adam(F, x, n, learningRate=1e-3, beta1=0.9, beta2=0.999, epsilon=1e-8):
    m, v = np.zeros_like(x), np.zeros_like(x)
    xs, fs = [], []
    for t in range(1, n + 1):
        f, g = F(x)
        m = m * beta1 + (1 - beta1) * g
        v = v * beta2 + ((1 - beta2) * g) * g
        denom = np.sqrt(v) + epsilon
        step = learningRate * math.sqrt(1 - beta2**t) / (1 - beta1**t)
        x = x + ((-step) * m) / denom
        xs.append(x)
        fs.append(f)
    return xs, fs


def ref_adamax(F, x, n, learningRate=0.002, beta1=0.9, beta2=0.999, epsilon=1e-38):
    m, u = np.zeros_like(x), np.zeros_like(x)
    xs, fs = [], []
    for t in range(1, n + 1):
        f, g = F(x)
        m = m * beta1 + (1 - beta1) * g
        u = np.maximum(u * beta2, np.abs(g) + epsilon)
        x = x + ((-(learningRate / (1 - beta1**t))) * m) / u
        xs.append(x)
        fs.append(f)
    return xs, fs


def ref_rmsprop(F, x, n, learningRate=1e-2, alpha=0.99, epsilon=1e-8):
    m = np.zeros_like(x)
    xs, fs = [], []
    for _ in range(n):
        f, g = F(x)
        m = m * alpha + ((1.0 - alpha) * g) * g
        x = x + ((-learningRate) * g) / (np.sqrt(m) + epsilon)
        xs.append(x)
        fs.append(f)
    return xs, fs


def ref_rprop(F, x, n, stepsize=0.1, etaplus=1.2, etaminus=0.5, stepsizemax=50.0, stepsizemin=1e-6):
    delta, step = np.zeros_like(x), np.full_like(x, stepsize)
    xs, fs = [], []
    for _ in range(n):
        f, g = F(x)
        s = np.sign(g * delta)
        step = step * np.where(s > 0, etaplus, np.where(s < 0, etaminus, 1.0))
        step = np.where(step > stepsizemax, stepsizemax, step)
        step = np.where(step < stepsizemin, stepsizemin, step)
        g = np.where(s < 0, 0.0, g)
        x = x + ((-1) * np.sign(g)) * step
        delta = g
        xs.append(x)
        fs.append(f)
    return xs, fs


FIRST_ORDER = [
    ("sgd", "{learningRate=1e-3}", ref_sgd, {"learningRate": 1e-3}),
    ("sgd", "{learningRate=1e-3, momentum=0.9}", ref_sgd, {"learningRate": 1e-3, "momentum": 0.9}),
    (
        "sgd",
        "{learningRate=1e-3, momentum=0.8, dampening=0, nesterov=true}",
        ref_sgd,
        {"learningRate": 1e-3, "momentum": 0.8, "dampening": 0.0, "nesterov": True},
    ),
    (
        "sgd",
        "{learningRate=2e-3, momentum=0.5, dampening=0.1, weightDecay=0.01, learningRateDecay=0.1}",
        ref_sgd,
        {
            "learningRate": 2e-3,
            "momentum": 0.5,
            "dampening": 0.1,
            "weightDecay": 0.01,
            "learningRateDecay": 0.1,
        },
    ),
    (
        "sgd",
        "{learningRate=1e-3, "
        "learningRates=torch.Tensor(DIM):fill(0.5):add(torch.range(1, DIM)), "
        "weightDecays=torch.range(1, DIM):mul(0.01)}",
        ref_sgd,
        {"learningRate": 1e-3, "learningRates": "0.5+range", "weightDecays": "0.01*range"},
    ),
    ("nag", "{learningRate=1e-3}", ref_nag, {"learningRate": 1e-3}),
    (
        "nag",
        "{learningRate=1e-3, momentum=0.5, weightDecay=0.02, learningRateDecay=0.05, "
        "learningRates=torch.Tensor(DIM):fill(0.5):add(torch.range(1, DIM))}",
        ref_nag,
        {
            "learningRate": 1e-3,
            "momentum": 0.5,
            "weightDecay": 0.02,
            "learningRateDecay": 0.05,
            "learningRates": "0.5+range",
        },
    ),
    (
        "adagrad",
        "{learningRate=0.1, learningRateDecay=0.01}",
        ref_adagrad,
        {"learningRate": 0.1, "learningRateDecay": 0.01},
    ),
    ("adadelta", "{rho=0.95, eps=1e-4}", ref_adadelta, {"rho": 0.95, "eps": 1e-4}),
    ("adadelta", "{}", ref_adadelta, {}),
    ("adam", "{}", ref_adam, {}),
    (
        "adam",
        "{learningRate=0.05, beta1=0.8, beta2=0.99, epsilon=1e-6}",
        ref_adam,
        {"learningRate": 0.05, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6},
    ),
    ("adamax", "{learningRate=0.01}", ref_adamax, {"learningRate": 0.01}),
    ("rmsprop", "{}", ref_rmsprop, {}),
    (
        "rmsprop",
        "{learningRate=1e-3, alpha=0.9, epsilon=1e-6}",
        ref_rmsprop,
        {"learningRate": 1e-3, "alpha": 0.9, "epsilon": 1e-6},
    ),
    ("rprop", "{}", ref_rprop, {}),
    (
        "rprop",
        "{stepsize=0.05, etaplus=1.5, etaminus=0.3, stepsizemax=0.2}",
        ref_rprop,
        {"stepsize": 0.05, "etaplus": 1.5, "etaminus": 0.3, "stepsizemax": 0.2},
    ),
]


def _resolve(cfg: dict, dim: int) -> dict:
    r = np.arange(1, dim + 1, dtype=np.float64)
    named = {"0.5+range": 0.5 + r, "0.01*range": r * 0.01}
    return {k: named.get(v, v) if isinstance(v, str) else v for k, v in cfg.items()}


@pytest.mark.parametrize("fname", ["rosenbrock", "quadratic"])
@pytest.mark.parametrize(
    "name,config,ref,kw", FIRST_ORDER, ids=[f"{a[0]}{i}" for i, a in enumerate(FIRST_ORDER)]
)
def test_first_order_iterates_match_numpy(
    rt: Runtime, fname: str, name: str, config: str, ref: Callable, kw: dict
) -> None:
    x0 = STARTS[fname]
    dim = len(x0)
    n = 6
    xs, fs = run(rt, name, fname, x0, config.replace("DIM", str(dim)), n)
    want_x, want_f = ref(FUNCS[fname], np.array(x0), n, **_resolve(kw, dim))
    np.testing.assert_allclose(xs, np.array(want_x), **TOL)
    np.testing.assert_allclose(fs, np.array(want_f), **TOL)
    assert not np.allclose(xs[-1], x0)  # the algorithm did move


@pytest.mark.parametrize("fname", ["rosenbrock", "quadratic"])
def test_asgd_iterates_and_average(rt: Runtime, fname: str) -> None:
    x0 = STARTS[fname]
    rt.execute(f"""
      local x = torch.Tensor({{{", ".join(map(repr, x0))}}})
      asgd_cfg = {{eta0 = 0.01, lambda = 0.1, t0 = 2}}
      asgd_xs, asgd_fs, asgd_axs = {{}}, {{}}, {{}}
      for i = 1, 6 do
         local fx, ax
         x, fx, ax = optim.asgd({fname}, x, asgd_cfg)
         asgd_xs[i], asgd_fs[i], asgd_axs[i] = x:totable(), fx[1], ax:totable()
      end
    """)
    g = rt.globals
    want_x, want_f, want_ax = ref_asgd(FUNCS[fname], np.array(x0), 6, eta0=0.01, lam=0.1, t0=2)
    np.testing.assert_allclose(lua_to_py(g.asgd_xs), want_x, **TOL)
    np.testing.assert_allclose(lua_to_py(g.asgd_fs), want_f, **TOL)
    np.testing.assert_allclose(lua_to_py(g.asgd_axs), want_ax, **TOL)
    # defaults are written back into config, as Torch does
    assert g.asgd_cfg.alpha == 0.75 and g.asgd_cfg.t == 6


LONG_RUNS = [
    ("sgd", "{learningRate=1e-3, momentum=0.9}", 400),
    ("nag", "{learningRate=1e-3, momentum=0.9}", 400),
    ("adam", "{learningRate=0.05}", 400),
    ("adamax", "{learningRate=0.05}", 400),
    ("rmsprop", "{learningRate=1e-2}", 400),
    ("adagrad", "{learningRate=0.5}", 400),
    ("adadelta", "{}", 400),
    ("rprop", "{stepsize=0.01}", 200),
    ("asgd", "{eta0=1e-3, t0=100}", 400),
]


@pytest.mark.parametrize("fname", ["rosenbrock", "quadratic"])
@pytest.mark.parametrize("name,config,n", LONG_RUNS, ids=[r[0] for r in LONG_RUNS])
def test_first_order_minimize(rt: Runtime, fname: str, name: str, config: str, n: int) -> None:
    f0, x, f = rt.execute(f"""
      local x = torch.Tensor({{{", ".join(map(repr, STARTS[fname]))}}})
      local f0 = {fname}(x)
      local cfg = {config}
      for i = 1, {n} do x = optim.{name}({fname}, x, cfg) end
      return f0, x:totable(), ({fname}(x))
    """)
    fmin = -0.5 * float(B_Q @ np.linalg.solve(A_Q, B_Q)) if fname == "quadratic" else 0.0
    assert f - fmin < 0.5 * (f0 - fmin)


def test_state_is_mutated_in_place(rt: Runtime) -> None:
    rt.execute("""
      cfg, st = {learningRate = 1e-3, momentum = 0.9}, {}
      local x = torch.Tensor{0, 0}
      for i = 1, 3 do optim.sgd(rosenbrock, x, cfg, st) end
      acfg = {}
      for i = 1, 4 do optim.adam(rosenbrock, x, acfg) end
      mcfg = {}
      for i = 1, 2 do optim.adamax(rosenbrock, x, mcfg) end
    """)
    g = rt.globals
    assert g.st.evalCounter == 3 and g.cfg.evalCounter is None
    assert g.torch.typename(g.st.dfdx) == "torch.DoubleTensor"
    assert g.acfg.t == 4 and g.torch.typename(g.acfg.m) == "torch.DoubleTensor"
    # Torch's max along dim 1 keeps that dimension: u becomes 1 x n, as in Torch
    usize, maxsize = rt.execute("return mcfg.u:size():totable(), mcfg.max:size():totable()")
    assert lua_to_py(usize) == [1, 2] and lua_to_py(maxsize) == [2, 2]


def test_bad_configurations_raise_torch_errors(rt: Runtime) -> None:
    with pytest.raises(LuaError, match="Momentum must be positive for Nesterov"):
        rt.execute("optim.nag(rosenbrock, torch.Tensor{0, 0}, {momentum = 0})")
    with pytest.raises(LuaError, match="Nesterov momentum requires a momentum and zero dampening"):
        rt.execute("optim.sgd(rosenbrock, torch.Tensor{0, 0}, {momentum = 0.9, nesterov = true})")


def test_adagrad_without_state_prints_notice(rt: Runtime) -> None:
    rt.out.clear()
    rt.execute("optim.adagrad(quadratic, torch.Tensor{1, 2, 3})")
    assert "".join(rt.out) == "no state table, ADAGRAD initializing\t\n"  # th's print


# -- conjugate gradients ------------------------------------------------------------------------


def ref_cg(F, x, maxIter=20, maxEval=None, rho=0.01, sig=0.5, intv=0.1, ext=3.0, ratio=100):
    """Torch's cg.lua (minimize.m), including its stop after the first failed line search."""
    if maxEval is None:
        maxEval = maxIter * 1.25
    x = x.copy()
    red, i, fx = 1, 0, []
    f1, df1 = F(x)
    df1 = df1.copy()
    fx.append(f1)
    i += 1
    s = df1 * -1
    d1 = -float(s @ s)
    z1 = red / (1 - d1)

    def bad(z):
        return z != z or z in (math.inf, -math.inf)

    while i < abs(maxEval):
        x0, f0, df0 = x.copy(), f1, df1.copy()
        x = x + z1 * s
        f2, df2 = F(x)
        i += 1
        d2 = float(df2 @ s)
        f3, d3, z3 = f1, d1, -z1
        m = min(maxIter, maxEval - i)
        success, limit = 0, -1
        while True:
            while (f2 > f1 + z1 * rho * d1 or d2 > -sig * d1) and m > 0:
                limit = z1
                if f2 > f1:
                    z2 = z3 - (0.5 * d3 * z3 * z3) / (d3 * z3 + f2 - f3)
                else:
                    A = 6 * (f2 - f3) / z3 + 3 * (d2 + d3)
                    B = 3 * (f3 - f2) - z3 * (d3 + 2 * d2)
                    with np.errstate(all="ignore"):
                        z2 = float((np.sqrt(B * B - A * d2 * z3 * z3) - B) / A)
                if bad(z2):
                    z2 = z3 / 2
                z2 = max(min(z2, intv * z3), (1 - intv) * z3)
                z1 = z1 + z2
                x = x + z2 * s
                f2, df2 = F(x)
                i += 1
                m -= 1
                d2 = float(df2 @ s)
                z3 = z3 - z2
            if f2 > f1 + z1 * rho * d1 or d2 > -sig * d1:
                break
            elif d2 > sig * d1:
                success = 1
                break
            elif m == 0:
                break
            A = 6 * (f2 - f3) / z3 + 3 * (d2 + d3)
            B = 3 * (f3 - f2) - z3 * (d3 + 2 * d2)
            with np.errstate(all="ignore"):
                z2 = float(-d2 * z3 * z3 / (B + np.sqrt(B * B - A * d2 * z3 * z3)))
            if bad(z2) or z2 < 0:
                z2 = z1 * (ext - 1) if limit < -0.5 else (limit - z1) / 2
            elif limit > -0.5 and z2 + z1 > limit:
                z2 = (limit - z1) / 2
            elif limit < -0.5 and z2 + z1 > z1 * ext:
                z2 = z1 * (ext - 1)
            elif z2 < -z3 * intv:
                z2 = -z3 * intv
            elif limit > -0.5 and z2 < (limit - z1) * (1 - intv):
                z2 = (limit - z1) * (1 - intv)
            f3, d3, z3 = f2, d2, -z2
            z1 = z1 + z2
            x = x + z2 * s
            f2, df2 = F(x)
            i += 1
            m -= 1
            d2 = float(df2 @ s)
        if success == 1:
            f1 = f2
            fx.append(f1)
            ss = (float(df2 @ df2) - float(df2 @ df1)) / float(df1 @ df1)
            s = s * ss + (-1) * df2
            df1, df2 = df2.copy(), df1.copy()
            d2 = float(df1 @ s)
            if d2 > 0:
                s = df1 * -1
                d2 = -float(s @ s)
            z1 = z1 * min(ratio, d1 / (d2 - 1e-320))
            d1 = d2
        else:
            x, f1, df1 = x0, f0, df0
            break  # Torch's `if ls_failed` is always true (0 is true in Lua)
    return x, fx, i


@pytest.mark.parametrize("fname,maxIter", [("rosenbrock", 4), ("rosenbrock", 50), ("quadratic", 5)])
def test_cg_matches_numpy(rt: Runtime, fname: str, maxIter: int) -> None:
    x0 = STARTS[fname]
    x, fx, i = rt.execute(f"""
      local x, fx, i = optim.cg({fname}, torch.Tensor({{{", ".join(map(repr, x0))}}}),
                               {{maxIter = {maxIter}}})
      return x:totable(), fx, i
    """)
    wx, wfx, wi = ref_cg(FUNCS[fname], np.array(x0), maxIter=maxIter)
    assert i == wi
    np.testing.assert_allclose(lua_to_py(x), wx, **tolerance(maxIter))
    np.testing.assert_allclose(lua_to_py(fx), wfx, **tolerance(maxIter))
    assert lua_to_py(fx)[-1] <= lua_to_py(fx)[0]


def test_cg_minimizes_rosenbrock_like_minimize_m(rt: Runtime) -> None:
    x, fx = rt.execute("""
      local x, fx = optim.cg(rosenbrock, torch.Tensor{0, 0}, {maxIter = 50})
      return x:totable(), fx
    """)
    np.testing.assert_allclose(lua_to_py(x), [1, 1], atol=1e-5)
    assert lua_to_py(fx)[-1] < 1e-9


# -- polyinterp, lswolfe, lbfgs -----------------------------------------------------------------


def ref_polyinterp(points: np.ndarray, xminBound=None, xmaxBound=None):
    n = points.shape[0]
    order = n * 2 - 1
    if n == 2 and xminBound is None and xmaxBound is None:
        lo = 1 if points[1, 0] < points[0, 0] else 0
        hi = 1 - lo
        (x1, f1, g1), (x2, f2, g2) = points[lo], points[hi]
        d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
        with np.errstate(invalid="ignore"):
            d2 = float(np.sqrt(d1**2 - g1 * g2))
        if d2 == d2:
            t = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
            return min(max(t, x1), x2), None
        return float(points[:, 0].sum() / 2), None
    xs = points[:, 0]
    lo = xs.min() if xminBound is None else xminBound
    hi = xs.max() if xmaxBound is None else xmaxBound
    A = np.zeros((2 * n, order + 1))
    b = np.zeros(2 * n)
    for i in range(n):
        for j in range(order, -1, -1):
            A[i, order - j] = xs[i] ** j
        b[i] = points[i, 1]
        for j in range(1, order + 1):
            A[n + i, j - 1] = (order - j + 1) * xs[i] ** (order - j)
        b[n + i] = points[i, 2]
    params = np.linalg.solve(A, b)
    params[np.abs(params) <= 1e-12] = 0
    dparams = params[:-1] * np.arange(order, 0, -1)
    cands = [lo, hi, *xs]
    dp = dparams.copy()
    dp[np.abs(dp) < 1e-12] = 0
    cands += [r.real for r in np.roots(dp) if r.imag == 0]
    fmin, best = math.inf, (lo + hi) / 2
    for c in cands:
        if lo <= c <= hi:
            v = 0.0
            for k, p in enumerate(params):
                v = v + p * c ** (len(params) - 1 - k)
            if v < fmin:
                best, fmin = c, v
    return best, fmin


POLY_CASES = [
    ("{{0, 1, -2}, {1, 0.5, 1}}", None, None),
    ("{{1, 0.5, 1}, {0, 1, -2}}", None, None),
    ("{{0, 1, -2}, {0.5, 0.2, -0.5}}", 0.505, 5.0),
    ("{{0, 1, -1}, {1, 0.2, 0.3}, {2, 0.8, 1}}", None, None),
    ("{{0, 2, -3}, {1, 0.1, -0.2}}", 1.01, 10.0),
]


@pytest.mark.parametrize("pts,lo,hi", POLY_CASES)
def test_polyinterp_matches_numpy(
    rt: Runtime, pts: str, lo: float | None, hi: float | None
) -> None:
    bounds = "" if lo is None else f", {lo}, {hi}"
    got = rt.execute(f"return optim.polyinterp(torch.Tensor{pts}{bounds})")
    points = np.array(lua_to_py(rt.execute(f"return torch.Tensor{pts}:totable()")[0]))
    want, wfmin = ref_polyinterp(points, lo, hi)
    assert got[0] == pytest.approx(want, rel=1e-12, abs=1e-12)
    if wfmin is not None:
        assert got[1] == pytest.approx(wfmin, rel=1e-10, abs=1e-12)
    if lo is not None:
        assert lo <= got[0] <= hi


def ref_lswolfe(F, x, t, d, f, g, gtd, c1=1e-4, c2=0.9, tolX=1e-9, maxIter=20):
    x_init = x.copy()
    x = x_init + t * d
    f_new, g_new = F(x)
    ev = 1
    gtd_new = float(g_new @ d)
    it, t_prev, done = 0, 0.0, False
    f_prev, g_prev, gtd_prev = f, g.copy(), gtd
    br = bf = bg = None
    while it < maxIter:
        if f_new > f + c1 * t * gtd or (it > 1 and f_new >= f_prev):
            br, bf, bg = [t_prev, t], [f_prev, f_new], [g_prev, g_new.copy()]
            break
        elif abs(gtd_new) <= -c2 * gtd:
            br, bf, bg, done = [t], [f_new], [g_new.copy()], True
            break
        elif gtd_new >= 0:
            br, bf, bg = [t_prev, t], [f_prev, f_new], [g_prev, g_new.copy()]
            break
        tmp, t_prev = t_prev, t
        t = ref_polyinterp(
            np.array([[tmp, f_prev, gtd_prev], [t, f_new, gtd_new]]), t + 0.01 * (t - tmp), t * 10
        )[0]
        f_prev, g_prev, gtd_prev = f_new, g_new.copy(), gtd_new
        x = x_init + t * d
        f_new, g_new = F(x)
        ev += 1
        gtd_new = float(g_new @ d)
        it += 1
    if it == maxIter:
        br, bf, bg = [0, t], [f, f_new], [g, g_new.copy()]
    insuf = False
    while not done and it < maxIter:
        lo = 1 if bf[1] < bf[0] else 0
        hi = 1 - lo
        f_lo = bf[lo]
        t = ref_polyinterp(
            np.array([[br[0], bf[0], float(bg[0] @ d)], [br[1], bf[1], float(bg[1] @ d)]])
        )[0]
        bmax, bmin = max(br), min(br)
        if min(bmax - t, t - bmin) / (bmax - bmin) < 0.1:
            if insuf or t >= bmax or t <= bmin:
                t = (
                    bmax - 0.1 * (bmax - bmin)
                    if abs(t - bmax) < abs(t - bmin)
                    else bmin + 0.1 * (bmax - bmin)
                )
                insuf = False
            else:
                insuf = True
        else:
            insuf = False
        x = x_init + t * d
        f_new, g_new = F(x)
        ev += 1
        gtd_new = float(g_new @ d)
        it += 1
        if f_new > f + c1 * t * gtd or f_new >= f_lo:
            br[hi], bf[hi], bg[hi] = t, f_new, g_new.copy()
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (br[hi] - br[lo]) >= 0:
                br[hi], bf[hi], bg[hi] = br[lo], bf[lo], bg[lo]
            br[lo], bf[lo], bg[lo] = t, f_new, g_new.copy()
        if not done and abs((br[0] - br[1]) * gtd_new) < tolX:
            break
    lo = 1 if len(bf) == 2 and bf[1] < bf[0] else 0
    t = br[lo]
    return bf[lo], bg[lo], x_init + t * d, t, ev


def ref_lbfgs(
    F,
    x,
    maxIter=20,
    maxEval=None,
    tolFun=1e-5,
    tolX=1e-9,
    nCorrection=100,
    learningRate=1.0,
    lineSearch=False,
):
    if maxEval is None:
        maxEval = maxIter * 1.25
    x = x.copy()
    f, g = F(x)
    f_hist, nev = [f], 1
    if np.abs(g).sum() <= tolFun:
        return x, f_hist, None
    dirs: list[np.ndarray] = []
    stps: list[np.ndarray] = []
    d = t = g_old = None
    hdiag = 1.0
    for it in range(1, maxIter + 1):
        if it == 1:
            d = g * -1
        else:
            y = g + (-1) * g_old
            s = d * t
            ys = float(y @ s)
            if ys > 1e-10:
                if len(dirs) == nCorrection:
                    dirs.pop(0)
                    stps.pop(0)
                dirs.append(s)
                stps.append(y)
                hdiag = ys / float(y @ y)
            k = len(dirs)
            ro = [1 / float(stps[i] @ dirs[i]) for i in range(k)]
            al = [0.0] * k
            q = g * -1
            for i in range(k - 1, -1, -1):
                al[i] = float(dirs[i] @ q) * ro[i]
                q = q + (-al[i]) * stps[i]
            d = q * hdiag
            for i in range(k):
                be = float(stps[i] @ d) * ro[i]
                d = d + (al[i] - be) * dirs[i]
        g_old, f_old = g.copy(), f
        gtd = float(g @ d)
        if gtd > -tolX:
            break
        t = min(1, 1 / np.abs(g).sum()) * learningRate if it == 1 else learningRate
        if lineSearch:
            f, g, x, t, ev = ref_lswolfe(F, x, t, d, f, g, gtd)
            f_hist.append(f)
        else:
            x = x + t * d
            ev = 0
            if it != maxIter:
                f, g = F(x)
                ev = 1
                f_hist.append(f)
        nev += ev
        if it == maxIter or nev >= maxEval:
            break
        if np.abs(g).sum() <= tolFun or np.abs(d * t).sum() <= tolX or abs(f - f_old) < tolX:
            break
    return x, f_hist, nev


LBFGS_CASES = [
    ("rosenbrock", "{maxIter=8, learningRate=0.05}", {"maxIter": 8, "learningRate": 0.05}),
    (
        "rosenbrock",
        "{maxIter=6, nCorrection=2, learningRate=0.1}",
        {"maxIter": 6, "nCorrection": 2, "learningRate": 0.1},
    ),
    ("quadratic", "{maxIter=10}", {"maxIter": 10}),
    ("rosenbrock", "{maxIter=12, lineSearch=optim.lswolfe}", {"maxIter": 12, "lineSearch": True}),
    ("rosenbrock", "{maxIter=100, lineSearch=optim.lswolfe}", {"maxIter": 100, "lineSearch": True}),
    ("quadratic", "{maxIter=10, lineSearch=optim.lswolfe}", {"maxIter": 10, "lineSearch": True}),
]


@pytest.mark.parametrize("fname,config,kw", LBFGS_CASES)
def test_lbfgs_matches_numpy(rt: Runtime, fname: str, config: str, kw: dict) -> None:
    x0 = STARTS[fname]
    x, fh, nev = rt.execute(f"""
      local x, fh, n = optim.lbfgs({fname}, torch.Tensor({{{", ".join(map(repr, x0))}}}),
                                  {config})
      return x:totable(), fh, n
    """)
    wx, wfh, wnev = ref_lbfgs(FUNCS[fname], np.array(x0), **kw)
    assert nev == wnev
    np.testing.assert_allclose(lua_to_py(x), wx, **tolerance(kw["maxIter"]))
    np.testing.assert_allclose(lua_to_py(fh), wfh, **tolerance(kw["maxIter"]))


def test_lbfgs_with_line_search_minimizes(rt: Runtime) -> None:
    x, fh, state_iter = rt.execute("""
      local st = {maxIter = 100, lineSearch = optim.lswolfe}
      local x, fh = optim.lbfgs(rosenbrock, torch.Tensor{0, 0}, st)
      return x:totable(), fh, st.nIter
    """)
    np.testing.assert_allclose(lua_to_py(x), [1, 1], atol=1e-6)
    assert lua_to_py(fh)[-1] < 1e-10 and state_iter < 100


def test_lswolfe_returns_a_wolfe_point(rt: Runtime) -> None:
    f_new, gtd_new, t, ev, f, gtd, xt = rt.execute("""
      local x = torch.Tensor{-0.5, 0.8}
      local f, g = rosenbrock(x)
      local d = g:clone():mul(-1)
      local gtd = g:dot(d)
      local f_new, g_new, x2, t, ev = optim.lswolfe(rosenbrock, x, 1e-2, d, f, g, gtd)
      return f_new, g_new:dot(d), t, ev, f, gtd, x2:totable()
    """)
    assert f_new <= f + 1e-4 * t * gtd and abs(gtd_new) <= -0.9 * gtd
    _, g = rosenbrock(np.array([-0.5, 0.8]))
    np.testing.assert_allclose(lua_to_py(xt), np.array([-0.5, 0.8]) - t * g, **TOL)
    want = ref_lswolfe(
        rosenbrock,
        np.array([-0.5, 0.8]),
        1e-2,
        -g,
        *rosenbrock(np.array([-0.5, 0.8])),
        float(g @ -g),
    )
    assert (f_new, t, ev) == (
        pytest.approx(want[0], rel=1e-12),
        pytest.approx(want[3], rel=1e-12),
        want[4],
    )


# -- checkgrad, fista ---------------------------------------------------------------------------


def test_checkgrad(rt: Runtime) -> None:
    diff, dc, dc_est = rt.execute("""
      local d, dC, dC_est = optim.checkgrad(rosenbrock, torch.Tensor{-0.5, 0.8})
      return d, dC:totable(), dC_est:totable()
    """)
    x = np.array([-0.5, 0.8])
    eps = 1e-7
    est = np.zeros(2)
    for i in range(2):
        x[i] = x[i] + eps
        c1 = rosenbrock(x)[0]
        x[i] = x[i] - 2 * eps
        c2 = rosenbrock(x)[0]
        x[i] = x[i] + eps
        est[i] = (c1 - c2) / (2 * eps)
    g = rosenbrock(np.array([-0.5, 0.8]))[1]
    np.testing.assert_allclose(lua_to_py(dc_est), est, **TOL)
    np.testing.assert_allclose(lua_to_py(dc), g, **TOL)
    assert diff == pytest.approx(np.linalg.norm(g - est) / np.linalg.norm(g + est), rel=1e-12)
    assert diff < 1e-6


FISTA_LUA = r"""
  torch.manualSeed(5)
  fD = torch.randn(6, 4)
  fy = torch.randn(6)
  flam = 0.3
  function fsmooth(x, mode)
     local r = torch.mv(fD, x) - fy
     local v = 0.5 * r:dot(r)
     if mode == 'dx' then return v, torch.mv(fD:t(), r) end
     return v
  end
  function fnonsmooth(x) return flam * torch.abs(x):sum() end
  function fprox(x, L)
     x:copy(torch.cmul(torch.sign(x), torch.abs(x):add(-flam / L):cmax(0)))
  end
"""


@pytest.mark.parametrize("fista", [True, False])
def test_fista_matches_numpy(rt: Runtime, fista: bool) -> None:
    rt.execute(FISTA_LUA)
    flag = "true" if fista else "false"
    sol, hist, L, xinit = rt.execute(f"""
      local params = {{doFistaUpdate = {flag}, maxiter = 30, L = 0.1, errthres = 1e-9}}
      local xinit = torch.zeros(4)
      local sol, h = optim.FistaLS(fsmooth, fnonsmooth, fprox, xinit, params)
      local hist = {{}}
      for i, e in ipairs(h) do hist[i] = {{e.F, e.L, e.nline, e.Q}} end
      return sol:totable(), hist, params.L, xinit:totable()
    """)
    P = rt.globals.torch._P
    D = P[rt.globals.fD].arr.copy()
    y = P[rt.globals.fy].arr.copy()
    lam = 0.3

    def f(x):
        r = D @ x - y
        return 0.5 * float(r @ r), D.T @ r

    def gfun(x):
        return lam * float(np.abs(x).sum())

    L, Lstep, maxline = 0.1, 1.5, 20
    xk = np.zeros(4)
    xkm, yv = np.zeros(4), np.zeros(4)
    tk, tkp, hist_ref = 1.0, 0.0, []
    for niter in range(1, 31):
        fy, gfy = f(yv)
        nline = 0
        while True:
            ply = yv + (-1 / L) * gfy
            ply = np.sign(ply) * np.maximum(np.abs(ply) + (-lam / L), 0)
            xk = ply.copy()
            fply = f(ply)[0]
            ply = ply + (-1) * yv
            Q = fy + float(gfy @ ply) + L / 2 * float(ply @ ply)
            if fply <= Q:
                break
            if nline >= maxline:
                xk = xkm.copy()
                break
            L = L * Lstep
            nline += 1
        nline += 1
        if fista:
            tkp = (1 + math.sqrt(1 + 4 * tk * tk)) / 2
            xkm = xkm + (-1) * xk
            yv = xk + ((1 - tk) / tkp) * xkm
            xkm = xk.copy()
        else:
            yv = xk.copy()
        tk = tkp
        F = f(yv)[0] + gfun(yv)
        hist_ref.append([F, L, nline, Q])
        if niter > 1 and abs(hist_ref[-1][0] - hist_ref[-2][0]) <= 1e-9:
            break
    np.testing.assert_allclose(lua_to_py(hist), hist_ref, **TOL)
    np.testing.assert_allclose(lua_to_py(sol), yv, **TOL)
    np.testing.assert_allclose(lua_to_py(xinit), yv, **TOL)
    assert L == hist_ref[-1][1]
    assert hist_ref[-1][0] < hist_ref[0][0]


# -- derivative-free: cmaes, de -----------------------------------------------------------------


def test_cmaes_matches_numpy(rt: Runtime) -> None:
    seed, sigma, maxEval = 7, 0.5, 60
    x, fh, nev = rt.execute(f"""
      torch.manualSeed({seed})
      local x, fh, n = optim.cmaes(rosenbrock, torch.Tensor{{-0.5, 0.8}},
                                   {{sigma = {sigma}, maxEval = {maxEval}, verb_disp = 0}})
      return x:totable(), fh, n
    """)

    def symeig(C: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # the eigendecomposition is torch.symeig's (its eigenvector signs included)
        rows = ", ".join("{" + ", ".join(repr(float(v)) for v in row) + "}" for row in C)
        w, v = rt.execute(
            f"local w, v = torch.symeig(torch.Tensor{{{rows}}}, 'V') "
            "return w:totable(), v:totable()"
        )
        return np.array(lua_to_py(w)), np.array(lua_to_py(v))

    gen = Generator(seed)
    N = 2
    xmean = np.array([-0.5, 0.8])
    lam = 4 + math.floor(3 * math.log(N))
    mu = lam / 2
    nmu = math.floor(mu)
    w = np.array([math.log(mu + 0.5) - math.log(i + 1) for i in range(nmu)])
    w = w / w.sum()
    mueff = w.sum() ** 2 / (w**2).sum()
    cc = (4 + mueff / N) / (N + 4 + 2 * mueff / N)
    cs = (mueff + 2) / (N + mueff + 5)
    c1 = 2 / ((N + 1.3) ** 2 + mueff)
    cmu = min(1 - c1, 2 * (mueff - 2 + 1 / mueff) / ((N + 2) ** 2 + mueff))
    damps = 2 * mueff / lam + 0.3 + cs
    pc, ps, B, D, C = np.zeros(N), np.zeros(N), np.eye(N), np.ones(N), np.eye(N)
    invsqrtC = np.eye(N)
    eigeneval = counteval = 0
    f_hist = [rosenbrock(xmean)[0]]
    best_f, best_x = None, None
    fit = None
    while True:
        if counteval > 0:
            stop = (
                counteval >= maxEval
                or D.max() > 1e7 * D.min()
                or fit[-1] - fit[0] < 1e-12
                or sigma * D.max() < 1e-11
            )
            if stop:
                break
        if counteval - eigeneval > lam / (c1 + cmu) / N / 10:
            eigeneval = counteval
            C = np.triu(C) + np.triu(C, 1).T
            D, B = symeig(C)
            D = np.sqrt(D)
            invsqrtC = B @ np.diag(D**-1) @ B.T
        X = np.array(
            [
                xmean + (B @ (np.array([gen.normal(0, 1) for _ in range(N)]) * D)) * sigma
                for _ in range(lam)
            ]
        )
        fitv = np.array([rosenbrock(c)[0] for c in X])
        counteval += lam
        xold = xmean.copy()
        order = np.argsort(fitv, kind="stable")
        fit = fitv[order]
        arx = X[order[:nmu]]
        f_hist.append(fit[0])
        if best_f is None or fit[0] < best_f:
            best_f, best_x = fit[0], arx[0].copy()
        xmean = arx.T @ w
        y = xmean - xold
        z = invsqrtC @ y
        c = (cs * (2 - cs) * mueff) ** 0.5 / sigma
        ps = ps - ps * cs + z * c
        hsig = (
            1.0
            if (ps**2).sum() / (1 - (1 - cs) ** (2 * counteval / lam)) / N < 2 + 4 / (N + 1)
            else 0.0
        )
        c = (cc * (2 - cc) * mueff) ** 0.5 / sigma
        pc = pc - pc * cc + y * c * hsig
        c1a = c1 - (1 - hsig**2) * c1 * cc * (2 - cc)
        Cmu = sum(np.outer(w[k] * (arx[k] - xold), arx[k] - xold) for k in range(nmu))
        C = C + ((-c1a - cmu) * C + np.outer(c1 * pc, pc) + cmu * (Cmu / sigma**2))
        sigma = sigma * math.exp(min(0.6, (cs / damps) * ((ps**2).sum() / N - 1) / 2))
    f_hist.append(best_f)
    assert nev == counteval
    np.testing.assert_allclose(lua_to_py(fh), f_hist, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(lua_to_py(x), best_x, rtol=1e-10, atol=1e-12)


def test_cmaes_minimizes_rosenbrock_and_quadratic(rt: Runtime) -> None:
    fr, fq = rt.execute("""
      torch.manualSeed(1)
      -- verb_disp is needed, as in Torch7 (without it the display fails at the 2nd iteration)
      local function cfg() return {sigma = 0.5, maxEval = 1500, verb_disp = 0} end
      local _, fr = optim.cmaes(rosenbrock, torch.Tensor{0, 0}, cfg())
      local _, fq = optim.cmaes(quadratic, torch.Tensor{1, 1, -1}, cfg())
      return fr[#fr], fq[#fq]
    """)
    fmin = -0.5 * float(B_Q @ np.linalg.solve(A_Q, B_Q))
    assert fr < 1e-8 and fq - fmin < 1e-8


def ref_de(F, D, popsize, F_scale, CR, maxFEs, lo=-30.0, hi=30.0):
    gen = Generator(1)
    pop = np.array([[gen.uniform(lo, hi) for _ in range(D)] for _ in range(popsize)])
    fx = np.zeros(maxFEs)
    fit = np.array([F(p)[0] for p in pop])
    fx[:popsize] = fit
    fes = popsize + 1
    idx = int(np.argmax(fit))  # Torch's de starts from the largest fitness
    best_f, best = fit[idx], pop[idx].copy()
    children = np.zeros_like(pop)
    cfit = np.zeros(popsize)
    while fes < maxFEs:
        for i in range(1, popsize + 1):
            r1 = gen.random_range(1, popsize)
            while r1 == i:
                r1 = gen.random_range(1, popsize)
            r2 = gen.random_range(1, popsize)
            while r2 == r1 or r2 == i:
                r2 = gen.random_range(1, popsize)
            jrand = gen.random_range(1, D)
            for j in range(1, D + 1):
                if gen.uniform(0, 1) < CR or i == jrand:
                    children[i - 1, j - 1] = best[j - 1] + F_scale * (
                        pop[r1 - 1, j - 1] - pop[r2 - 1, j - 1]
                    )
                else:
                    children[i - 1, j - 1] = pop[i - 1, j - 1]
            cfit[i - 1] = F(children[i - 1])[0]
            fx[fes - 1] = cfit[i - 1]
            fes += 1
        for i in range(popsize):
            if cfit[i] <= fit[i]:
                pop[i] = children[i]
                fit[i] = cfit[i]
                if fit[i] < best_f:
                    best_f, best = fit[i], children[i].copy()
    return best, fx


@pytest.mark.parametrize("fname", ["rosenbrock", "quadratic"])
def test_de_matches_numpy_and_leaves_global_rng_alone(rt: Runtime, fname: str) -> None:
    dim = len(STARTS[fname])
    x, fx, r_after, r_fresh = rt.execute(f"""
      torch.manualSeed(99)
      local x, fx = optim.de({fname}, torch.zeros({dim}),
         {{popsize = 10, scaleFactor = 0.5, crossoverRate = 0.9, maxFEs = 300}})
      local r_after = torch.uniform()
      torch.manualSeed(99)
      return x:totable(), fx:totable(), r_after, torch.uniform()
    """)
    wx, wfx = ref_de(FUNCS[fname], dim, 10, 0.5, 0.9, 300)
    np.testing.assert_allclose(lua_to_py(fx), wfx, **TOL)
    np.testing.assert_allclose(lua_to_py(x), wx, **TOL)
    assert r_after == r_fresh
    assert min(lua_to_py(fx)) < lua_to_py(fx)[0]


# -- ConfusionMatrix ----------------------------------------------------------------------------


def test_confusion_matrix_printing_with_class_names(rt: Runtime) -> None:
    s, total, avg, union = rt.execute("""
      local cm = optim.ConfusionMatrix({'cat', 'dog', 'person'})
      cm:add(1, 1); cm:add(2, 1); cm:add(2, 2); cm:add(3, 3); cm:add(1, 3); cm:add(3, 3)
      cm:add(torch.Tensor{0.1, 0.7, 0.2}, 2)                  -- scores and a class
      cm:add(torch.Tensor{0.1, 0.7, 0.2}, torch.Tensor{0, 0, 1})  -- scores and one-hot
      cm:add(torch.Tensor{0.1, 0.7, 0.2}, 0)                  -- missing target: ignored
      return tostring(cm), cm.totalValid, cm.averageValid, cm.averageUnionValid
    """)
    # unionvalids are FloatTensor values: 1/3 in single precision
    third = float(np.float32(1 / 3))
    u = (third + 0.5 + 0.5) / 3
    assert s == (
        "ConfusionMatrix:\n"
        "[[       1       1       0]   50.000% \t[class: cat]\n"
        " [       0       2       0]   100.000% \t[class: dog]\n"
        " [       1       1       2]]  50.000% \t[class: person]\n"
        " + average row correct: 66.666666666667% \n"
        f" + average rowUcol correct (VOC measure): {u * 100:.14g}% \n"
        " + global correct: 62.5%"
    )
    assert total == 0.625 and avg == pytest.approx(2 / 3, rel=1e-15) and union == u


def test_confusion_matrix_batch_add_and_wide_counts(rt: Runtime) -> None:
    s, valids, unionvalids = rt.execute("""
      local cm = optim.ConfusionMatrix(4)
      cm:batchAdd(torch.Tensor{{1, 2, 3, 4}, {4, 3, 2, 1}, {0, 9, 0, 0}}, torch.Tensor{4, 1, 3})
      cm:batchAdd(torch.Tensor{1, 2, 3}, torch.Tensor{1, 0, 3})
      cm:batchAdd(torch.Tensor{{2}, {2}}, torch.Tensor{{0, 1, 0, 0}, {0, 0, 0, 1}})
      for i = 1, 1234 do cm:add(1, 1) end
      cm:updateValids()
      return tostring(cm), cm.valids:totable(), cm.unionvalids:totable()
    """)
    mat = np.array([[1236, 0, 0, 0], [0, 1, 0, 0], [0, 1, 1, 0], [0, 1, 0, 1]])
    rows = mat.sum(1)
    cols = mat.sum(0)
    diag = np.diag(mat)
    want_valid = (diag / rows).astype(np.float32)
    want_union = (diag / (rows + cols - diag)).astype(np.float32)
    np.testing.assert_array_equal(np.array(lua_to_py(valids), dtype=np.float32), want_valid)
    np.testing.assert_array_equal(np.array(lua_to_py(unionvalids), dtype=np.float32), want_union)
    lines = s.split("\n")
    assert lines[1] == "[[    1236       0       0       0]   100.000% "
    assert lines[3] == " [       0       1       1       0]   50.000% "
    assert lines[4] == " [       0       1       0       1]]  50.000% "
    avg = float(np.float64(want_valid.astype(np.float64).sum()) / 4)
    assert lines[5] == f" + average row correct: {avg * 100:.14g}% "
    assert lines[7] == f" + global correct: {diag.sum() / mat.sum() * 100:.14g}%"


def test_confusion_matrix_digits_grow_and_empty_rows_are_nan(rt: Runtime) -> None:
    (s,) = rt.execute("""
      local cm = optim.ConfusionMatrix(2, {'a', 'b'})
      cm.mat[1][1] = 123456789
      return tostring(cm)
    """)
    assert s.split("\n")[1] == "[[ 123456789         0]   100.000% \t[class: a]"
    assert s.split("\n")[2] == " [         0         0]]  nan% \t[class: b]"


def test_confusion_matrix_zero_and_far_frr(rt: Runtime) -> None:
    frr, far, total = rt.execute("""
      local cm = optim.ConfusionMatrix(3)
      cm:add(1, 1); cm:add(2, 2); cm:add(3, 2)
      cm:zero()
      local total = cm.mat:sum()
      cm.mat = torch.eye(3)
      local cf, ca = cm:farFrr()
      return cf:sum(), ca:sum(), total
    """)
    assert (frr, far, total) == (0, 0, 0)


def test_confusion_matrix_bad_input(rt: Runtime) -> None:
    with pytest.raises(LuaError, match="predictions has invalid number of dimensions"):
        rt.execute("optim.ConfusionMatrix(3):batchAdd(torch.zeros(2, 2, 2), torch.zeros(2))")
    with pytest.raises(LuaError, match="assertion failed"):
        rt.execute("optim.ConfusionMatrix(3):add(1, 'a')")


# -- Logger -------------------------------------------------------------------------------------


def test_logger_text_file_is_torchs(rt: Runtime, tmp_path) -> None:
    path = tmp_path / "sub" / "dir" / "acc.log"
    rt.execute(f"""
      local logger = optim.Logger('{path}')
      logger:setNames{{'Training acc.', 'Test acc.'}}
      for i = 1, 3 do logger:add{{i * 12.5, 100 / i}} end
      logger:add{{-1e-7, 'n/a'}}
      local l2 = optim.Logger('{tmp_path / "single.log"}')
      l2:add{{['loss'] = 0.5}}
      l2:add{{['loss'] = 123456}}
    """)
    assert path.read_bytes() == (
        b"Training acc.\tTest acc.\t\n"
        b" 1.2500e+01\t 1.0000e+02\t\n"
        b" 2.5000e+01\t 5.0000e+01\t\n"
        b" 3.7500e+01\t 3.3333e+01\t\n"
        b"-1.0000e-07\tn/a\t\n"
    )
    assert (tmp_path / "single.log").read_bytes() == b"loss\t\n 5.0000e-01\t\n 1.2346e+05\t\n"


def test_logger_keyed_columns_follow_the_header(rt: Runtime, tmp_path) -> None:
    path = tmp_path / "keyed.log"
    rt.execute(f"""
      local logger = optim.Logger('{path}')
      for i = 1, 4 do logger:add{{['train'] = i, ['test'] = -i, ['lr'] = 0.5 ^ i}} end
    """)
    lines = path.read_text().split("\n")
    header = lines[0].split("\t")[:-1]
    assert sorted(header) == ["lr", "test", "train"]
    for i, line in enumerate(lines[1:5], start=1):
        vals = dict(zip(header, map(float, line.split("\t")[:-1]), strict=True))
        assert vals == {"train": i, "test": -i, "lr": 0.5**i}


def test_logger_without_file_logs_to_stdout(rt: Runtime) -> None:
    rt.out.clear()
    rt.execute("local l = optim.Logger(); l:setNames{'a', 'b'}; l:add{1, 2.5}")
    assert "".join(rt.out) == (
        "<Logger> warning: no path provided, logging to std out\t\n"
        "a\tb\t\n 1.0000e+00\t 2.5000e+00\t\n"
    )


def test_logger_rejects_other_values(rt: Runtime, tmp_path) -> None:
    with pytest.raises(LuaError, match="<Logger> can only log numbers and strings"):
        rt.execute(f"local l = optim.Logger('{tmp_path / 'x.log'}'); l:add{{{{}}}}")
    with pytest.raises(LuaError, match="<Logger> style should be a string or a table"):
        rt.execute(f"local l = optim.Logger('{tmp_path / 'y.log'}'); l:style{{1}}")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_logger_plot_writes_png(rt: Runtime, tmp_path) -> None:
    pytest.importorskip("matplotlib")
    path = tmp_path / "acc.log"
    rt.execute(f"""
      logger = optim.Logger('{path}')
      logger:setNames{{'train', 'test'}}
      for i = 1, 10 do logger:add{{i, 10 / i}} end
      logger:style{{'+-', '~'}}
      logger:setlogscale(true)
      logger:display(false)
      logger:plot()
      k = optim.Logger('{tmp_path / "k.log"}')
      for i = 1, 5 do k:add{{['a'] = i, ['b'] = i * i}} end
      k:style{{['a'] = '|', ['b'] = {{'.', '-'}}}}
      k:plot('b')
      one = optim.Logger('{tmp_path / "one.log"}')
      one:add{{1}}
      one:plot()
    """)
    # Torch's Logger wrote <log>.eps and showed a window; luatorch's window is <log>.png
    assert png_size((tmp_path / "k.log.png").read_bytes()) == (640, 480)
    assert (tmp_path / "k.log.eps").read_bytes().startswith(b"%!PS-Adobe")
    # display(false): no window, the .eps file still
    assert not (tmp_path / "acc.log.png").exists()
    assert (tmp_path / "acc.log.eps").read_bytes().startswith(b"%!PS-Adobe")
    assert not (tmp_path / "one.log.png").exists()  # one value per curve: nothing to plot
    assert not (tmp_path / "one.log.eps").exists()
    assert rt.globals.logger.showPlot is False and rt.globals.logger.logscale is True


def test_logger_plot_without_matplotlib_warns_once(tmp_path, monkeypatch) -> None:
    import luatorch.packages.optim_backend as plotting

    monkeypatch.setattr(plotting, "_can_plot", lambda: False)
    out: list[str] = []
    r = Runtime(write=out.append)
    r.execute(f"""
      require 'optim'
      local l = optim.Logger('{tmp_path / "a.log"}')
      l:add{{1}}; l:add{{2}}
      l:plot(); l:plot()
    """)
    assert "".join(out).count("<Logger> warning: cannot plot with this version of Torch") == 1
    assert not (tmp_path / "a.log.png").exists()


# -- a training loop ----------------------------------------------------------------------------


def test_nn_training_with_sgd_and_get_parameters(rt: Runtime) -> None:
    losses = rt.execute("""
      require 'nn'
      torch.manualSeed(0)
      local model = nn.Sequential():add(nn.Linear(3, 8)):add(nn.Tanh()):add(nn.Linear(8, 1))
      local crit = nn.MSECriterion()
      local X = torch.randn(32, 3)
      local Y = torch.mv(X, torch.Tensor{1, -2, 0.5}):view(32, 1)
      local params, grads = model:getParameters()
      local function feval(p)
         if p ~= params then params:copy(p) end
         grads:zero()
         local out = model:forward(X)
         local loss = crit:forward(out, Y)
         model:backward(X, crit:backward(out, Y))
         return loss, grads
      end
      local cfg, losses = {learningRate = 0.05, momentum = 0.9}, {}
      for i = 1, 60 do
         local _, fs = optim.sgd(feval, params, cfg)
         losses[i] = fs[1]
      end
      return losses, cfg.evalCounter
    """)
    ls, count = lua_to_py(losses[0]), losses[1]
    assert count == 60
    assert ls[-1] < 0.2 * ls[0]
    assert all(np.isfinite(ls))

"""Finite-difference gradient checks for nn modules run through the Lua runtime.

Shared by the nn test files. Usage::

    from nn_gradcheck import check_module
    check_module(rt, "nn.Linear(3, 4)", (5, 3))                   # batch input, Double
    check_module(rt, "nn.Linear(3, 4)", (3,), dtype="float")      # Float vs Double
    check_module(rt, "nn.CAddTable()", input_lua="{torch.randn(3), torch.randn(3)}")
    check_module(rt, "nn.LookupTable(10, 3)", input_lua="torch.LongTensor{1, 4, 2}")

The objective is ``sum(output * gradOutput)`` for a fixed random ``gradOutput`` (nested like the
output), so its derivative with respect to the input is exactly ``updateGradInput(input,
gradOutput)`` and with respect to the parameters ``accGradParameters(input, gradOutput, 1)``.
Inputs and parameters are perturbed in place through their numpy views (the Python ``Tensor``
behind each Lua proxy), so no Lua tensor code is involved in the differencing itself.

For ``dtype="float"`` the check runs in double first, then the module and input are converted to
float (``:float()``) and forward/backward results must agree with the double ones: finite
differences in single precision are too noisy to be a useful test by themselves.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_LUA = r"""
local G = {}
-- every tensor of a nested table, depth first in ipairs order, as Python Tensor objects
local function flat(x, out)
   out = out or {}
   if torch.isTensor(x) then
      out[#out + 1] = torch._P[x]
   elseif type(x) == 'table' then
      for _, v in ipairs(x) do flat(v, out) end
   end
   return out
end
G.flat = flat
-- a zeroed nested copy of x (a tensor or a table of tensors), in x's tensor types
local function like(x)
   if torch.isTensor(x) then return x.new():resizeAs(x):zero() end
   local t = {}
   for i, v in ipairs(x) do t[i] = like(v) end
   return t
end
G.like = like
local function convert(x, typename)
   if torch.isTensor(x) then
      if x:type() == 'torch.DoubleTensor' or x:type() == 'torch.FloatTensor' then
         return x:type(typename)
      end
      return x:clone()
   end
   local t = {}
   for i, v in ipairs(x) do t[i] = convert(v, typename) end
   return t
end
G.convert = convert
function G.build(ctor, input)
   local m = ctor()
   local x = input()
   return m, x, m:forward(x)
end
function G.forward(m, x) return flat(m:forward(x)) end
function G.backward(m, x, go)
   m:zeroGradParameters()
   m:forward(x)
   local gi = m:backward(x, go)
   local _, gp = m:parameters()
   return flat(gi), flat(gp or {})
end
function G.updateGradInput(m, x, go)
   m:forward(x)
   return flat(m:updateGradInput(x, go))
end
function G.accScaled(m, x, go, scale)
   m:zeroGradParameters()
   m:forward(x)
   m:updateGradInput(x, go)
   m:accGradParameters(x, go, scale)
   local _, gp = m:parameters()
   return flat(gp or {})
end
function G.params(m)
   local p = m:parameters()
   return flat(p or {})
end
function G.toFloat(m, x, go)
   local mf = m:clone():float()
   -- as in Torch, :float() turns ByteTensor buffers into FloatTensors (CMaxTable's
   -- maskByteTensor) and the module then refuses them: keep the masks as masks
   for k, v in pairs(m) do
      if torch.type(v) == 'torch.ByteTensor' then mf[k] = v:clone() end
   end
   return mf, convert(x, 'torch.FloatTensor'), convert(go, 'torch.FloatTensor')
end
return G
"""


def _helpers(rt: Any) -> Any:
    g = rt.globals
    h = g["__nn_gradcheck"]
    if h is None:
        rt.execute("require 'nn'")
        h = rt.execute(_LUA, "=nn_gradcheck")[0]
        g["__nn_gradcheck"] = h
    return h


def _pylist(t: Any) -> list[Any]:
    return [t[i] for i in range(1, len(t) + 1)]


def _is_float(t: Any) -> bool:
    return t.arr.dtype in (np.float64, np.float32)


def _objective(rt: Any, h: Any, m: Any, x: Any, gos: list[np.ndarray]) -> float:
    outs = _pylist(rt.call(h.forward, m, x)[0])
    return float(sum(np.sum(o.arr.astype(np.float64) * g) for o, g in zip(outs, gos, strict=True)))


def _numeric(
    rt: Any, h: Any, m: Any, x: Any, t: Any, gos: list[np.ndarray], eps: float
) -> np.ndarray:
    """d objective / d t by central differences, perturbing t's elements in place."""
    a = t.arr
    grad = np.zeros(a.shape)
    for idx in np.ndindex(*a.shape):
        orig = float(a[idx])
        a[idx] = orig + eps
        fp = _objective(rt, h, m, x, gos)
        a[idx] = orig - eps
        fm = _objective(rt, h, m, x, gos)
        a[idx] = orig
        grad[idx] = (fp - fm) / (2 * eps)
    return grad


def check_module(
    rt: Any,
    ctor_lua: str,
    input_shape: tuple[int, ...] | None = None,
    dtype: str = "double",
    *,
    input_lua: str | None = None,
    eps: float = 1e-6,
    tol: float = 1e-6,
    check_input: bool = True,
    check_params: bool = True,
    check_scale: bool = True,
    seed: int = 0,
) -> dict[str, float]:
    """Check a module's gradients by finite differences; raise AssertionError on a mismatch.

    ``ctor_lua`` is a Lua expression building the module (e.g. ``"nn.Linear(3, 4)"``);
    the input is ``torch.randn(*input_shape)`` or the Lua expression ``input_lua`` (a tensor or
    nested table of tensors; only Double/Float tensors are differentiated). Returns the largest
    errors found, keyed ``'input'``, ``'param<i>'``, ``'scale'`` and for floats ``'float'``.
    Errors are relative to ``max(1, |analytic|)``. ``check_scale=False`` skips the check that
    ``accGradParameters`` honours its scale (for modules whose backward does all the work, as
    rnn's SeqLSTM).
    """
    h = _helpers(rt)
    if input_lua is None:
        assert input_shape is not None, "give input_shape or input_lua"
        input_lua = "torch.randn(" + ", ".join(str(s) for s in input_shape) + ")"
    ctor = rt.compile("return " + ctor_lua, "=ctor")
    inp = rt.compile("return " + input_lua, "=input")
    m, x, out = rt.call(h.build, ctor, inp)
    rng = np.random.default_rng(seed)
    go = rt.call(h.like, out)[0]
    go_list = _pylist(h.flat(go))
    for t in go_list:
        t.arr[...] = rng.standard_normal(t.arr.shape)
    gos = [t.arr.astype(np.float64) for t in go_list]
    errors: dict[str, float] = {}

    gi, gp = (_pylist(r) for r in rt.call(h.backward, m, x, go))
    gi = [t.arr.astype(np.float64).copy() for t in gi]
    gp = [t.arr.astype(np.float64).copy() for t in gp]
    xs = _pylist(h.flat(x))
    if check_input:
        fx = [t for t in xs if _is_float(t)]
        assert len(gi) >= len(fx), f"{ctor_lua}: gradInput has {len(gi)} tensors for {len(fx)}"
        err = 0.0
        for i, t in enumerate(fx):
            num = _numeric(rt, h, m, x, t, gos, eps)
            ana = gi[i]
            assert ana.shape == num.shape, (
                f"{ctor_lua}: gradInput[{i}] shape {ana.shape}, input {num.shape}"
            )
            err = max(err, _relerr(ana, num))
        errors["input"] = err
        assert err < tol, f"{ctor_lua}: gradInput differs from finite differences by {err}"
    if check_params:
        params = _pylist(h.params(m))
        assert len(params) == len(gp), f"{ctor_lua}: {len(params)} params, {len(gp)} grads"
        for i, p in enumerate(params):
            num = _numeric(rt, h, m, x, p, gos, eps)
            # a gradient may be shaped otherwise than its parameter with as many elements
            # (Torch's WeightNorm leaves gradV viewed in the weight's permuted shape):
            # getParameters and optim see the same flat values
            ana = gp[i].reshape(num.shape) if gp[i].size == num.size else gp[i]
            err = _relerr(ana, num)
            errors[f"param{i + 1}"] = err
            assert err < tol, f"{ctor_lua}: gradient of parameter {i + 1} is off by {err}"
        if params and check_scale:
            half = [
                t.arr.astype(np.float64) for t in _pylist(rt.call(h.accScaled, m, x, go, 0.5)[0])
            ]
            err = max(_relerr(a, 0.5 * b) for a, b in zip(half, gp, strict=True))
            errors["scale"] = err
            assert err < tol, f"{ctor_lua}: accGradParameters ignores scale (error {err})"
    if dtype == "float":
        out_d = [t.arr.astype(np.float64).copy() for t in _pylist(rt.call(h.forward, m, x)[0])]
        mf, xf, gof = rt.call(h.toFloat, m, x, go)
        out_f = _pylist(rt.call(h.forward, mf, xf)[0])
        err = 0.0
        for a, b in zip(out_f, out_d, strict=True):
            assert a.arr.dtype == np.float32, f"{ctor_lua}: float module gave {a.arr.dtype}"
            err = max(err, _relerr(a.arr.astype(np.float64), b))
        gif, gpf = (_pylist(r) for r in rt.call(h.backward, mf, xf, gof))
        for a, b in zip(gif, gi, strict=True):
            err = max(err, _relerr(a.arr.astype(np.float64), b))
        for a, b in zip(gpf, gp, strict=True):
            err = max(err, _relerr(a.arr.astype(np.float64), b))
        errors["float"] = err
        assert err < 1e-4, f"{ctor_lua}: float results differ from double by {err}"
    elif dtype != "double":
        raise ValueError(f"dtype must be 'double' or 'float', not {dtype!r}")
    return errors


def _relerr(a: np.ndarray, b: np.ndarray) -> float:
    if a.shape != b.shape:
        return float("inf")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(1.0, np.abs(a))))

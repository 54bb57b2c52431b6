"""nn's LuaJIT kernels (luatorch/lua/nn/kernels.lua) and strided element-wise loops
(luatorch/lua/torch/apply.lua).

Small Sigmoid, Tanh, LogSoftMax and ClassNLLCriterion work runs in LuaJIT; larger work, and any
case the Lua kernels decline, goes to the Python kernels. Checked here: the Lua kernels take the
small cases they are meant for (contiguous and strided operands, Double and Float) and decline
the others; their results are the Python kernels' bit for bit (which tests/same_bits/ compares
with real Torch7, as lstm_kernels.lua does for these very kernels); finite-difference gradients
through them; copy, cmul and zero between strided views equal numpy's element-wise results.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from nn_gradcheck import check_module

from luatorch.runtime import Runtime


@pytest.fixture(scope="module")
def rt() -> Runtime:
    r = Runtime(write=lambda s: None)
    r.execute("require 'nn'")
    return r


# Lua: run kernel `name` both ways on fresh outputs; returns (taken, lua results, py results)
_BOTH = r"""
local kernels = require('nn.kernels').lua
local THNN = nn.THNN
local py, P = torch._py, torch._P
local function unwrap(...)
   local t = {...}
   for i = 1, select('#', ...) do t[i] = P[t[i]] or t[i] end
   return unpack(t, 1, select('#', ...))
end
-- the Python kernel itself, skipping the Lua one
local function slow(name, ...)
   return py['THNN_' .. name](unwrap(...))
end
return function(name, makeArgs, outs)
   local a = {makeArgs()}
   local taken = kernels[name](unpack(a, 1, table.maxn(a)))
   local b = {makeArgs()}
   local r = slow(name, unpack(b, 1, table.maxn(b)))
   local lua, pyr = {}, {}
   for _, i in ipairs(outs) do
      lua[#lua + 1] = a[i]:clone()
      pyr[#pyr + 1] = b[i]:clone()
   end
   if type(taken) == 'number' then lua[#lua + 1] = torch.Tensor({taken}) end
   if type(r) == 'number' then pyr[#pyr + 1] = torch.Tensor({r}) end
   return taken and true or false, lua, pyr
end
"""

# input expressions: contiguous, rows apart (select), a column block, a transpose, 3-D
VIEWS = {
    "contiguous": "torch.randn(6, 9):mul({s})",
    "select": "torch.randn(6, 3, 9):mul({s}):select(2, 2)",
    "narrow": "torch.randn(6, 14):mul({s}):narrow(2, 3, 9)",
    "transpose": "torch.randn(9, 6):mul({s}):t()",
    "3d": "torch.randn(2, 3, 9):mul({s})",
}


def _both(rt: Runtime, name: str, args_lua: str, outs: list[int], dtype: str):
    rt.execute(f"torch.setdefaulttensortype('torch.{dtype}Tensor')")
    try:
        rt.globals.both_ways = rt.execute(_BOTH)[0]
        taken, lua, pyr = rt.execute(
            f"local seed = torch.random() "
            f"local make = function() torch.manualSeed(seed) return {args_lua} end "
            f"return both_ways('{name}', make, {{{', '.join(map(str, outs))}}})"
        )
    finally:
        rt.execute("torch.setdefaulttensortype('torch.DoubleTensor')")
    P = rt.globals.torch._P
    got = [P[lua[i + 1]].arr for i in range(len(lua))]
    want = [P[pyr[i + 1]].arr for i in range(len(pyr))]
    return taken, got, want


def _same_bits(got: list[np.ndarray], want: list[np.ndarray]) -> None:
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert g.dtype == w.dtype and g.shape == w.shape
        assert g.tobytes() == w.tobytes()


@pytest.mark.parametrize("dtype", ["Double", "Float"])
@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("scale", [2, 800])
@pytest.mark.parametrize("kernel", ["Sigmoid", "Tanh"])
def test_activation_kernels_equal_the_python_ones(rt, kernel, scale, view, dtype):
    x = VIEWS[view].format(s=scale)
    taken, got, want = _both(rt, f"{kernel}_updateOutput", f"{x}, torch.Tensor()", [2], dtype)
    assert taken
    _same_bits(got, want)
    # gradient from gradOutput and the output; the output may be any view too
    args = f"torch.Tensor(), torch.randn(({x}):size()), torch.Tensor(), torch.sigmoid({x})"
    taken, got, want = _both(rt, f"{kernel}_updateGradInput", args, [3], dtype)
    assert taken
    _same_bits(got, want)


# inputs of a Double Sigmoid or Tanh of 64 elements and more, whose exp(-x) or tanh comes from
# vexp or vtanh: values off their main paths (the C library's function) among ordinary ones, an
# odd element count, inputs of other strides (an LSTM's gate slices, a transpose)
VECTORISED = {
    "gates": "torch.randn(32, 128):mul({s})",
    "odd": "torch.randn(7, 19):mul({s})",
    "slice": "torch.randn(32, 4, 128):mul({s}):select(2, 4)",
    "transpose": "torch.randn(19, 7):mul({s}):t()",
    "special": "(function() local x = torch.randn(8, 16):mul({s}) "
    "local v = {{0/0, 1/0, -1/0, -0.0, 0.0, 800, -800, 1e-300, -1e-300, 2^-55, -745.2, 709.8, "
    "511.99999, 512, -512, 22, -22, 1, -1, 2^-54, 5e-324}} "
    "for i, e in ipairs(v) do x[1 + (i - 1) % 8][1 + 2 * math.floor((i - 1) / 8)] = e end "
    "return x end)()",
}


@pytest.mark.parametrize("scale", [0.1, 1, 40])
@pytest.mark.parametrize("case", list(VECTORISED))
@pytest.mark.parametrize("kernel", ["Sigmoid", "Tanh"])
def test_activations_through_vexp_and_vtanh_equal_the_python_kernel(rt, kernel, case, scale):
    from luatorch.tensor import native, vexp, vtanh

    # where the native code runs, the vectorised functions must be there for Lua to use
    if native.code() is not None:
        assert vexp.available() and vtanh.available()
        assert rt.execute("return torch._py.vexp_fn()")[0] != 0
        assert rt.execute("return torch._py.vtanh_fn()")[0] != 0
    x = VECTORISED[case].format(s=scale)
    name = f"{kernel}_updateOutput"
    taken, got, want = _both(rt, name, f"{x}, torch.Tensor()", [2], "Double")
    assert taken
    _same_bits(got, want)
    if kernel == "Tanh":  # and the C library's tanh element by element
        arg, out = rt.execute(f"local x = {x} return x, nn.Tanh():forward(x)")
        P = rt.globals.torch._P
        xs = P[arg].arr
        ref = np.array([math.tanh(v) for v in xs.reshape(-1).tolist()]).reshape(xs.shape)
        assert P[out].arr.tobytes() == ref.tobytes()
    if case in ("slice", "transpose"):
        return
    # in place: the output is the input
    taken, got, want = _both(rt, name, f"(function() local t = {x} return t, t end)()", [2],
                             "Double")  # fmt: skip
    assert taken
    _same_bits(got, want)


@pytest.mark.parametrize("scale", [1, 60])
@pytest.mark.parametrize("case", ["head", "vector", "strided", "special"])
def test_logsoftmax_through_vexp_equals_the_python_kernel(rt, case, scale):
    # 64+ Double elements: the exps come from vexp (strided inputs too; the gradient's only
    # when the output is contiguous)
    x = {
        "head": "torch.randn(32, 64):mul({s})",
        "vector": "torch.randn(100):mul({s})",
        "strided": "torch.randn(64, 32):mul({s}):t()",
        "special": "(function() local x = torch.randn(8, 16):mul({s}) x[1][1] = -1/0 "
        "x[2][3] = -800 x[3][1] = 1e-300 x[4][2] = -0.0 return x end)()",
    }[case].format(s=scale)
    taken, got, want = _both(rt, "LogSoftMax_updateOutput", f"{x}, torch.Tensor()", [2], "Double")
    assert taken
    _same_bits(got, want)
    go = f"torch.randn(({x}):size())"
    outs = [f"nn.LogSoftMax():forward({x})"]
    if case != "vector":  # and a strided output
        outs.append(f"nn.LogSoftMax():forward({x}):t():clone():t()")
    for out in outs:
        args = f"{x}, {go}, torch.Tensor(), {out}"
        taken, got, want = _both(rt, "LogSoftMax_updateGradInput", args, [3], "Double")
        assert taken
        _same_bits(got, want)


@pytest.mark.parametrize("dtype", ["Double", "Float"])
@pytest.mark.parametrize("view", ["contiguous", "select", "narrow", "transpose", "vector"])
@pytest.mark.parametrize("scale", [1, 60])
def test_logsoftmax_kernels_equal_the_python_ones(rt, view, scale, dtype):
    x = "torch.randn(9):mul({s})" if view == "vector" else VIEWS[view]
    x = x.format(s=scale)
    taken, got, want = _both(rt, "LogSoftMax_updateOutput", f"{x}, torch.Tensor()", [2], dtype)
    assert taken
    _same_bits(got, want)
    go = "torch.randn(9)" if view == "vector" else "torch.randn(6, 9):t():t()"
    args = f"{x}, {go}, torch.Tensor(), nn.LogSoftMax():forward({x})"
    taken, got, want = _both(rt, "LogSoftMax_updateGradInput", args, [3], dtype)
    assert taken
    _same_bits(got, want)


NLL = {
    # input, target, sizeAverage, weights, ignoreIndex
    "batch": ("torch.randn(8, 5)", "torch.LongTensor(8):random(5)", "true", "nil", "-100"),
    "sum": ("torch.randn(8, 5)", "torch.LongTensor(8):random(5)", "false", "nil", "-100"),
    "weights": (
        "torch.randn(8, 5)",
        "torch.LongTensor(8):random(5)",
        "true",
        "torch.rand(5):add(0.2)",
        "-100",
    ),
    "weights sum": (
        "torch.randn(8, 5)",
        "torch.LongTensor(8):random(5)",
        "false",
        "torch.rand(5):add(0.2)",
        "-100",
    ),
    "ignore": (
        "torch.randn(8, 5)",
        "torch.LongTensor({1, 2, 3, 2, 5, 2, 4, 2})",
        "true",
        "nil",
        "2",
    ),
    "all ignored": ("torch.randn(3, 5)", "torch.LongTensor({2, 2, 2})", "true", "nil", "2"),
    "transposed": ("torch.randn(5, 8):t()", "torch.LongTensor(8):random(5)", "true", "nil", "-100"),
    "vector": ("torch.randn(5)", "torch.LongTensor({4})", "true", "nil", "-100"),
    "vector weights": (
        "torch.randn(5)",
        "torch.LongTensor({4})",
        "false",
        "torch.rand(5):add(0.2)",
        "-100",
    ),
}


@pytest.mark.parametrize("dtype", ["Double", "Float"])
@pytest.mark.parametrize("case", list(NLL))
def test_classnll_kernels_equal_the_python_ones(rt, case, dtype):
    x, t, avg, w, ignore = NLL[case]
    args = f"{x}, {t}, {avg}, {w}, torch.Tensor(1):fill(7), {ignore}"
    taken, got, want = _both(rt, "ClassNLLCriterion_updateOutput", args, [5], dtype)
    assert taken is not None
    _same_bits(got, want)  # the total weight tensor and the loss
    args = (
        f"{x}, {t}, torch.Tensor(), {avg}, {w}, "
        f"nn.ClassNLLCriterion().total_weight_tensor:fill(3), {ignore}"
    )
    taken, got, want = _both(rt, "ClassNLLCriterion_updateGradInput", args, [3], dtype)
    assert taken
    _same_bits(got, want)


@pytest.mark.parametrize(
    "name,args",
    [
        # too many elements: numpy's (and numexpr's threads') work
        ("Sigmoid_updateOutput", "torch.randn(200, 200), torch.Tensor()"),
        # mixed types
        ("Tanh_updateOutput", "torch.randn(4, 4), torch.FloatTensor()"),
        # LogSoftMax over 3-D input (THNN's frames of strided features)
        ("LogSoftMax_updateOutput", "torch.randn(3, 4, 5), torch.Tensor()"),
        # a target out of range: THNN's assertion, raised by the Python kernel
        (
            "ClassNLLCriterion_updateOutput",
            "torch.randn(3, 4), torch.LongTensor({1, 9, 2}), true, nil, torch.Tensor(1), -100",
        ),
        # targets of another type
        (
            "ClassNLLCriterion_updateOutput",
            "torch.randn(3, 4), torch.Tensor({1, 2, 2}), true, nil, torch.Tensor(1), -100",
        ),
    ],
)
def test_lua_kernels_decline_other_cases(rt, name, args):
    taken = rt.execute(f"return require('nn.kernels').lua.{name}({args})")[0]
    assert not taken


def test_errors_stay_torchs(rt):
    msg = rt.execute(
        "local ok, e = pcall(function() nn.ClassNLLCriterion():forward(torch.randn(3, 4),"
        " torch.LongTensor({1, 9, 2})) end) return e"
    )[0]
    assert "cur_target >= 0 && cur_target < n_classes" in msg
    msg = rt.execute(
        "local ok, e = pcall(function() nn.Tanh():backward(torch.randn(3, 4), torch.randn(4, 3))"
        " end) return e"
    )[0]
    assert "shape" in msg.lower() or "size" in msg.lower()


@pytest.mark.parametrize("dtype", ["double", "float"])
@pytest.mark.parametrize(
    "ctor,input_lua",
    [
        ("nn.Sigmoid()", "torch.randn(4, 3, 5):select(2, 2)"),
        ("nn.Tanh()", "torch.randn(7, 4):t()"),
        ("nn.LogSoftMax()", "torch.randn(6, 9):narrow(2, 2, 5)"),
        ("nn.LogSoftMax()", "torch.randn(7)"),
    ],
)
def test_gradients_through_the_lua_kernels(rt, ctor, input_lua, dtype):
    check_module(rt, ctor, dtype=dtype, input_lua=input_lua)


def test_classnll_gradient_by_finite_differences(rt):
    rt.execute(
        "crit = nn.ClassNLLCriterion(torch.rand(5):add(0.5)) x = torch.randn(6, 5)"
        " t = torch.LongTensor({1, 5, 2, 2, 4, 3})"
    )
    # (backward uses the total weight of the last forward, as in THNN)
    g = rt.globals.torch._P[
        rt.execute("crit:forward(x, t) return crit:backward(x, t):clone()")[0]
    ].arr
    x = rt.globals.torch._P[rt.execute("return x")[0]].arr
    eps = 1e-6
    for i in range(6):
        for j in range(5):
            x[i, j] += eps
            up = rt.execute("return crit:forward(x, t)")[0]
            x[i, j] -= 2 * eps
            down = rt.execute("return crit:forward(x, t)")[0]
            x[i, j] += eps
            assert abs((up - down) / (2 * eps) - g[i, j]) < 1e-7


# strided element-wise loops (torch/apply.lua) against numpy on the same views
_VIEW_PAIRS = [
    ("torch.randn(5, 3, 7):select(2, 2)", "torch.randn(5, 7)"),
    ("torch.randn(5, 9):narrow(2, 2, 7)", "torch.randn(7, 5):t()"),
    ("torch.randn(7, 5):t()", "torch.randn(5, 3, 7):select(2, 3)"),
    ("torch.randn(2, 3, 4):transpose(1, 3)", "torch.randn(4, 3, 2)"),
    ("torch.randn(2, 3, 4, 5):select(4, 2)", "torch.randn(2, 3, 4)"),
]


@pytest.mark.parametrize("dtype", ["Double", "Float", "Long", "Byte"])
@pytest.mark.parametrize("a,b", _VIEW_PAIRS)
def test_strided_copy_cmul_and_zero(rt, a, b, dtype):
    conv = f":{dtype.lower()}()" if dtype != "Double" else ""
    rt.execute(
        f"local base = torch.randn(9, 11){conv}:mul(3) "
        f"a = ({a}){conv}:mul(3) b = ({b}){conv}:mul(3)"
    )
    P = rt.globals.torch._P
    src = P[rt.execute("return b")[0]].arr.copy()
    before = P[rt.execute("return a")[0]].arr.copy()
    rt.execute("a:copy(b)")
    got = P[rt.execute("return a")[0]].arr
    assert got.tobytes() == np.ascontiguousarray(src.reshape(before.shape)).tobytes()
    if dtype in ("Double", "Float"):
        rt.execute(f"a:copy(({a}){conv}) c = a:clone() a:cmul(b)")
        c = P[rt.execute("return c")[0]].arr.copy()
        got = P[rt.execute("return a")[0]].arr
        assert got.tobytes() == (c * src.reshape(c.shape)).tobytes()
    rt.execute("a:zero()")
    assert not P[rt.execute("return a")[0]].arr.any()

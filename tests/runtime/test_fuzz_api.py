"""Hostile arguments to the Tensor and nn API: a clean Lua error or a result, never worse.

Hypothesis draws calls (methods, torch.* functions, operators, constructors, storages, nn
modules, two-call chains) over fixture tensors that are non-contiguous, zero-stride, empty,
NaN-filled or of the wrong type, with arguments that are nil, strings, tables, functions,
NaN/inf, negative, huge or non-integer. Each case runs in a worker subprocess
(scripts/fuzz_api.py) so crashes and hangs are caught; the worker checks every error is a pcall-
catchable string with a location, Torch-worded, whose stack reaches the user's line, and that the
runtime still computes afterwards. ``python scripts/fuzz_api.py --minutes N`` runs longer.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luatorch.runtime import LuaError, Runtime
from luatorch.runtime.errors import errmsg
from luatorch.tensor.core import TorchError

_SPEC = importlib.util.spec_from_file_location(
    "fuzz_api", Path(__file__).resolve().parents[2] / "scripts" / "fuzz_api.py"
)
fz = importlib.util.module_from_spec(_SPEC)
sys.modules["fuzz_api"] = fz
_SPEC.loader.exec_module(fz)

# Failures: anything but a result or a clean error. 'unworded'/'wrongloc' (an error raised
# inside our Lua torch package, as Torch's own Lua functions do) are counted, not failed.
SOFT = {"ok", "error", "unworded", "wrongloc"}
TALLY: Counter[str] = Counter()

SETTINGS = settings(
    max_examples=1500,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)


@pytest.fixture(scope="module")
def worker() -> Iterator[Any]:
    w = fz.Worker(timeout=20)
    yield w
    w.close()
    print(f"\nfuzz: {sum(TALLY.values())} cases {dict(TALLY)}, worker restarts {w.restarts}")


def check(w: Any, call: str) -> None:
    res = w.run(fz.case_code(call))
    v = fz.verdict(res)
    TALLY[v] += 1
    assert v in SOFT, f"{v}: {call}\n{res['msg']}\n{res['tb']}"


_CAT: dict[str, Any] = {}


def catalog() -> dict:
    """The worker's catalog (methods, functions, nn classes), computed once per session."""
    if not _CAT:
        w = fz.Worker()
        cat = w.catalog()
        w.close()
        gen = fz.Generator(cat, __import__("random").Random(0))
        _CAT.update(methods=gen.methods, funcs=gen.funcs, nn=gen.nn)
    return _CAT


arg = st.sampled_from(fz.ARGS)
plausible = st.sampled_from(fz.PLAUSIBLE)
tensor = st.sampled_from(fz.TENSORS)


def arglist(max_size: int = 4) -> st.SearchStrategy[str]:
    return st.one_of(st.lists(arg, max_size=max_size), st.lists(plausible, max_size=max_size)).map(
        ", ".join
    )


@st.composite
def method_call(draw: Any) -> str:
    return f"{draw(tensor)}:{draw(st.sampled_from(catalog()['methods']))}({draw(arglist())})"


@st.composite
def function_call(draw: Any) -> str:
    return f"torch.{draw(st.sampled_from(catalog()['funcs']))}({draw(arglist())})"


@st.composite
def operator_or_ctor(draw: Any) -> str:
    t, x, y = draw(tensor), draw(arg), draw(arg)
    op = draw(st.sampled_from(["+", "-", "*", "/", "%", "^", "..", "==", "<"]))
    return draw(
        st.sampled_from(
            [
                f"local _ = {t} {op} {x}",
                f"local _ = {x} {op} {t}",
                f"local _ = -{t}",
                f"local _ = {t}[{x}]",
                f"{t}[{x}] = {y}",
                f"local _ = {t}[{{{x}, {y}}}]",
                f"local _ = #{t}",
                f"print({t})",
                f"local _ = st[{x}]",
                f"st[{x}] = {y}",
                f"ls:resize({x})",
                f"torch.{draw(st.sampled_from(fz.TYPES))}Tensor({draw(arglist())})",
                f"torch.{draw(st.sampled_from(fz.TYPES))}Storage({draw(arglist())})",
                f"torch.Tensor({', '.join(['st'] + draw(st.lists(arg, max_size=4)))})",
            ]
        )
    )


@st.composite
def nn_call(draw: Any) -> str:
    name, good, methods = draw(st.sampled_from(catalog()["nn"]))
    if draw(st.booleans()):
        return f"M = nn.{name}({draw(arglist(5))})"
    return f"M = nn.{name}({good}); M:{draw(st.sampled_from(methods))}({draw(arglist(3))})"


@st.composite
def chain(draw: Any) -> str:
    """A failing or succeeding call, then another on the same (possibly aliased) tensors."""
    t = draw(tensor)
    m1, m2 = (draw(st.sampled_from(catalog()["methods"])) for _ in range(2))
    a1, a2 = draw(st.lists(plausible, max_size=3)), draw(st.lists(plausible, max_size=3))
    return f"pcall(function() {t}:{m1}({', '.join(a1)}) end); {t}:{m2}({', '.join(a2)})"


@SETTINGS
@given(call=method_call())
def test_tensor_methods(worker: Any, call: str) -> None:
    check(worker, call)


@SETTINGS
@given(call=function_call())
def test_torch_functions(worker: Any, call: str) -> None:
    check(worker, call)


@SETTINGS
@given(call=operator_or_ctor())
def test_operators_indexing_constructors(worker: Any, call: str) -> None:
    check(worker, call)


@SETTINGS
@given(call=nn_call())
def test_nn_modules(worker: Any, call: str) -> None:
    check(worker, call)


@settings(SETTINGS, max_examples=1000)
@given(call=chain())
def test_chained_calls(worker: Any, call: str) -> None:
    check(worker, call)


def test_verdicts_catch_what_they_should(worker: Any) -> None:
    """The checker itself: a leaked Python message, a non-string error and a dead runtime."""
    assert (
        fz.verdict({"kind": "error", "msg": "x.lua:2: ValueError: bad", "tb": "", "canary": None})
        == "leak"
    )
    assert fz.verdict({"kind": "error", "msg": "no location", "tb": "", "canary": None}) == "noloc"
    w = fz.Worker()
    try:
        res = w.run(fz.case_code("error({})"))
        assert fz.verdict(res) == "nonstring:table"
        res = w.run(fz.case_code("torch.Tensor(2):fill(1, 2, 3)"))
        assert fz.verdict(res) == "error", res
        res = w.run(fz.case_code("torch.mm = nil"))
        assert fz.verdict(res).startswith("broken:"), res
        res = w.run(fz.case_code("os.exit(3)"))
        assert fz.verdict(res) == "crash"
        assert w.restarts == 1
        res = w.run(fz.case_code("torch.Tensor(2):fill('x')"))
        assert fz.verdict(res) == "error"
    finally:
        w.close()


# ----------------------------------------------------------------- specific hostile inputs
@pytest.fixture(scope="module")
def rt() -> Runtime:
    rt = Runtime(write=lambda s: None)
    rt.execute("require 'nn'")
    return rt


def lua_error(rt: Runtime, code: str) -> str:
    """The message pcall sees for ``code`` (run as file 'user.lua', line 1)."""
    ok, msg = rt.execute(f"return pcall(loadstring({code!r}, '@user.lua'))")
    assert ok is False, code
    assert isinstance(msg, str)
    return msg


@pytest.mark.parametrize(
    "code",
    [
        "torch.Tensor(1e12)",
        "torch.Tensor(2):resize(1e12)",
        "torch.DoubleStorage(2^40)",
        "torch.Tensor(3, 4):resize(2^32, 2^32)",
        "torch.zeros(1e6, 1e6)",
        "torch.randn(2^45)",
        "torch.Tensor(2):storage():resize(1e13)",
        "torch.range(1, 1e15)",
        "torch.FloatTensor(torch.LongStorage{2^40, 2^40, 2^40})",
    ],
)
def test_huge_sizes_are_clean_errors(rt: Runtime, code: str) -> None:
    msg = lua_error(rt, code)
    # (torch.zeros, randn and range come through Torch7's C dispatch: no line, as there)
    assert msg.removeprefix("user.lua:1: ").startswith(
        "$ Torch: not enough memory: you tried to allocate"
    ), msg
    assert rt.eval("torch.ones(3):sum()") == 3


def test_failed_resize_leaves_tensor_unchanged(rt: Runtime) -> None:
    rt.execute("t = torch.Tensor(2, 3):fill(7)")
    lua_error(rt, "t:resize(1e12)")
    assert rt.execute("return t:dim(), t:size(1), t:size(2), t:sum()") == (2, 2, 3, 42)


@pytest.mark.parametrize(
    "code, words",
    [
        ("torch.Tensor(2):select(1, 0/0)", "number has no integer representation"),
        ("torch.Tensor(1/0)", "number has no integer representation"),
        ("torch.Tensor(2):narrow(1, 0, 1)", "out of range"),
        # real Torch7's nn.Linear calls input:dim() first
        ("nn.Linear(3, 4):forward('a')", "attempt to call method 'dim' (a nil value)"),
        ("nn.Linear(3, 4):forward(nil)", "attempt to index local 'input' (a nil value)"),
        ("torch.Tensor(2):type(3)", "bad argument #1 to 'type' (string expected, got number)"),
        ("torch.Tensor(2):apply(5)", "attempt to call local 'func' (a number value)"),
        ("torch.view(5, 2)", "bad argument #1 to 'view' (torch.*Tensor expected, got number)"),
        ("torch.DoubleStorage(3)[5] = 1", "bad argument #2 to '?' (out of bounds)"),
    ],
)
def test_messages_are_torch_worded(rt: Runtime, code: str, words: str) -> None:
    msg = lua_error(rt, code)
    assert words in msg, msg
    assert not fz.LEAK.search(msg), msg
    # nn errors point into the module's file, and a constructor's (Torch7's C __call) and a
    # storage index's (its C __newindex) at no line, as in Torch
    if "nn." not in code and not code.startswith(("torch.Tensor(", "torch.DoubleStorage(")):
        assert msg.startswith("user.lua:1: "), msg


def test_storage_shrunk_under_a_view(rt: Runtime) -> None:
    msg = lua_error(
        rt,
        "local s = torch.DoubleStorage(4); local t = torch.Tensor(s); s:resize(1); return t:sum()",
    )
    assert "Storage size and offset/sizes/strides are inconsistent" in msg


def test_io_stdout_missing_field_is_nil(rt: Runtime) -> None:
    assert rt.eval("io.stdout.nothing == nil") is True


def test_errmsg_translation() -> None:
    """Python exceptions that reach Lua: Lua type names, no class names, the function named."""
    assert errmsg(TorchError("size mismatch"), "add") == "size mismatch"
    assert errmsg(KeyboardInterrupt()) == "interrupted!"
    assert (
        errmsg(MemoryError("Unable to allocate 2.00 GiB for an array"), "zeros")
        == "$ Torch: not enough memory: you tried to allocate 2GB. Buy new RAM!"
    )
    assert (
        errmsg(ValueError("cannot convert float NaN to integer"), "select")
        == "bad argument to 'select' (number has no integer representation)"
    )
    assert (
        errmsg(
            TypeError(
                "int() argument must be a string, a bytes-like object or a real "
                "number, not 'lupa.luajit21._LuaTable'"
            ),
            "view",
        )
        == "bad argument to 'view' (number expected, got table)"
    )
    assert (
        errmsg(AttributeError("'NoneType' object has no attribute 'dim'"), "f")
        == "bad argument to 'f' (tensor expected, got nil)"
    )
    assert (
        errmsg(
            TypeError("loop of ufunc does not support argument 0 of type NoneType"),
            "Exp_updateOutput",
        )
        == "invalid arguments to 'Exp_updateOutput'"
    )
    assert (
        errmsg(IndexError("tuple index out of range"), "g")
        == "invalid arguments to 'g' (missing argument)"
    )
    assert errmsg(RuntimeError("weird"), "h") == "h: weird"
    assert errmsg(ZeroDivisionError("division by zero")) == "bad argument (division by zero)"


# ----------------------------------------------------------------- error values through pcall
def test_error_values_pass_through_pcall_unchanged(rt: Runtime) -> None:
    res = rt.execute("""
       fuzzErr = fuzzErr or {}
       local Obj = torch.class('fuzzErr.Obj')
       function Obj:__init(c) self.code = c end
       local values = {
          {code = 42},
          setmetatable({}, {__tostring = function() return 'custom' end}),
          fuzzErr.Obj(7),
          torch.Tensor{1, 2},
          nn.Linear(2, 2),
          true,
          print,
       }
       local out = {}
       for i, v in ipairs(values) do
          local ok, e = pcall(error, v)
          local ok2, e2 = pcall(function() error(v, 2) end)
          local ok3, e3 = xpcall(function() error(v) end, function(x) return x end)
          out[i] = (not ok and e == v and not ok2 and e2 == v and not ok3 and e3 == v)
       end
       local ok, e = pcall(error, values[3])
       return out, torch.type(e), e.code
    """)
    flags, tname, code = res
    assert list(flags.values()) == [True] * 7
    assert (tname, code) == ("fuzzErr.Obj", 7)


def test_error_objects_reaching_python(rt: Runtime) -> None:
    """A table error at the top level still becomes a LuaError (with tostring's message)."""
    with pytest.raises(LuaError) as info:
        rt.execute("error(setmetatable({}, {__tostring = function() return 'custom!' end}))")
    assert "custom!" in info.value.message
    with pytest.raises(LuaError):
        rt.execute("error({code = 1})")
    assert rt.eval("1 + 1") == 2

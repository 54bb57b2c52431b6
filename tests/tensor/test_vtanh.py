"""The vectorised tanh (luatorch/tensor/vtanh.py): the C library's bits on every input (each
branch of glibc's tanh and expm1, the special values), any length, in place, split over
threads; used wherever it can run here, by libm.call and by Lua's x:tanh() and nn.Tanh.
scripts/check_vtanh.py runs a longer comparison."""

from __future__ import annotations

import ctypes
import math

import numpy as np
import pytest
from test_vexp import _runs_here

from luatorch.runtime import Runtime
from luatorch.tensor import libm, threadpool, vtanh

SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, 22.0, -22.0, 21.999999999999996, 1e-310, -1e-310, 5e-324,
           2.0**-55, -(2.0**-55), 2.0**-56, 2.2250738585072014e-308, 1e300, -1e300, np.inf,
           -np.inf, np.nan, -np.nan]  # fmt: skip


def reference(x: np.ndarray) -> np.ndarray:
    """math.tanh element by element (CPython calls the C library's tanh)."""
    return np.array([math.tanh(v) for v in x.tolist()])


def bits(a: np.ndarray) -> np.ndarray:
    return a.view(np.uint64)


def _inputs() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(22)
    tiny = rng.uniform(-1, 1, 3001) * 10.0 ** rng.integers(-320, -10, 3001)
    return {
        "small": rng.uniform(-0.2, 0.2, 40001),  # expm1's k = 0 in whole groups
        "unit": rng.uniform(-1.0, 1.0, 40003),
        "normal": rng.normal(0, 3, 60002),
        "wide": rng.uniform(-30, 30, 40001),
        "bits": rng.integers(0, 2**64, 20001, dtype=np.uint64).view(np.float64),
        "tiny": tiny,
        "edges": np.concatenate([vtanh.edges(), np.array(SPECIAL * 3)]),
    }


def test_in_use_where_it_can_run():
    assert vtanh.available() == _runs_here()


@pytest.mark.skipif(not vtanh.available(), reason="kernel not usable on this machine")
@pytest.mark.parametrize("threads", [1, 2])
def test_the_c_librarys_bits(threads):
    prev = threadpool.use_num_threads(threads)
    try:
        for name, x in _inputs().items():
            want = bits(reference(x))
            out = np.full_like(x, 7.0)
            assert vtanh.tanh_into(x, out)
            np.testing.assert_array_equal(bits(out), want, err_msg=name)
            for n in (0, 1, 2, 3, 5, x.size - 1):  # the tail of fewer than four lanes
                part = np.zeros(n)
                vtanh.tanh_into(x[:n], part)
                np.testing.assert_array_equal(bits(part), want[:n], err_msg=f"{name} {n}")
            y = x.copy()
            vtanh.tanh_into(y, y)  # in place
            np.testing.assert_array_equal(bits(y), want, err_msg=name)
    finally:
        threadpool.use_num_threads(prev)


@pytest.mark.skipif(not vtanh.available(), reason="kernel not usable on this machine")
def test_the_check_compares():
    # against another C function (sinh) the same kernel does not pass
    k = vtanh._kernel()
    other = vtanh._Kernel(k.code)
    other.c_tanh = ctypes.cast(ctypes.CDLL("libm.so.6").sinh, ctypes.c_void_p).value
    assert k.agrees() and not other.agrees()


@pytest.mark.skipif(not vtanh.available(), reason="kernel not usable on this machine")
def test_large_double_tanh_goes_through_it(monkeypatch):
    calls = []
    real = vtanh.tanh_into
    monkeypatch.setattr(vtanh, "tanh_into", lambda s, d: calls.append(s.size) or real(s, d))
    x = np.random.default_rng(3).normal(0, 2, 300001)
    got = libm.call("tanh", x)
    assert calls == [x.size]
    np.testing.assert_array_equal(bits(got[:5000]), bits(reference(x[:5000])))
    # a result overlapping its input elsewhere stays on the element-by-element path
    buf = np.random.default_rng(4).random(200001)
    libm.call("tanh", buf[:-1], out=buf[1:])
    assert calls == [x.size]


def test_off_switch(monkeypatch):
    monkeypatch.setattr(vtanh, "_state", None)
    monkeypatch.setenv("LUATORCH_VTANH", "0")
    assert not vtanh.available()
    out = np.zeros(8)
    assert not vtanh.tanh_into(np.ones(8), out)
    assert (out == 0).all()


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("name", ["tanh", "exp", "sigmoid"])
def test_lua_methods_on_the_pool(threads, name):
    # x:f(), r:f(x), torch.f(x) of Doubles (x:f() and r:f(x) of contiguous ones on the pool from
    # Lua, strided ones through Python) against the C library's function element by element
    c_exp = ctypes.CDLL("libm.so.6").exp
    c_exp.restype, c_exp.argtypes = ctypes.c_double, [ctypes.c_double]
    one = {
        "tanh": math.tanh,
        "exp": c_exp,
        "sigmoid": lambda v: 1.0 / (1.0 + c_exp(-v)),
    }[name]
    rt = Runtime(write=lambda s: None)
    rt.execute(f"torch.setnumthreads({threads})")
    for n in (1, 3, 5, 63, 64, 67, 1023, 4096, 200003):
        x, a, b, c, d = rt.execute(f"""
            torch.manualSeed({n})
            local x = torch.randn({n}):mul(4)
            local specials = {{0/0, -0.0, 1/0, -1/0, 800, -800, 1e-310}}
            for i = 1, math.min({n}, #specials) do x[i] = specials[i] end
            local s = torch.randn(2, {n}):mul(4):select(1, 2)
            return x, x:clone():{name}(), torch.Tensor({n}):{name}(x), torch.{name}(x),
                   torch.Tensor({n}):{name}(s) - torch.Tensor({n}):copy(s):{name}()
        """)  # fmt: skip
        P = rt.globals.torch._P
        want = bits(np.array([one(v) for v in P[x].arr.tolist()]))
        for got in (a, b, c):
            np.testing.assert_array_equal(bits(P[got].arr), want, err_msg=f"{name} {n}")
        assert not P[d].arr.any()

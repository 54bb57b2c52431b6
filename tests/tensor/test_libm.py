"""The C maths functions over arrays (luatorch/tensor/libm.py): every path gives the C library's
bits, which are TH's (it calls exp, expf, tanh... element by element)."""

from __future__ import annotations

import ctypes
import ctypes.util

import numpy as np
import pytest

from luatorch.tensor import libm

_C = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")
SPECIAL = [0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5, 1e-310, -1e-310, 1e-45, 88.7, 89.0,
           -103.9, -104.0, 709.7, 709.8, 710.0, -745.2, -746.0, 1000.0, -1000.0, 1e300, -1e300,
           3e38, np.inf, -np.inf, np.nan, -np.nan]  # fmt: skip


def c_reference(name: str, x: np.ndarray) -> np.ndarray:
    """name applied by the C library through ctypes, one element at a time."""
    single = x.dtype == np.float32
    ct = ctypes.c_float if single else ctypes.c_double
    f = getattr(_C, name)
    f.restype, f.argtypes = ct, [ct]
    return np.array([f(v) for v in x.tolist()], x.dtype)


def inputs(name: str, n: int) -> np.ndarray:
    rng = np.random.default_rng(7)
    single = name.endswith("f")  # the float functions (no double one ends in 'f')
    base = name[:-1] if single else name
    if base in ("asin", "acos"):
        x = rng.uniform(-1.2, 1.2, n)
    elif base == "exp":
        x = rng.normal(0, 30, n)
    else:
        x = rng.normal(0, 4, n)
    x[: len(SPECIAL)] = SPECIAL
    with np.errstate(all="ignore"):
        return x.astype(np.float32 if single else np.float64)


def bits(a: np.ndarray) -> np.ndarray:
    return a.view(np.uint32 if a.dtype == np.float32 else np.uint64)


@pytest.mark.parametrize("name", sorted(libm._NUMEXPR))
def test_numexpr_path_gives_the_c_librarys_bits(name, monkeypatch):
    sent = []
    real = libm._with_numexpr

    def spy(*a):
        done = real(*a)
        sent.append(done)
        return done

    monkeypatch.setattr(libm, "_with_numexpr", spy)
    monkeypatch.setattr(libm, "_with_vexp", lambda *a: False)  # double exp, tanh go there first
    x = inputs(name, libm.NUMEXPR_MIN)
    got = libm.call(name, x)
    assert sent == [True]  # the array went through numexpr
    np.testing.assert_array_equal(bits(got), bits(c_reference(name, x)))


def test_double_log_is_not_sent_to_numexpr():
    # numexpr links glibc's pre-2.29 log: its error path gives +NaN for log(-1), TH's -NaN
    assert "log" not in libm._NUMEXPR
    x = np.full(libm.NUMEXPR_MIN, -1.0)
    assert np.signbit(libm.call("log", x)).all() == np.signbit(c_reference("log", x[:1]))[0]


def test_numexpr_follows_the_kernel_thread_count():
    from luatorch.tensor import threadpool as threads

    prev = threads.use_num_threads(1)
    try:
        libm.call("sinh", np.zeros(libm.NUMEXPR_MIN))
        assert libm._numexpr_module().get_num_threads() == 1
        threads.use_num_threads(2)
        libm.call("sinh", np.zeros(libm.NUMEXPR_MIN))
        assert libm._numexpr_module().get_num_threads() == 2
    finally:
        threads.use_num_threads(prev)


def test_numexpr_path_from_several_threads_at_once():
    # two runtimes in two threads reach numexpr (and vexp.py, for double exp) at the same time
    import threading

    xs = [np.random.default_rng(i).normal(0, 3, 4 * libm.NUMEXPR_MIN) for i in range(4)]
    expected = [c_reference("exp", x[:200]) for x in xs]
    results: list = [None] * 4

    def work(i: int) -> None:
        results[i] = [libm.call("exp", xs[i]) for _ in range(5)]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for i in range(4):
        for r in results[i]:
            np.testing.assert_array_equal(bits(r[:200]), bits(expected[i]))
            np.testing.assert_array_equal(r, results[i][0])


@pytest.mark.parametrize("ttype", ["Double", "Float"])
def test_exp_into_a_result_writes_it_directly(ttype):
    """r:exp(x) and x:exp() on large tensors write the C library's values straight into r (no
    input-sized temporary copied over), and anything overlapping x otherwise still gets
    them."""
    import tracemalloc

    from luatorch.runtime import Runtime

    rt = Runtime(write=lambda s: None)
    x, r = rt.execute(
        f"""
        torch.manualSeed(3)
        local x = torch.{ttype}Tensor(300000):normal(0, 30)
        x[1], x[2], x[3], x[4] = 0, 710, -746, 0 / 0
        local r = torch.{ttype}Tensor(300000)
        r:exp(x)  -- sized once
        return x, r
        """
    )
    rt.globals._x, rt.globals._r = x, r
    a = np.array(list(rt.execute("return _x:totable()")[0].values()), DTYPE[ttype])
    want = c_reference("exp" if ttype == "Double" else "expf", a)
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        rt.execute("_r:exp(_x)")
        extra = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert extra < a.nbytes / 4, extra
    got = np.array(list(rt.execute("return _r:totable()")[0].values()), DTYPE[ttype])
    np.testing.assert_array_equal(got.view(np.uint8), want.view(np.uint8))
    rt.execute("_x:exp()")  # in place
    got = np.array(list(rt.execute("return _x:totable()")[0].values()), DTYPE[ttype])
    np.testing.assert_array_equal(got.view(np.uint8), want.view(np.uint8))
    # a result overlapping the input elsewhere: computed from the input's values first
    same = rt.execute(
        """
        local y = torch.rand(200000)
        local z = y:clone()
        local v = y:narrow(1, 2, 199999)
        v:exp(y:narrow(1, 1, 199999))
        return y:narrow(1, 2, 199999):equal(torch.exp(z:narrow(1, 1, 199999))), y[1] == z[1]
        """
    )
    assert same == (True, True)


DTYPE = {"Double": np.float64, "Float": np.float32}

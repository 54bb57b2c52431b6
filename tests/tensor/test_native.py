"""tensor/native.py's pool: large products and sums split with a worker thread that never takes
the GIL, from Python and straight from Lua (torch/apply.lua), with numpy's values."""

from __future__ import annotations

import os
import threading

import numpy as np
import pytest

from luatorch.tensor import native, threadpool

pytestmark = pytest.mark.skipif(native.code() is None, reason="no AVX2 x86-64 Linux here")

UFUNC = {"mul": np.multiply, "add": np.add}


def _arrays(n: int, dtype: type, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.normal(0, 3, n).astype(dtype), rng.normal(0, 3, n).astype(dtype)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", ["mul", "add"])
def test_same_values_as_numpy(name, dtype, threads):
    prev = threadpool.use_num_threads(threads)
    seq = native.code().pool.seq
    try:
        for n in (1, 7, 2 * native.SPLIT_MIN - 1, 2 * native.SPLIT_MIN + 13, 1_000_003):
            a, b = _arrays(n, dtype, n)
            want = UFUNC[name](a, b)
            out = np.zeros(n, dtype)
            assert native.binary(name, out, a, b)
            np.testing.assert_array_equal(out, want)
            x = a.copy()
            assert native.binary(name, x, x, b)  # in place
            np.testing.assert_array_equal(x, want)
            y = b.copy()
            assert native.binary(name, y, a, y)  # into the second operand
            np.testing.assert_array_equal(y, want)
    finally:
        threadpool.use_num_threads(prev)
    # the worker was offered the large ones on two threads only
    assert (native.code().pool.seq > seq) == (threads == 2)


def test_declines_what_it_does_not_do():
    a, b = _arrays(1000, np.float64, 1)
    assert not native.binary("mul", np.zeros(1000, np.float32), a, b)  # mixed types
    assert not native.binary("sub", np.zeros(1000), a, b)
    assert not native.binary("mul", np.zeros(500), a[::2], b[::2])  # strided
    buf = a.copy()
    assert not native.binary("mul", buf[1:], buf[:-1], b[1:])  # partial overlap
    ints = np.arange(1000)
    assert not native.binary("add", ints.copy(), ints, ints)


def test_several_threads_at_once():
    prev = threadpool.use_num_threads(2)
    a, b = _arrays(600_000, np.float64, 5)
    want = a * b
    errors = []

    def work() -> None:
        for _ in range(20):
            out = np.empty_like(a)
            native.binary("mul", out, a, b)
            if not np.array_equal(out, want):
                errors.append(1)

    try:
        ts = [threading.Thread(target=work) for _ in range(3)]
        for t in ts:
            t.start()
        for t in ts:
            t.join(120)
    finally:
        threadpool.use_num_threads(prev)
    assert not errors


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork")
def test_a_forked_child_gets_its_own_worker():
    prev = threadpool.use_num_threads(2)
    a, b = _arrays(600_000, np.float64, 6)
    native.binary("mul", np.empty_like(a), a, b)  # the parent's worker runs
    pid = os.fork()
    if pid == 0:  # the child: no worker thread until it starts its own
        ok = False
        try:
            out = np.empty_like(a)
            ok = native.binary("mul", out, a, b) and np.array_equal(out, a * b)
            ok = ok and native.code().started
        finally:
            os._exit(0 if ok else 1)
    threadpool.use_num_threads(prev)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


@pytest.mark.parametrize("ttype", ["Double", "Float"])
def test_lua_calls_it_for_large_cmul_and_add(ttype):
    from luatorch.runtime import Runtime

    rt = Runtime(write=lambda s: None)
    seq = native.code().pool.seq
    same = rt.execute(
        f"""
        torch.setnumthreads(2)
        torch.manualSeed(4)
        local n = 300001
        local x, y = torch.{ttype}Tensor(n):normal(), torch.{ttype}Tensor(n):normal()
        local function check(got, op, a, b)
           -- element by element in Lua, in the tensor's type
           local c = got.new(1)
           for i = 1, got:nElement(), 997 do
              c[1] = op == '*' and a[i] * b[i] or a[i] + b[i]
              if got[i] ~= c[1] then return false end
           end
           return true
        end
        local r = torch.{ttype}Tensor(n)
        local ok = true
        r:cmul(x, y); ok = ok and check(r, '*', x, y)
        r:add(x, y); ok = ok and check(r, '+', x, y)
        local z = x:clone(); z:cmul(y); ok = ok and check(z, '*', x, y)
        z = x:clone(); z:add(y); ok = ok and check(z, '+', x, y)
        -- a strided operand: the other paths, same values
        local m = torch.{ttype}Tensor(n, 2):normal()
        local col = m:select(2, 1)
        z = x:clone(); z:cmul(col); ok = ok and check(z, '*', x, col)
        -- partial overlap: not here
        local w = x:clone()
        w:narrow(1, 2, n - 1):add(w:narrow(1, 1, n - 1))
        local c = x.new(1)
        c[1] = x[2] + x[1]
        return ok, w[2] == c[1]
        """
    )
    assert same == (True, True)
    assert native.code().pool.seq > seq  # the worker was offered parts


@pytest.mark.parametrize("ttype", ["Double", "Float"])
def test_lua_calls_it_for_mid_sized_cmul_and_add(ttype):
    # from 128 elements up to the Lua loop's limit: on this thread, every element checked
    from luatorch.runtime import Runtime

    rt = Runtime(write=lambda s: None)
    ok = rt.execute(
        f"""
        torch.manualSeed(5)
        local ok = true
        local function check(got, op, a, b)
           local c = got.new(1)
           for i = 1, got:nElement() do
              c[1] = op == '*' and a[i] * b[i] or a[i] + b[i]
              if got[i] ~= c[1] then return false end
           end
           return true
        end
        for _, n in ipairs({{127, 128, 131, 4096, 16387, 65536}}) do
           local x, y = torch.{ttype}Tensor(n):normal(), torch.{ttype}Tensor(n):normal()
           local r = torch.{ttype}Tensor(n)
           r:cmul(x, y); ok = ok and check(r, '*', x, y)
           r:add(x, y); ok = ok and check(r, '+', x, y)
           local z = x:clone(); z:cmul(y); ok = ok and check(z, '*', x, y)
           z = x:clone(); z:add(y); ok = ok and check(z, '+', x, y)
           z = x:clone(); z:cmul(z); ok = ok and check(z, '*', x, x)
           r:copy(x); r:cmul(r, y); ok = ok and check(r, '*', x, y)
        end
        return ok
        """
    )
    assert ok == (True,)


def test_lua_exp_of_doubles_on_the_pool():
    import ctypes
    import ctypes.util

    from luatorch.runtime import Runtime

    c_exp = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6").exp
    c_exp.restype, c_exp.argtypes = ctypes.c_double, [ctypes.c_double]
    rt = Runtime(write=lambda s: None)
    seq = native.code().pool.seq
    tables = rt.execute(
        """
        torch.setnumthreads(2)
        torch.manualSeed(8)
        local x = torch.DoubleTensor(300001):normal(0, 40)
        x[1], x[2], x[3], x[4], x[5] = 0 / 0, 1 / 0, -1 / 0, 800, 1e-300
        local r = torch.DoubleTensor(300001)
        assert(r:exp(x) == r)            -- into r: returns r
        local y = x:clone()
        assert(y:exp() == y)             -- in place
        local other = torch.DoubleTensor(7):exp(x:narrow(1, 1, 2000))  -- resized: Python's
        return x:totable(), r:totable(), y:totable(), other:totable()
        """
    )
    assert native.code().pool.seq > seq
    xs, rs, ys, os_ = (np.array(list(t.values())) for t in tables)
    want = np.array([c_exp(v) for v in xs.tolist()])
    np.testing.assert_array_equal(rs.view(np.uint64), want.view(np.uint64))
    np.testing.assert_array_equal(ys.view(np.uint64), want.view(np.uint64))
    np.testing.assert_array_equal(os_.view(np.uint64), want[:2000].view(np.uint64))


def test_first_use_from_several_threads_sees_it_ready(monkeypatch):
    # the loaders assign their result once: a thread arriving while another loads waits for it
    # (it once saw a placeholder and ran its product nowhere)
    import threading

    from luatorch.tensor import vexp

    for module, name, check in [
        (native, "_code", lambda: native.code() is not None),
        (vexp, "_state", vexp.available),
    ]:
        monkeypatch.setattr(module, name, None)
        seen: list = []
        go = threading.Event()

        def ask(check=check, seen=seen, go=go) -> None:
            go.wait()
            seen.append(check())

        ts = [threading.Thread(target=ask) for _ in range(6)]
        for t in ts:
            t.start()
        go.set()
        for t in ts:
            t.join(60)
        assert seen == [True] * 6


def test_lua_splits_follow_setnumthreads():
    # torch/apply.lua keeps the thread count between calls (asking Python cost 2-3 us a
    # split): torch.setnumthreads must still turn the worker off and on at once
    from luatorch.runtime import Runtime

    rt = Runtime(write=lambda s: None)
    pool = native.code().pool
    step = rt.execute(
        """
        local x, y = torch.rand(400000), torch.rand(400000)
        return function(n) torch.setnumthreads(n); x:add(y); x:cmul(y) end
        """
    )[0]
    seen = []
    prev = threadpool.use_num_threads(2)
    try:
        for n in (2, 1, 2, 1):
            seq = pool.seq
            step(n)
            seen.append(pool.seq - seq)
    finally:
        threadpool.use_num_threads(prev)  # torch.setnumthreads set this thread's count
    assert seen == [2, 0, 2, 0]


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", ["mul", "add"])
def test_calls_in_turn_run_both_ways_with_the_same_values(name, dtype, threads):
    # pool.c runs every other element-wise call of 32768 elements or more downwards, and a
    # split's two threads start where they stopped the call before: in place, one call after
    # another (as a loop of x:add(y) does), every element as numpy's
    prev = threadpool.use_num_threads(threads)
    pool = native.code().pool
    try:
        for n in (32767, 32768, 2 * native.SPLIT_MIN + 5, 1_000_003):
            a, b = _arrays(n, dtype, n + 1)
            b = (np.abs(b) % 1 + 0.5).astype(dtype)  # products stay away from 0 and inf
            x = a.copy()
            turn = pool.turn
            for _ in range(7):
                want = UFUNC[name](x, b)
                assert native.binary(name, x, x, b)
                np.testing.assert_array_equal(x, want)
                y = b.copy()
                assert native.binary(name, y, a, y)
                np.testing.assert_array_equal(y, UFUNC[name](a, b))
            assert pool.turn - turn == (14 if n >= 32768 else 0)
    finally:
        threadpool.use_num_threads(prev)


def test_the_pool_structure_is_as_large_as_pool_c_makes_it():
    import ctypes

    size = ctypes.CFUNCTYPE(ctypes.c_long)(native.code().at["pool_size"])()
    assert ctypes.sizeof(native.Pool) >= size > 0

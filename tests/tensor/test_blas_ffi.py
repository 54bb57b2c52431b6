"""BLAS called from LuaJIT through the FFI (lua/torch/blas.lua): the same library and thread
count as Python's calls, one call at a time with them, the FFI path taken where it should be and
Python's where it should not, errors unchanged, no memory growth.

The results themselves are compared with real Torch7's in tests/same_bits/blas.lua (every
element of mm, addmm, mv, addmv, ger, addr, dot and add on many layouts, in Double and Float).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from luatorch.runtime import LuaError, Runtime
from luatorch.tensor import blas

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    blas.ffi_binding() is None, reason="LuaJIT's BLAS calls need the system BLAS Python uses"
)


@pytest.fixture(scope="module")
def rt() -> Runtime:
    return Runtime(write=lambda s: None)


def calls(rt: Runtime, code: str) -> int:
    """How many BLAS calls Lua made itself while running code."""
    return int(
        rt.execute(
            "local before = torch._blas.calls\n" + code + "\nreturn torch._blas.calls - before"
        )[0]
    )


@pytest.mark.parametrize("tp", ["torch.DoubleTensor", "torch.FloatTensor"])
@pytest.mark.parametrize(
    "code",
    [
        "torch.mm(a, b)",
        "r:mm(a, b)",
        "torch.mm(r, a, b)",
        "r:addmm(a, b)",
        "r:addmm(0.5, a, b)",
        "r:addmm(0, 2, a, b)",
        "r:addmm(0.5, r:clone(), 2, a, b)",
        "r:t():addmm(b:t(), a:t())",
        "local s = torch.Tensor(3, 9):type(tp):narrow(2, 2, 5); s:addmm(a, b)",
        "local s = torch.Tensor(6, 10):type(tp):sub(1, 6, 1, 10):unfold(2, 1, 2):select(3, 1)"
        "; s:narrow(1, 1, 3):addmm(a, b)",
        "local _ = a * b",
        "y:addmv(a, x)",
        "y:addmv(0, 1, a, x)",
        "torch.mv(a, x)",
        "y:mv(a, x)",
        "local _ = a * x",
        "a:addr(y, x)",
        "a:addr(0.5, 2, y, x)",
        "torch.ger(y, x)",
        "a:ger(y, x)",
        "x:dot(x)",
        "torch.dot(x, x)",
        "local _ = x * x",
        "a:dot(a)",
        "x:add(0.5, x:clone())",
        "local _ = torch.bmm(a:view(1, 3, 4), b:view(1, 4, 5))",
        "r:view(1, 3, 5):baddbmm(0.5, 2, a:view(1, 3, 4), b:view(1, 4, 5))",
        "r:addbmm(a:view(1, 3, 4), b:view(1, 4, 5))",
        "r:view(1, 3, 5):bmm(a:view(1, 3, 4), b:view(1, 4, 5))",
        "local _ = torch.addmm(r, a, b)",
        "local _ = torch.addmm(0.5, r, 2, a, b)",
        "torch.addmm(r, 0.5, r:clone(), a, b)",
        "local _ = torch.addmv(y, a, x)",
        "local _ = torch.addr(0.5, a, y, x)",
        "local _ = torch.baddbmm(r:view(1, 3, 5), a:view(1, 3, 4), b:view(1, 4, 5))",
        "local _ = torch.addbmm(r, a:view(1, 3, 4), b:view(1, 4, 5))",
    ],
)
def test_lua_calls_blas_itself(rt: Runtime, tp: str, code: str) -> None:
    rt.execute(
        f"""tp = '{tp}'
        a, b = torch.randn(3, 4):type(tp), torch.randn(4, 5):type(tp)
        r, x, y = torch.randn(3, 5):type(tp), torch.randn(4):type(tp), torch.randn(3):type(tp)"""
    )
    assert calls(rt, code) >= 1


@pytest.mark.parametrize(
    "code",
    [
        # forms and types Torch refuses: Python raises Torch's errors
        "torch.mm(a, a)",
        "r:addmm(a, a)",
        "r:addmm(torch.randn(3, 4), a, b)",
        "y:addmv(a, torch.randn(5))",
        "y:addmv(1, a)",
        "r:addr(torch.randn(2), torch.randn(5))",
        "x:dot(torch.randn(5))",
        "torch.mm(a, b:float())",
        "torch.mm(a:long(), b:long())",
        "torch.addmm(r, a, a)",
        "torch.addmm(r, 1, a)",
        "torch.addmv(y, a, torch.randn(3))",
        # a result of another size: Python resizes it
        "torch.Tensor():mm(a, b)",
        # empty operands
        "torch.mm(torch.Tensor(3, 0), torch.Tensor(0, 2))",
        # zero strides BLAS does not take
        "y:addmv(a, torch.Tensor({1}):expand(4))",
    ],
)
def test_unusual_calls_go_to_python_with_the_same_outcome(rt: Runtime, code: str) -> None:
    setup = """torch.manualSeed(3)
        a, b = torch.randn(3, 4), torch.randn(4, 5)
        r, x, y = torch.randn(3, 5), torch.randn(4), torch.randn(3)
        """
    outcomes = []
    for enabled in ("false", "true"):
        rt.execute(setup + f"torch._blas.enabled = {enabled}")
        outcomes.append(
            rt.execute(
                f"""local ok, v = pcall(function() return {code} end)
                if not ok then return 'error ' .. tostring(v) end
                if torch.isTensor(v) then
                   return tostring(v) .. ' strides ' .. tostring(torch.LongTensor(v:stride()))
                end
                return tostring(v)"""
            )[0]
        )
    rt.execute("torch._blas.enabled = true")
    assert calls(rt, setup + f"pcall(function() return {code} end)") == 0
    assert outcomes[0] == outcomes[1]


def test_errors_keep_torch_words_and_the_callers_line(rt: Runtime) -> None:
    with pytest.raises(LuaError) as e:
        rt.execute("local a = torch.randn(3, 4)\nlocal r = torch.randn(3, 4)\nr:addmm(a, a)", "=c")
    assert "size mismatch, m1: [3 x 4], m2: [3 x 4]" in e.value.message
    assert e.value.message.startswith("c:3:")


def test_same_library_and_thread_count_as_python(rt: Runtime) -> None:
    lib = blas._backend.lib
    rt.execute("ffi = require 'ffi'; pcall(ffi.cdef, 'int openblas_get_num_threads(void);')")
    ours = rt.execute("return ffi.load(torch._blas.library).openblas_get_num_threads()")[0]
    assert rt.execute("return torch._blas.library")[0] == blas._backend.path
    assert ours == lib.openblas_get_num_threads()
    # one library in the process: a thread count set from Python is the one Lua's calls see
    before = lib.openblas_get_num_threads()
    try:
        lib.openblas_set_num_threads(1)
        assert rt.execute("return ffi.load(torch._blas.library).openblas_get_num_threads()")[0] == 1
    finally:
        lib.openblas_set_num_threads(before)


@pytest.mark.parametrize("tp", ["torch.DoubleTensor", "torch.FloatTensor"])
def test_in_place_add_is_axpy_with_the_thread_count_kept(rt: Runtime, tp: str) -> None:
    """x:add(y) and x:add(1, y) on contiguous tensors of torch._blas.addLeast elements or more
    are TH's axpy, called here (a single element or a transposed matrix: LuaJIT's loop); under
    torch.setnumthreads(1) it runs on one OpenBLAS thread, the library's count given back; the
    sums are the plain sums Python's path computes, on one thread or more."""
    lib = blas._backend.lib
    before = lib.openblas_get_num_threads()
    rt.execute(
        f"""tp = '{tp}'
        n = torch._blas.addLeast + 3
        x, y = torch.randn(n):type(tp), torch.randn(n):type(tp)
        small = torch.randn(100):type(tp)"""
    )
    try:
        for threads in (1, 2):
            rt.execute(f"torch.setnumthreads({threads})")
            assert calls(rt, "r1 = x:clone():add(y)") == 1
            assert calls(rt, "r2 = x:clone():add(1, y)") == 1
            assert calls(rt, "small:add(small:clone())") == 1
            assert calls(rt, "small:narrow(1, 1, 1):add(small:narrow(1, 2, 1))") == 0
            assert calls(rt, "local m = torch.randn(4, 6):type(tp); m:add(m:clone())") == 1
            assert calls(rt, "local m = torch.randn(4, 6):type(tp); m:t():add(m:clone():t())") == 0
            # y overlapping x other than exactly: Python's path
            overlap = "local z = x:clone(); z:narrow(1, 2, n - 1):add(z:narrow(1, 1, n - 1))"
            assert calls(rt, overlap) == 0
            assert lib.openblas_get_num_threads() == before
            rt.execute("torch._blas.enabled = false; r3 = x:clone():add(y)")
            rt.execute("torch._blas.enabled = true")
            assert rt.execute("return r1:equal(r3) and r2:equal(r3)")[0] is True
    finally:
        rt.execute(f"torch.setnumthreads({before})")


def test_lua_never_calls_blas_while_python_holds_the_lock() -> None:
    """While another thread is inside BLAS (Python holds the shared mutex), Lua leaves the call
    to Python, which waits for the mutex; the result is the same once it is released."""
    rt = Runtime(write=lambda s: None)
    rt.execute(
        """torch.manualSeed(5)
        a, b, r = torch.randn(30, 20), torch.randn(20, 10), torch.Tensor(30, 10)
        expected = torch.mm(a, b)"""
    )
    done: list = []

    def work() -> None:
        done.append(calls(rt, "r:mm(a, b)"))

    with blas._LOCK:
        t = threading.Thread(target=work)
        t.start()
        time.sleep(0.3)
        assert t.is_alive()  # waiting for the mutex in Python's call
    t.join(30)
    assert done == [0]
    assert rt.execute("return r:equal(expected)")[0] is True


def test_runtimes_on_two_threads_share_blas_safely() -> None:
    """Two runtimes on two threads, Lua's BLAS calls and Python's at the same time: every
    result equals the one computed alone."""
    code = """
        torch.manualSeed(%d)
        local a, b = torch.randn(64, 48), torch.randn(48, 32)
        local x = torch.randn(48)
        local expected, expectedV = torch.mm(a, b), torch.mv(a, x)
        local bad = 0
        for i = 1, 300 do
           torch._blas.enabled = i %% 3 ~= 0  -- every third call through Python
           if not torch.mm(a, b):equal(expected) then bad = bad + 1 end
           if not torch.mv(a, x):equal(expectedV) then bad = bad + 1 end
        end
        torch._blas.enabled = true
        return bad
    """
    results: dict[int, int] = {}

    def work(seed: int) -> None:
        rt = Runtime(write=lambda s: None)
        results[seed] = int(rt.execute(code % seed)[0])

    threads = [threading.Thread(target=work, args=(s,)) for s in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert results == {1: 0, 2: 0}


def test_linear_stays_in_lua_without_memory_growth(rt: Runtime) -> None:
    """nn.Linear forward and backward on vectors and batches: every BLAS call made from Lua,
    Lua's heap flat over many iterations (views and temporary buffers are collected)."""
    rt.execute(
        """require 'nn'
        lin = nn.Linear(3, 4)
        x, go = torch.randn(3), torch.randn(4)
        X, GO = torch.randn(5, 3), torch.randn(5, 4)
        odd = torch.randn(5, 9):unfold(2, 1, 2):select(3, 1):narrow(2, 1, 4)  -- neither stride 1
        function loop(n)
           for i = 1, n do
              lin:forward(x); lin:backward(x, go)
              lin:forward(X); lin:backward(X, GO)
              odd:addmm(0.5, X, lin.weight:t())
           end
           collectgarbage(); collectgarbage()
           return collectgarbage('count')
        end"""
    )
    # vector: addmv, addmv, addr (gradBias:add(1, y) is a plain sum); batch: addmm, addr,
    # addmm, addmm, addmv; then one addmm into a result BLAS cannot write (TH's clone)
    assert calls(rt, "loop(1)") == 9
    # Lua's bookkeeping tables grow to a high-water mark first (a weak table's hash part doubles
    # when more garbage views are alive between two collections than before: +300-600 KB at
    # random points of a long run); then the heap is flat, and so are the Python objects Lua
    # holds. A leak of even 4 bytes an iteration raises every batch's count by 64 KB or more,
    # so the heap must settle: two batches in a row within 64 KB
    rt.execute("loop(20000)")
    held = len(rt.bindings.anchors)
    counts = [rt.execute("return loop(20000)")[0]]

    def settled() -> bool:
        return any(later < count + 64 for count, later in zip(counts, counts[1:], strict=False))

    while len(counts) < 6 and not settled():
        counts.append(rt.execute("return loop(20000)")[0])
    assert settled(), counts  # KB
    assert len(rt.bindings.anchors) <= held + 8


def test_ffi_stays_off_with_another_blas() -> None:
    env = dict(os.environ, LUATORCH_BLAS="numpy", PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-m", "luatorch", "-e",
         "print(torch._blas.enabled, torch.mm(torch.ones(2, 3), torch.ones(3, 2))[1][1])"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert out.stdout.split() == ["false", "3"], out.stderr


def test_an_interrupt_inside_a_call_never_leaves_the_mutex_held() -> None:
    """An interrupt raised by a debug hook at any point of calls made from Lua (every few
    instructions, interpreted) never leaves the mutex held past the next BLAS call: taken by
    the interrupted thread itself, it is freed by that call (Python's lock answers EDEADLK
    instead of waiting forever)."""
    import ctypes

    libc = ctypes.CDLL(None)
    libc.pthread_mutex_trylock.argtypes = libc.pthread_mutex_unlock.argtypes = [ctypes.c_void_p]
    rt = Runtime(write=lambda s: None)
    rt.execute(
        """torch.manualSeed(2)
        -- strides TH copies first
        a = torch.randn(5, 7):unfold(2, 1, 2):select(3, 1)
        c = torch.randn(5, 9):unfold(2, 1, 2):select(3, 1)
        b, v, w = torch.randn(5, 4), torch.randn(5), torch.randn(4)
        function interrupted(after)
           jit.off()
           local n, armed = 0, false
           debug.sethook(function()
              n = n + 1
              if armed and n == after then error('interrupted!') end
           end, '', 1)
           local ok, err = pcall(function()
              local r = torch.randn(5, 4):t()
              armed = true
              r:addmm(0.5, 2, b:t(), c)
              r:addr(0.5, w, v)
              v:addmv(0.5, 2, a, w)
              local d = r:t():dot(b) + v:dot(v)
              armed = false
              return d
           end)
           armed = false
           debug.sethook()
           jit.on()
           return ok, err
        end"""
    )
    address = ctypes.c_void_p(blas._LOCK.address)
    errors = 0
    for after in range(1, 1500, 7):
        ok, err = rt.execute(f"return interrupted({after})")
        if not ok:
            assert "interrupted!" in str(err)
            errors += 1
        rt.execute("torch._blas.enabled = false; torch.mm(b:t(), b); torch._blas.enabled = true")
        assert libc.pthread_mutex_trylock(address) == 0, after
        libc.pthread_mutex_unlock(address)
    assert errors > 50
    assert calls(rt, "local r = torch.randn(4, 4); r:addmm(b:t(), b)") == 1


def test_python_path_keeps_a_strided_result_in_place(rt: Runtime) -> None:
    """The Python methods resize a result to the size it already has without touching its
    strides (TH's early return): r:mv into a column of a matrix writes that column."""
    rt.execute("torch._blas.enabled = false")
    try:
        got = rt.execute(
            """local x = torch.zeros(4, 3)
            local r = x:select(2, 2)
            r:mv(torch.eye(4), torch.Tensor({10, 20, 30, 40}))
            return r:stride(1), x:select(2, 2):sum(), x:sum()"""
        )
    finally:
        rt.execute("torch._blas.enabled = true")
    assert got == (3, 100, 100)


def _serial_shapes(rt: Runtime, real: str) -> int:
    return int(
        rt.execute(
            f"local n = 0; for _, row in pairs(torch._blas.serial.{real} or {{}}) do "
            "for _ in pairs(row) do n = n + 1 end end; return n"
        )[0]
    )


@pytest.mark.parametrize("tp", ["torch.DoubleTensor", "torch.FloatTensor"])
def test_threaded_shapes_on_one_thread_keep_the_librarys_bits(rt: Runtime, tp: str) -> None:
    """gemm, gemv and ger calls OpenBLAS would thread (an LSTM's 32 x 64 x 512 and
    32 x 128 x 512 products, its bias gradient and bias rows, and shapes whose one-thread
    results differ on OpenBLAS 0.3.21) give, bit for bit, what Python's path computes on the
    library's own thread count; the count is given back; each shape is probed once."""
    lib = blas._backend.lib
    before = lib.openblas_get_num_threads()
    real = "double" if "Double" in tp else "float"
    rt.execute(
        f"""tp = '{tp}'
        torch.manualSeed(7)
        shapes = {{{{32, 64, 512}}, {{32, 128, 512}}, {{127, 117, 95}}, {{69, 144, 126}},
                   {{29, 55, 441}}, {{441, 55, 29}}, {{100, 100, 100}}, {{33, 257, 65}}}}
        function products()
           local out = {{}}
           for i, s in ipairs(shapes) do
              torch.manualSeed(i)
              local a, b = torch.randn(s[1], s[2]):type(tp), torch.randn(s[2], s[3]):type(tp)
              local c = torch.randn(s[1], s[3]):type(tp)
              out[#out + 1] = torch.mm(a, b)
              out[#out + 1] = c:clone():addmm(0.5, c, -2, a, b)
              out[#out + 1] = torch.mm(b:t(), a:t())
              out[#out + 1] = torch.Tensor(s[3], s[1]):type(tp):zero():addmm(b:t(), a:t())
           end
           torch.manualSeed(99)
           local g, ones = torch.randn(32, 512):type(tp), torch.ones(32):type(tp)
           local bias, m = torch.randn(512):type(tp), torch.randn(300, 200):type(tp)
           out[#out + 1] = torch.randn(512):type(tp):addmv(0.25, g:t(), ones)
           out[#out + 1] = torch.mv(m, torch.randn(200):type(tp))
           out[#out + 1] = torch.mv(m:t(), torch.randn(300):type(tp))
           out[#out + 1] = torch.randn(32, 512):type(tp):addr(1, ones, bias)
           out[#out + 1] = torch.randn(300, 200):type(tp):addr(-0.5, m:select(2, 1), m[7])
           return out
        end"""
    )
    assert calls(rt, "fast = products()") == 8 * 4 + 5
    assert lib.openblas_get_num_threads() == before
    probed = _serial_shapes(rt, real)
    if before > 1:
        assert probed > 0
    # the same calls again: no new probes, the same results
    assert calls(rt, "again = products()") == 8 * 4 + 5
    assert _serial_shapes(rt, real) == probed
    rt.execute("torch._blas.enabled = false; slow = products(); torch._blas.enabled = true")
    same = rt.execute(
        """local bad = {}
        for i = 1, #fast do
           if not (fast[i]:equal(slow[i]) and again[i]:equal(slow[i])) then bad[#bad + 1] = i end
        end
        return table.concat(bad, ',')"""
    )[0]
    assert same == ""
    assert lib.openblas_get_num_threads() == before

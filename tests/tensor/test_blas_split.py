"""Mid-size gemm calls cut in two, one part on the native pool's worker (lua/torch/blas.lua,
scripts/native/pool.c): the bits of the call as the library makes it on its own thread count
on every shape tried (under the kernels this CPU picks and under the Haswell ones the stored
Torch7 outputs were recorded with), each shape probed once, and the other paths (one thread,
a busy pool, LUATORCH_NATIVE=0) giving the same bits."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from pathlib import Path

import pytest

from luatorch.runtime import Runtime
from luatorch.tensor import blas, native

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    blas.ffi_binding() is None or native.code() is None or not blas._backend.threads,
    reason="the split needs the system OpenBLAS and the native pool",
)

# (rows of the product, inner dimension, columns): an LSTM's gates (32 x 64 x 512 and
# 32 x 128 x 512, forward and backward), odd sizes, thin and square products
SHAPES = [
    (32, 64, 512), (32, 128, 512), (32, 512, 64), (32, 512, 128), (512, 32, 64),
    (512, 32, 128), (64, 800, 100), (127, 117, 95), (33, 257, 65), (100, 100, 100),
    (200, 40, 70), (17, 300, 90), (90, 300, 17), (48, 48, 600), (160, 160, 160),
]  # fmt: skip

# products(): every shape as each of TH's layouts (result row- or column-major, operands either
# way, so that gemm sees every pair of transposes), beta 0, 1 and another, alpha 1 and another,
# a result BLAS cannot write (a clone), and a batch (bmm)
PRODUCTS = """
shapes = {%s}
function products(tp)
   local out = {}
   for i, s in ipairs(shapes) do
      local m, k, n = s[1], s[2], s[3]
      torch.manualSeed(i)
      local a, b = torch.randn(m, k):type(tp), torch.randn(k, n):type(tp)
      local at, bt = torch.randn(k, m):type(tp):t(), torch.randn(n, k):type(tp):t()
      local c = torch.randn(m, n):type(tp)
      out[#out + 1] = torch.mm(a, b)
      out[#out + 1] = torch.mm(at, bt)
      out[#out + 1] = torch.mm(a, bt)
      out[#out + 1] = c:clone():addmm(c, at, b)
      out[#out + 1] = c:clone():addmm(0.5, c, -2, a, b)
      out[#out + 1] = torch.randn(n, m):type(tp):t():addmm(a, bt)
      out[#out + 1] = torch.randn(n, m):type(tp):t():addmm(0, 3, at, b)
      local strided = torch.randn(m, 2 * n):type(tp):unfold(2, 1, 2):select(3, 1)
      out[#out + 1] = strided:addmm(a, b)
      out[#out + 1] = torch.bmm(a:view(1, m, k):expand(2, m, k):contiguous(),
                                b:view(1, k, n):expand(2, k, n):contiguous())
   end
   return out
end
function compare(x, y)
   local bad = {}
   for i = 1, #x do
      if not x[i]:equal(y[i]) then bad[#bad + 1] = i end
   end
   return table.concat(bad, ',')
end
""" % ", ".join("{%d, %d, %d}" % s for s in SHAPES)  # noqa: UP031


def _split_shapes(rt: Runtime, real: str) -> tuple[int, int]:
    """(shapes probed for the split, shapes found to split)"""
    got = rt.execute(
        f"local n, yes = 0, 0; for _, row in pairs(torch._blas.split.{real} or {{}}) do "
        "for _, v in pairs(row) do n = n + 1; if v then yes = yes + 1 end end end; return n, yes"
    )
    return int(got[0]), int(got[1])


@pytest.mark.parametrize("tp", ["torch.DoubleTensor", "torch.FloatTensor"])
def test_split_products_keep_the_librarys_bits(tp: str) -> None:
    rt = Runtime(write=lambda s: None)
    real = "double" if "Double" in tp else "float"
    lib = blas._backend.lib
    before = lib.openblas_get_num_threads()
    rt.execute(PRODUCTS + "torch.setnumthreads(2); torch._blas.splitLeast = 1")
    assert rt.execute("return torch._blas.gemmJob")[0] == native.KINDS["gemm"]
    seq = native.code().pool.seq
    rt.execute(f"fast = products('{tp}')")
    assert lib.openblas_get_num_threads() == before  # given back after every call
    probed, split = _split_shapes(rt, real)
    assert probed > 0 and split > 0
    assert native.code().pool.seq > seq  # parts were posted to the worker
    rt.execute(f"again = products('{tp}')")
    assert _split_shapes(rt, real) == (probed, split)  # each shape probed once
    # the reference: Python's calls, on the library's own count as Torch7's process
    rt.execute(f"torch._blas.enabled = false; slow = products('{tp}'); torch._blas.enabled = true")
    assert rt.execute("return compare(fast, slow), compare(again, slow)") == ("", "")


def test_the_other_paths_give_the_same_bits() -> None:
    """One thread (no split), a pool another caller is using (every part on the calling
    thread, the same calls) and the split itself agree."""
    rt = Runtime(write=lambda s: None)
    tp = "torch.DoubleTensor"
    rt.execute(PRODUCTS + "torch._blas.splitLeast = 1; torch.setnumthreads(2)")
    rt.execute(f"split = products('{tp}')")
    assert _split_shapes(rt, "double")[1] > 0
    pool = native.code().pool
    seq = pool.seq
    rt.execute(f"torch.setnumthreads(1); single = products('{tp}'); torch.setnumthreads(2)")
    assert pool.seq == seq  # nothing posted on one thread
    pool.busy = 1  # as if another thread's split held the pool
    try:
        rt.execute(f"busy = products('{tp}')")
        assert pool.seq == seq  # run here, part after part
    finally:
        pool.busy = 0
    assert rt.execute("return compare(split, single), compare(split, busy)") == ("", "")


def _run(env: dict[str, str], code: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=600
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


# in a fresh process: the split products against Python's calls, and how many shapes split
CHILD = (
    "PRODUCTS = "
    + repr(PRODUCTS)
    + """
from luatorch.runtime import Runtime
rt = Runtime(write=lambda s: None)
rt.execute(PRODUCTS + "torch._blas.splitLeast = 1; torch.setnumthreads(2)")
rt.execute("fast = products('torch.DoubleTensor'); ffast = products('torch.FloatTensor')")
rt.execute("torch._blas.enabled = false; slow = products('torch.DoubleTensor')")
rt.execute("fslow = products('torch.FloatTensor'); torch._blas.enabled = true")
bad = rt.execute("return compare(fast, slow) .. ';' .. compare(ffast, fslow)")[0]
n = rt.execute("local n = 0; for _, s in pairs(torch._blas.split) do for _, row in pairs(s) do "
               "for _, v in pairs(row) do if v then n = n + 1 end end end end; return n")[0]
print(bad, int(n))
"""
)


@pytest.mark.parametrize("core", ["Haswell", "SkylakeX"])
def test_split_bits_under_other_kernels(core: str) -> None:
    """The probe decides per kernel set: under the recording's Haswell kernels and under the
    AVX-512 ones (whose small-matrix kernels some parts take) every product keeps its bits."""
    if core == "SkylakeX" and "avx512f" not in Path("/proc/cpuinfo").read_text():
        pytest.skip("no AVX-512 here")
    env = dict(os.environ, OPENBLAS_CORETYPE=core, PYTHONPATH=str(ROOT))
    bad, n = _run(env, CHILD).split()
    assert bad == ";"
    assert int(n) > 0


def test_native_off_leaves_gemm_unsplit() -> None:
    env = dict(os.environ, LUATORCH_NATIVE="0", PYTHONPATH=str(ROOT))
    bad, n = _run(env, CHILD).split()
    assert bad == ";"
    assert n == "0"


def test_worker_parts_run_while_python_waits_for_the_mutex() -> None:
    """A Python thread's BLAS call waits for the mutex a split holds (the worker's part included)
    and both results stay right."""
    import threading

    import numpy as np

    rt = Runtime(write=lambda s: None)
    rt.execute(PRODUCTS + "torch._blas.splitLeast = 1; torch.setnumthreads(2)")
    rt.execute("ref = products('torch.DoubleTensor')")
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(300, 200)), rng.normal(size=(200, 100))
    want = np.zeros((300, 100))
    blas.gemm(want, 1.0, a, b, 0.0)
    errors = []

    def python_side() -> None:
        for _ in range(40):
            c = np.zeros((300, 100))
            blas.gemm(c, 1.0, a, b, 0.0)
            if not np.array_equal(c, want):
                errors.append(1)

    t = threading.Thread(target=python_side)
    t.start()
    for _ in range(3):
        assert rt.execute("return compare(products('torch.DoubleTensor'), ref)")[0] == ""
    t.join(120)
    assert not errors
    address = ctypes.c_void_p(blas._LOCK.address)
    libc = ctypes.CDLL(None)
    assert libc.pthread_mutex_trylock(address) == 0  # left free
    libc.pthread_mutex_unlock(address)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork")
def test_a_forked_child_splits_on_the_pool_lua_holds() -> None:
    """After fork the pool is cleared where it is: the child's Lua, which keeps its address,
    posts to it (no worker there: the caller runs both parts) and gets the same bits."""
    rt = Runtime(write=lambda s: None)
    rt.execute(PRODUCTS + "torch._blas.splitLeast = 1; torch.setnumthreads(2)")
    rt.execute("ref = products('torch.DoubleTensor')")
    assert _split_shapes(rt, "double")[1] > 0
    pid = os.fork()
    if pid == 0:
        ok = False
        try:
            before = rt.execute("return torch._blas.splitCalls")[0]
            bad = rt.execute("return compare(products('torch.DoubleTensor'), ref)")[0]
            after = rt.execute("return torch._blas.splitCalls")[0]
            pool = native.code().pool  # the one Lua posted to: cleared at fork, then used
            ok = bad == "" and after > before and pool.seq > 0 and pool.busy == 0
        finally:
            os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_call_shape_flags() -> None:
    # alpha 1 or not, beta 0, 1 or other: one number each, -0 as 0, any other value (fractions,
    # negatives, huge, NaN) as "other"
    rt = Runtime(write=lambda s: None)
    got = rt.execute(
        "local f, out = torch._blas.flags, {}\n"
        "for _, ab in ipairs({{1, 0}, {1, 1}, {1, -0}, {1, 0.5}, {1, 2}, {1, -1}, {0, 0},"
        " {2, 1}, {-1, 3}, {0.5, 1e300}, {0 / 0, 0 / 0}, {1, 0 / 0}}) do\n"
        "   out[#out + 1] = f(ab[1], ab[2])\n"
        "end\n"
        "return table.concat(out, ' ')"
    )[0]
    assert got == "0 2 0 4 4 4 1 3 5 5 5 4"

"""The process stays small: what ``require 'nn'`` loads, what kernels keep as scratch, how much
garbage Lua code may leave before a collection frees it (issue 21: peak RSS within Torch7's
+ 30 MB; ``scripts/bench_memory.py`` measures the benchmarks)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import tracemalloc

import numpy as np
import pytest

from luatorch.runtime import Runtime
from luatorch.runtime.bindings.gc_pacing import GC_EVERY_BYTES
from luatorch.tensor import threadpool
from luatorch.tensor.core import Tensor
from luatorch.tensor.random import Generator
from luatorch.thnn import activation, conv, pool

# each costs resident memory in every process that imports it (numpy.random 2.4 MB, OpenSSL
# through secrets/hashlib 3.5 MB; subprocess through ctypes.util 0.5 MB, logging through
# concurrent.futures 0.6 MB, decimal 0.3 MB) and none is needed to run nn code
HEAVY = [
    "numpy.random", "secrets", "hashlib", "numexpr", "scipy", "google.protobuf", "subprocess",
    "logging", "concurrent.futures", "decimal",
]  # fmt: skip

PROBE = """
import json, sys
from luatorch.runtime import Runtime
rt = Runtime(write=lambda s: None)
rt.execute('''
require 'nn'
torch.manualSeed(123)
local m = nn.Sequential():add(nn.Linear(10, 20)):add(nn.Tanh())
local x = torch.randn(4, 10)
m:backward(x, m:forward(x))
local r = torch.rand(100):uniform() + torch.random(5) + torch.normal() + torch.randperm(10)[1]
local s = torch.getRNGState(); torch.setRNGState(s)
''')
print(json.dumps(sorted(m for m in HEAVY if m in sys.modules)))
print(json.dumps(sorted(m for m in LAZY if m in sys.modules)))
"""


# kernel families a Linear/Tanh network does not call: imported on a kernel's first call; and
# the backends of packages nn code does not require: imported when Lua first asks for a name
LAZY = [
    "luatorch.thnn.conv", "luatorch.thnn.pool", "luatorch.thnn.recurrent",
    "luatorch.packages.image_backend", "luatorch.packages.threads_backend",
    "luatorch.packages.tds_backend", "luatorch.packages.hdf5_backend",
    "luatorch.packages.loadcaffe_backend",
]  # fmt: skip


def test_nn_code_loads_no_heavy_module() -> None:
    code = f"HEAVY = {HEAVY!r}\nLAZY = {LAZY!r}\n" + PROBE
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    heavy, lazy = out.stdout.strip().splitlines()[-2:]
    assert json.loads(heavy) == []
    assert json.loads(lazy) == []


def test_lazy_backends_answer_their_names() -> None:
    """A name of a backend not yet imported is found (its whole backend joins the py table);
    a name no backend has is nil, and then every backend is in."""
    rt = Runtime(write=lambda s: None)
    found = rt.execute(
        "local py = torch._py; local a = type(py.tds_hash_get) "
        "local b = rawget(py, 'tds_hash_set') ~= nil "
        "local c, d = py.no_such_binding, rawget(py, 'caffe_load') "
        "return a, b, c, getmetatable(py), type(rawget(py, 'display_b64_file'))"
    )
    assert found == ("userdata", True, None, None, "userdata")  # Python functions


def test_kernel_index_names_every_kernel() -> None:
    """The kernels Lua gets without importing their modules are exactly the kernels."""
    import importlib

    from luatorch import thnn

    every = thnn.kernels()
    found = thnn.index()
    assert found.keys() == every.keys()
    for name, module in found.items():
        assert getattr(importlib.import_module(f"luatorch.thnn.{module}"), name) is every[name]


def test_lazy_kernels_run() -> None:
    rt = Runtime(write=lambda s: None)
    rt.execute("require 'nn'")
    rt.execute("y = nn.SpatialMaxPooling(2, 2):forward(torch.range(1, 16):view(1, 4, 4))")
    assert [rt.eval(f"y[1][{i}][{j}]") for i in (1, 2) for j in (1, 2)] == [6, 8, 14, 16]


@pytest.mark.parametrize("seed", [1, 123, 2**32 + 5, 0])
def test_generator_words_are_numpys_mt19937(seed: int) -> None:
    """The engine (Python's own Mersenne Twister, state set word for word) against numpy's
    MT19937 from the same state: scalar and bulk draws, across twists, after a state
    round trip."""
    g = Generator(seed)
    ref = np.random.MT19937(0)
    st = g.get_state()
    key = np.frombuffer(st.key, dtype="<u4").astype(np.uint32)
    ref.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": 624}}
    got = [g.random() for _ in range(5)]
    got += g.random_array(619).tolist() + g.random_array(1).tolist()
    snap = g.get_state()
    got += g.random_array(2000).tolist()
    g.set_state(snap)
    again = g.random_array(2000).tolist()
    want = ref.random_raw(5 + 619 + 1 + 2000).tolist()
    assert got == want
    assert again == want[-2000:]
    assert g.random_array(0).tolist() == []
    assert g.random() == int(ref.random_raw())


def _tensor(a: np.ndarray) -> Tensor:
    t = Tensor("Double")
    t.resize(a.shape)
    t.arr[...] = a
    return t


def _peak_extra_bytes(fn) -> int:
    """Bytes fn allocates beyond what it started with, at its peak, run on a fresh thread
    (kernels' per-thread scratch starts empty there) with two kernel threads."""
    out: list[int] = []

    def run() -> None:
        threadpool.use_num_threads(2)
        tracemalloc.start()
        try:
            base = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
            fn()
            out.append(tracemalloc.get_traced_memory()[1] - base)
        finally:
            tracemalloc.stop()

    th = threading.Thread(target=run)
    th.start()
    th.join(120)
    return out[0]


# LeNet's first layers at batch 64 (../shared/bench/c_lenet_train.lua)
RNG = np.random.default_rng(0)
X1 = RNG.standard_normal((64, 32, 28, 28))


def test_threshold_backward_keeps_no_input_sized_mask() -> None:
    x, g, gi = _tensor(X1), _tensor(RNG.standard_normal(X1.shape)), _tensor(np.zeros(X1.shape))
    extra = _peak_extra_bytes(lambda: activation.Threshold_updateGradInput(x, g, gi, 0, 0, False))
    assert extra < X1.size // 4  # was a byte per element
    np.testing.assert_array_equal(gi.arr, np.where(X1 > 0, g.arr, 0.0))


def test_max_pooling_temporaries_are_bounded() -> None:
    x, out, idx = _tensor(X1), Tensor("Double"), Tensor("Long")
    extra = _peak_extra_bytes(
        lambda: pool.SpatialMaxPooling_updateOutput(x, out, idx, 2, 2, 2, 2, 0, 0, False)
    )
    out_bytes = out.arr.nbytes + idx.arr.nbytes
    assert extra - out_bytes < 3 * 2**20  # was 3.6 MB per thread
    np.testing.assert_array_equal(out.arr, X1.reshape(64, 32, 14, 2, 14, 2).max(axis=(3, 5)))


def test_convolution_grad_input_adds_no_scratch_without_padding() -> None:
    x = _tensor(RNG.standard_normal((64, 32, 14, 14)))
    w = _tensor(RNG.standard_normal((64, 32 * 25)))
    g = _tensor(RNG.standard_normal((64, 64, 10, 10)))
    gi, finput, fgi = Tensor("Double"), Tensor("Double"), Tensor("Double")
    args = (x, g, gi, w, finput, fgi, 5, 5, 1, 1, 0, 0)
    conv.SpatialConvolutionMM_updateGradInput(*args)  # sizes gradInput and fgradInput
    first = gi.arr.copy()
    extra = _peak_extra_bytes(lambda: conv.SpatialConvolutionMM_updateGradInput(*args))
    assert extra < 2**20  # was a transposed gradOutput and an input-sized sum: 6.5 MB
    np.testing.assert_array_equal(gi.arr, first)


def test_lua_garbage_is_freed_within_the_budget() -> None:
    """Tensors dropped in Lua wait for a collection, which runs every GC_EVERY_BYTES of new
    tensors: at most two budgets of garbage, and the budget is what kept the LSTM benchmark's
    peak within Torch7's + 30 MB."""
    rt = Runtime(write=lambda s: None)
    rt.execute("for i = 1, 20 do local t = torch.Tensor(131072) end collectgarbage()")
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        rt.execute("for i = 1, 300 do local t = torch.Tensor(131072):fill(i) end")  # 1 MB each
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert peak < 2 * GC_EVERY_BYTES + 8 * 2**20, peak / 2**20
    assert GC_EVERY_BYTES <= 32 * 2**20


def test_one_collection_frees_a_dropped_clone() -> None:
    """A clone's copied parameters die behind a chain of wrappers (the module's tensors, then
    their storage, each let go when the one before is gone): one collectgarbage() frees them
    all, as Torch7's does, instead of one link per collection (30 MB held here until the
    second; the LSTM benchmark's 50 clones peaked 30 MB higher)."""
    rt = Runtime(write=lambda s: None)
    rt.execute("require 'nn'; collectgarbage()")
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        rt.execute(
            "local m = nn.Linear(1000, 1000); local c = m:clone('weight', 'bias')"
            "; m, c = nil, nil; collectgarbage()"
        )
        left = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
    assert left < 2**20, left / 2**20


def test_a_heap_of_lua_tensors_keeps_little_garbage() -> None:
    """Tensors made in Lua live in Lua's heap. With 48 MB of them alive, Lua's own pacing let
    as much again of dead ones pile up before collecting (126 MB here); the pause is now set
    after each cycle from the heap without its tensor blocks, as Torch7's heap would pace."""
    rt = Runtime(write=lambda s: None)
    base, most, n = rt.execute(
        """
        local live = {}
        for i = 1, 1500 do live[i] = torch.Tensor(4096) end  -- 48 MB of blocks
        collectgarbage()
        local base = collectgarbage('count')
        local most = base
        for i = 1, 4000 do
           local t = torch.Tensor(4096)  -- 125 MB of garbage, 32 KB at a time
           most = math.max(most, collectgarbage('count'))
        end
        return base / 1024, most / 1024, #live
        """
    )
    assert n == 1500 and base > 48
    assert most - base < 12, (base, most)


def test_a_heap_of_tables_keeps_luas_pacing() -> None:
    """Without tensor blocks the pause is the program's: the heap doubles between cycles as
    in Lua (collecting sooner would cost every table-heavy program CPU time), and
    collectgarbage('setpause') reads and sets the program's value."""
    rt = Runtime(write=lambda s: None)
    base, most, old, now = rt.execute(
        """
        local live = {}
        for i = 1, 300000 do live[i] = {i, i + 1} end
        collectgarbage()
        local base = collectgarbage('count')
        local most = base
        for i = 1, 3000000 do
           local t = {i}
           if i % 1000 == 0 then most = math.max(most, collectgarbage('count')) end
        end
        local old = collectgarbage('setpause', 150)
        return base / 1024, most / 1024, old, collectgarbage('setpause', 200)
        """
    )
    assert most > 1.8 * base, (base, most)
    assert (old, now) == (200, 150)


def _retained_bytes(fn) -> int:
    """Bytes still allocated after fn returns (its outputs already sized), run on a fresh
    thread with two kernel threads."""
    out: list[int] = []

    def run() -> None:
        threadpool.use_num_threads(2)
        tracemalloc.start()
        try:
            base = tracemalloc.get_traced_memory()[0]
            fn()
            out.append(tracemalloc.get_traced_memory()[0] - base)
        finally:
            tracemalloc.stop()

    th = threading.Thread(target=run)
    th.start()
    th.join(120)
    return out[0]


def test_padded_convolution_keeps_no_mid_size_scratch() -> None:
    """The padded input and the col2im sum (4.6 MB each here) are not kept between calls."""
    x = _tensor(RNG.standard_normal((32, 64, 16, 16)))
    w = _tensor(RNG.standard_normal((64, 64 * 9)))
    b = _tensor(RNG.standard_normal(64))
    g = _tensor(RNG.standard_normal((32, 64, 16, 16)))
    y, gi, finput, fgi = (Tensor("Double") for _ in range(4))

    def step() -> None:
        conv.SpatialConvolutionMM_updateOutput(x, y, w, b, finput, fgi, 3, 3, 1, 1, 1, 1)
        conv.SpatialConvolutionMM_updateGradInput(x, g, gi, w, finput, fgi, 3, 3, 1, 1, 1, 1)

    step()
    first = (y.arr.copy(), gi.arr.copy())
    assert _retained_bytes(step) < 2**20
    np.testing.assert_array_equal(y.arr, first[0])
    np.testing.assert_array_equal(gi.arr, first[1])


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20


def test_collections_give_free_heap_pages_back_within_a_budget(monkeypatch) -> None:
    """After a collection, freed heap memory goes back to the OS while the trim budget lasts
    (trimmed pages reused cost page faults: the budget refills with CPU time)."""
    from luatorch.runtime.bindings import gc_pacing

    threadpool.init_default()  # as a runtime does: blocks under 32 MB come from the heap
    gc_pacing.after_collection()  # resolves glibc's functions
    if not gc_pacing._trim:
        pytest.skip("malloc_trim/mallinfo2 are glibc's (2.33 or later)")

    def freed_in_middle() -> None:
        # 48 one-MB blocks freed behind a live one: in the heap's middle, which only
        # malloc_trim gives back (glibc trims the top of the heap by itself)
        # (the highest of 49 stays: one made last may land in an older hole lower down, and
        # then the freed ones at the heap's top go back by themselves before the check)
        blocks = [np.ones(2**17) for _ in range(49)]
        top = max(range(len(blocks)), key=lambda i: blocks[i].ctypes.data)
        keep.append(blocks.pop(top))
        del blocks[:]

    keep: list[np.ndarray] = []
    monkeypatch.setattr(gc_pacing, "_budget", -1e18)  # spent for good
    freed_in_middle()
    before = _rss_mb()
    gc_pacing.after_collection()
    assert _rss_mb() > before - 8  # no budget: kept

    monkeypatch.setattr(gc_pacing, "_budget", float(gc_pacing.TRIM_BUDGET_MAX))
    monkeypatch.setattr(gc_pacing, "_budget_at", time.process_time())
    gc_pacing.after_collection()
    assert _rss_mb() < before - 24
    assert gc_pacing._budget < gc_pacing.TRIM_BUDGET_MAX - 24 * 2**20


def test_collections_trim_a_few_free_megabytes(monkeypatch) -> None:
    """A few MB of holes below live blocks (what a training loop's set-up leaves) go back too,
    not only what exceeds glibc's own 16 MB trim threshold."""
    from luatorch.runtime.bindings import gc_pacing

    threadpool.init_default()
    gc_pacing.after_collection()
    if not gc_pacing._trim:
        pytest.skip("malloc_trim/mallinfo2 are glibc's (2.33 or later)")
    monkeypatch.setattr(gc_pacing, "_budget", float(gc_pacing.TRIM_BUDGET_MAX))
    monkeypatch.setattr(gc_pacing, "_budget_at", time.process_time())
    gc_pacing.after_collection()  # what was free before: given back
    keep = []
    blocks = []
    for _ in range(6):  # 6 one-MB holes, each below a live block
        blocks.append(np.ones(2**17))
        keep.append(np.ones(2**10))
    del blocks[:]
    assert 4 * 2**20 < gc_pacing._trim[1]().fordblks < gc_pacing.TRIM_BUDGET_MAX
    # the first call spent the budget on what this long test process had free (in a full run,
    # tens of MB): give it a full budget again, this test is about the holes, not the pacing
    monkeypatch.setattr(gc_pacing, "_budget", float(gc_pacing.TRIM_BUDGET_MAX))
    monkeypatch.setattr(gc_pacing, "_budget_at", time.process_time())
    before = _rss_mb()
    gc_pacing.after_collection()
    assert _rss_mb() < before - 4
    assert len(keep) == 6


def test_convolution_acc_grad_parameters_holds_no_gradient_copy() -> None:
    x = _tensor(RNG.standard_normal((64, 3, 32, 32)))
    w, b = _tensor(RNG.standard_normal((32, 75))), _tensor(RNG.standard_normal(32))
    g = _tensor(RNG.standard_normal((64, 32, 28, 28)))
    y, finput, fgi = Tensor("Double"), Tensor("Double"), Tensor("Double")
    conv.SpatialConvolutionMM_updateOutput(x, y, w, b, finput, fgi, 5, 5, 1, 1, 0, 0)
    gw, gb = _tensor(np.zeros((32, 75))), _tensor(np.zeros(32))
    args = (x, g, gw, gb, finput, fgi, 5, 5, 1, 1, 0, 0, 1.0)
    extra = _peak_extra_bytes(lambda: conv.SpatialConvolutionMM_accGradParameters(*args))
    assert extra < 2 * 2**20  # an accumulate over the whole gradient: 12.8 MB
    # THNN: each plane's sum in order, frame after frame
    want = np.zeros(32)
    for frame in g.arr.reshape(64, 32, -1):
        want += np.add.accumulate(frame, axis=1)[:, -1]
    np.testing.assert_array_equal(gb.arr, want)


def test_thread_probe_leaves_no_heap_behind() -> None:
    """blas's probe of whether a gemm shape gives the same bits on one thread (run at a
    layer's first backward, near the step's peak) takes its operands from memory mapped apart,
    unmapped when dropped: no heap holes (LeNet's second layer: 3.5 MB of them, on top of
    the benchmark's peak until the next trim)."""
    from luatorch.tensor import blas

    call = ("n", "n", 100, 800, 64, 1.0, 100, 64, 0.0, 100, np.dtype(np.float64))
    key = call[:-1] + (call[-1].char,)
    found: list[bool] = []

    def probe() -> None:
        blas._INVARIANT.pop(key, None)
        found.append(blas._backend.thread_invariant(*call))

    assert _peak_extra_bytes(probe) < 2**20  # the draws of one block of words
    assert found and isinstance(found[0], bool)
    # the same answer as operands made the plain way (from the heap)
    if blas._backend.threads > 1:
        lib = blas._backend.lib
        rng = np.random.default_rng(1)
        a = np.asfortranarray(rng.standard_normal((100, 64)))
        b = np.asfortranarray(rng.standard_normal((64, 800)))
        c1 = np.asfortranarray(rng.standard_normal((100, 800)))
        c2 = c1.copy(order="F")
        blas._backend.gemm_unlocked("n", "n", 100, 800, 64, 1.0, a, 100, b, 64, 0.0, c1, 100)
        lib.openblas_set_num_threads(1)
        try:
            blas._backend.gemm_unlocked("n", "n", 100, 800, 64, 1.0, a, 100, b, 64, 0.0, c2, 100)
        finally:
            lib.openblas_set_num_threads(blas._backend.threads)
        assert found[0] == (c1.tobytes() == c2.tobytes())


def test_convolution_bias_gradient_leaves_no_lua_garbage() -> None:
    """The bias sums' LuaJIT loop walks rows by element offsets: a pointer per row was a
    cdata left for the collector (LeNet's two layers: 144 KB of Lua garbage a step, which
    grew the benchmark's heap and peak by 3 MB before Lua's collector came)."""
    rt = Runtime(write=lambda s: None)
    per_call = rt.execute(
        """
        require 'nn'
        local m = nn.SpatialConvolution(8, 64, 3, 3)
        local x = torch.randn(16, 8, 6, 6)
        local g = torch.randn(16, 64, 4, 4)
        m:forward(x)
        for i = 1, 3 do m:accGradParameters(x, g) end
        collectgarbage()
        collectgarbage('stop')
        local before = collectgarbage('count')
        for i = 1, 20 do m:accGradParameters(x, g) end
        local kb = (collectgarbage('count') - before) / 20
        collectgarbage('restart')
        return kb
        """
    )[0]
    assert per_call < 4, per_call  # KB; 1024 rows of a pointer each: 24 KB


CONV_PROBE = """
import json, sys
from luatorch.runtime import Runtime
rt = Runtime(write=lambda s: None)
rt.execute('''
require 'nn'
local m = nn.SpatialConvolution(3, 32, 5, 5)
local x = torch.randn(64, 3, 32, 32)
m:backward(x, m:forward(x):clone():fill(1))
local y = nn.LogSoftMax():forward(torch.randn(4, 100)) + torch.randn(2000):exp():sum()
''')
print(json.dumps(sorted(m for m in HEAVY if m in sys.modules)))
"""


def test_convolution_training_loads_no_heavy_module() -> None:
    """A convolution's first backward probes BLAS's one-thread bits, and the vectorised exp
    (LogSoftMax, exp) checks itself, with luatorch's own generator: numpy.random's seeding
    loaded OpenSSL, 6 MB in LeNet's process."""
    code = f"HEAVY = {HEAVY!r}\n" + CONV_PROBE
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


@pytest.mark.parametrize("fill", ["uniform(-0.1, 0.1)", "normal(0, 2)"])
def test_random_fills_draw_in_place(fill: str) -> None:
    """t:uniform() and t:normal() on a contiguous tensor write its elements a block of draws
    at a time: a double array of t's size beside it left a 3 MB hole in the C heap after
    LeNet's Linear(1600, 256) weights (and randn's logs and sines 3.3 MB more)."""
    rt = Runtime(write=lambda s: None)
    rt.execute("t = torch.Tensor(256, 1600); torch.manualSeed(3)")
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        rt.execute(f"t:{fill}")
        extra = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert extra < 2**20, extra / 2**20  # the tensor is 3.1 MB
    # the same values as a fill of a non-contiguous tensor (drawn whole, then copied)
    same = rt.eval(
        f"(function() torch.manualSeed(3); local u = torch.Tensor(1600, 256):t():{fill}; "
        "return u:clone():add(-1, t):abs():max() == 0 and u:isSameSizeAs(t) end)()"
    )
    assert same is True


def test_col2im_table_is_one_frames() -> None:
    """The first layer's gradient sums its columns back through one frame's table of targets
    (0.45 MB here), built without full-size temporaries: a two-frame chunk's table kept
    0.9 MB, and building it held 1.8 MB more."""
    x = _tensor(RNG.standard_normal((64, 3, 32, 32)))
    w = _tensor(RNG.standard_normal((32, 75)))
    g = _tensor(RNG.standard_normal((64, 32, 28, 28)))
    gi, finput, fgi = Tensor("Double"), Tensor("Double"), Tensor("Double")
    args = (x, g, gi, w, finput, fgi, 5, 5, 1, 1, 0, 0)
    conv.SpatialConvolutionMM_updateGradInput(*args)  # sizes gradInput and fgradInput
    first = gi.arr.copy()
    conv._COL2IM_TABLES.clear()
    kept = _retained_bytes(lambda: conv.SpatialConvolutionMM_updateGradInput(*args))
    assert kept < 600_000, kept
    conv._COL2IM_TABLES.clear()
    peak = _peak_extra_bytes(lambda: conv.SpatialConvolutionMM_updateGradInput(*args))
    assert peak < 1_000_000, peak
    np.testing.assert_array_equal(gi.arr, first)

"""Runtimes and Python threads.

Two runtimes in two threads at once are independent: each gets the results (random numbers
included) it would get alone. One runtime shared by several threads is safe: lupa holds the
runtime's lock for a whole call into Lua and releases the GIL while waiting for it, so calls are
serialized (never interleaved inside Lua) and nothing deadlocks, even when kernels run on the
thread pool or a binding re-enters Lua to collect garbage.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from luatorch.runtime import Runtime

TIMEOUT = 120

WORK = """
torch.manualSeed(%(seed)d)
require 'nn'
local m = nn.Sequential():add(nn.Linear(20, 30)):add(nn.Tanh()):add(nn.Linear(30, 5))
local c = nn.MSECriterion()
local x, y = torch.randn(16, 20), torch.randn(16, 5)
local loss = 0
for i = 1, 40 do
   loss = c:forward(m:forward(x), y)
   m:zeroGradParameters()
   m:backward(x, c:backward(m.output, y))
   m:updateParameters(0.05)
   local big = torch.rand(300, 300)  -- large enough for the parallel kernels
   loss = loss + torch.mm(big, big):sum() * 0
end
return loss, torch.rand(1)[1], torch.normal(0, 1)
"""


def run_threads(targets: list[Callable[[], Any]]) -> list[Any]:
    """Start all targets at once (a barrier), join with a timeout; results or exceptions."""
    results: list[Any] = [None] * len(targets)
    barrier = threading.Barrier(len(targets))

    def body(i: int) -> None:
        barrier.wait()
        try:
            results[i] = targets[i]()
        except BaseException as e:  # noqa: BLE001 - reported by the test
            results[i] = e

    threads = [threading.Thread(target=body, args=(i,), daemon=True) for i in range(len(targets))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT)
    assert not any(t.is_alive() for t in threads), "deadlock: a thread never finished"
    for r in results:
        if isinstance(r, BaseException):
            raise r
    return results


def alone(seed: int) -> tuple:
    return run_threads([lambda: Runtime(write=lambda s: None).execute(WORK % {"seed": seed})])[0]


def test_two_runtimes_two_threads_match_single_runs() -> None:
    # in a fresh process, so that the threads are all this checks (a long optim.Logger:plot
    # loop earlier in the process once made these losses differ: Linear's gradBias read a
    # freed block's old contents, tests/nn/test_kernel_buffers.py)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import test_threads as t; "
        "t.check_two_runtimes_two_threads_match_single_runs()"
    )
    here = str(Path(__file__).resolve().parent)
    proc = subprocess.run(
        [sys.executable, "-c", code, here], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-2000:]


def check_two_runtimes_two_threads_match_single_runs() -> None:
    expected = {seed: alone(seed) for seed in (1, 2)}
    assert expected[1] != expected[2]

    def job(seed: int) -> Callable[[], tuple]:
        return lambda: Runtime(write=lambda s: None).execute(WORK % {"seed": seed})

    for _ in range(2):
        got = run_threads([job(1), job(2), job(1)])
        assert got == [expected[1], expected[2], expected[1]]


def test_threads_have_their_own_default_generator() -> None:
    rt = Runtime(write=lambda s: None)
    rt.execute("torch.manualSeed(7)")
    first = rt.eval("torch.rand(1)[1]")
    rt.execute("torch.manualSeed(7)")
    # another thread seeding and drawing does not move this thread's stream
    run_threads(
        [
            lambda: Runtime(write=lambda s: None).execute(
                "torch.manualSeed(7); return torch.rand(1000):sum()"
            )
        ]
    )
    assert rt.eval("torch.rand(1)[1]") == first


@pytest.mark.parametrize("nthreads", [2, 4])
def test_one_runtime_shared_by_threads_is_serialized(nthreads: int) -> None:
    rt = Runtime(write=lambda s: None)
    rt.execute("require 'nn'; counter = 0")
    # a Lua function called directly from Python (lupa's call path, not Runtime.call)
    bump = rt.eval("""function(k, n)
       for i = 1, n do
          local c = counter
          local a = torch.Tensor(200, 200):fill(k)
          -- a kernel between read and write: interleaving threads would lose updates
          local s = torch.mm(a, a):sum()
          assert(s == k * k * 200 * 200 * 200, 'wrong mm result')
          counter = c + 1
       end
       return counter
    end""")

    def job(k: int) -> Callable[[], None]:
        def run() -> None:
            for _ in range(5):
                bump(k, 10)
                (v,) = rt.execute(
                    f"local a = torch.rand(250, 250):fill({k}) "
                    "collectgarbage() return torch.mm(a, a):sum()"
                )
                assert v == k * k * 250**3

        return run

    run_threads([job(k) for k in range(1, nthreads + 1)])
    assert rt.eval("counter") == nthreads * 5 * 10
    assert rt.eval("torch.ones(3):sum()") == 3


def test_shared_runtime_errors_stay_in_their_thread() -> None:
    rt = Runtime(write=lambda s: None)

    def failing() -> int:
        n = 0
        for _ in range(200):
            ok, msg = rt.execute(
                "return pcall(function() torch.Tensor(2):add(torch.Tensor(3)) end)"
            )
            n += not ok and "size" in msg
        return n

    def working() -> float:
        return sum(rt.eval("torch.Tensor{1, 2, 3}:sum()") for _ in range(200))

    assert run_threads([failing, working, failing]) == [200, 1200.0, 200]

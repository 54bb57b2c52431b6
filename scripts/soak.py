"""Soak test: long training with view/clone churn, a multi-GB tensor, a Lua table beyond 2 GB.

    python scripts/soak.py                         # the full run: 10^6 steps, 3 GB, 2.2 GB
    python scripts/soak.py --steps 200000 --every 20000 --tensor-gb 1 --table-gb 2.1

Prints resident memory (RSS) and the Lua heap every ``--every`` steps; exits 1 when memory grew
by more than ``--max-growth-mb`` between the first report and the last, or when freeing the big
tensor did not give its memory back.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from luatorch.runtime import Runtime

TRAIN = """
require 'nn'
torch.manualSeed(1)
local m = nn.Sequential():add(nn.Linear(10, 32)):add(nn.ReLU()):add(nn.Linear(32, 32))
   :add(nn.Tanh()):add(nn.Linear(32, 1))
local c = nn.MSECriterion()
local x, y = torch.randn(16, 10), torch.randn(16, 1)
local keep = {}
return function(n)
   local loss
   for i = 1, n do
      loss = c:forward(m:forward(x), y)
      m:zeroGradParameters()
      m:backward(x, c:backward(m.output, y))
      m:updateParameters(0.01)
      -- views, clones and temporaries, made and dropped every step; a few kept for a while
      local v = x:narrow(1, 1 + i % 8, 8):t():clone():contiguous():view(-1)
      local e = torch.Tensor(1, 10):fill(i % 3):expand(16, 10)
      local s = (v:view(10, 8):t() + e:narrow(1, 1, 8)):sum()
      keep[i % 64] = x:select(1, 1 + i % 16):clone()
   end
   return loss
end
"""


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--steps", type=int, default=10**6)
    ap.add_argument("--every", type=int, default=10**5)
    ap.add_argument("--tensor-gb", type=float, default=3.0)
    ap.add_argument("--table-gb", type=float, default=2.2)
    ap.add_argument("--max-growth-mb", type=float, default=50.0)
    opts = ap.parse_args()

    rt = Runtime(write=lambda s: None)
    heap_kb = rt.lua.eval(
        "function() collectgarbage(); collectgarbage(); return collectgarbage('count') end"
    )
    failures = []

    # ---------------------------------------------------------------- training loop
    (step,) = rt.execute(TRAIN, "=soak")
    print(f"start: RSS {rss_mb():.0f} MB, Lua heap {heap_kb() / 1024:.1f} MB", flush=True)
    reports = []
    done = 0
    t0 = time.perf_counter()
    while done < opts.steps:
        n = min(opts.every, opts.steps - done)
        loss = step(n)
        done += n
        heap = heap_kb() / 1024
        reports.append((done, rss_mb(), heap))
        rate = done / (time.perf_counter() - t0)
        print(
            f"step {done:>9}: RSS {reports[-1][1]:7.1f} MB, Lua heap {heap:6.2f} MB, "
            f"loss {loss:.5f}, {rate:,.0f} steps/s",
            flush=True,
        )
    if len(reports) >= 2:
        growth = reports[-1][1] - reports[0][1]
        print(f"RSS growth after the first report: {growth:+.1f} MB")
        if growth > opts.max_growth_mb:
            failures.append(f"RSS grew {growth:.1f} MB during training")

    # ---------------------------------------------------------------- a multi-GB tensor
    if opts.tensor_gb > 0:
        n = int(opts.tensor_gb * 2**30 / 8)
        before = rss_mb()
        t0 = time.perf_counter()
        (total,) = rt.execute(f"big = torch.Tensor({n}):fill(0.5); return big:sum()")
        peak = rss_mb()
        rt.execute("big = nil; collectgarbage(); collectgarbage()")
        after_gc = rss_mb()
        # one more tensor call and collection: lupa may still reference the last object
        # returned to Lua until another object takes its place
        rt.execute("local t = torch.Tensor(1):fill(1); collectgarbage(); collectgarbage()")
        after = rss_mb()
        print(
            f"tensor of {n} doubles ({opts.tensor_gb:.1f} GB): sum {total:.1f} "
            f"(expected {n * 0.5:.1f}), RSS {before:.0f} -> {peak:.0f} MB, after nil + "
            f"collectgarbage() {after_gc:.0f} MB, after one more call {after:.0f} MB, "
            f"{time.perf_counter() - t0:.1f} s"
        )
        if total != n * 0.5:
            failures.append("wrong sum of the big tensor")
        if after - before > 100:
            failures.append(f"big tensor not freed: {after - before:.0f} MB left")
        ok, msg = rt.execute("return pcall(torch.Tensor, 2^45)")
        print(f"torch.Tensor(2^45): {msg}")

    # ---------------------------------------------------------------- a Lua table beyond 2 GB
    if opts.table_gb > 0:
        # one table's array part stops at 2^27 slots (LuaJIT's LJ_MAX_ASIZE): a table of
        # 2^24-slot rows (128 MB each, 8 bytes per GC64 TValue) goes past 2 GB
        n = int(opts.table_gb * 2**30 / 8)
        t0 = time.perf_counter()
        kb, last = rt.execute(f"""
           local rows, row = {{}}, 2^24
           local i = 0
           while i < {n} do
              local r = {{}}
              for j = 1, math.min(row, {n} - i) do r[j] = i + j end
              rows[#rows + 1] = r
              i = i + #r
           end
           local kb = collectgarbage('count')
           local lastRow = rows[#rows]
           return kb, lastRow[#lastRow]
        """)
        peak = rss_mb()
        rt.execute("collectgarbage(); collectgarbage()")
        print(
            f"Lua table of {n} numbers in rows of 2^24: heap {kb / 2**20:.2f} GB, "
            f"last {last:.0f}, RSS peak {peak:.0f} MB, after {rss_mb():.0f} MB, "
            f"{time.perf_counter() - t0:.1f} s"
        )
        if kb < opts.table_gb * 2**20 * 0.99 or last != n:
            failures.append("Lua table did not reach its size")

    assert rt.eval("torch.ones(3):sum()") == 3
    print(f"end: RSS {rss_mb():.0f} MB, Lua heap {heap_kb() / 1024:.1f} MB")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

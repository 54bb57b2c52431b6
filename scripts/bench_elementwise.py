"""Benchmark d's element-wise calls, luatorch and PyTorch interleaved in one process.

    python scripts/bench_elementwise.py [--threads N] [--n 1000000] [--rounds 15]

``x:add(y)``, ``x:cmul(y)``, ``torch.exp(x)`` and ``r:exp(x)`` on n doubles, as in
../shared/bench/d_elementwise.lua, timed call by call in bursts that alternate between a luatorch
runtime and PyTorch (when installed) in the same process: on a machine other work shares, both
see the same load, where bench.py runs them minutes apart. Prints medians, 10th percentiles and
the luatorch / PyTorch ratio of the medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

LUA = """
n = {n}
x, y, z, w = torch.rand(n), torch.rand(n), torch.rand(n), torch.rand(n):add(0.5)
e, r = torch.rand(n), torch.Tensor(n)
local ffi = require 'ffi'
pcall(ffi.cdef, 'typedef struct {{ long s; long ns; }} lt_bench_ts; '
   .. 'int clock_gettime(int, lt_bench_ts *);')
local ts = ffi.new('lt_bench_ts')
local function now()
   ffi.C.clock_gettime(1, ts)
   return tonumber(ts.s) + tonumber(ts.ns) * 1e-9
end
local ops = {{
   add = function() x:add(y) end,
   cmul = function() z:cmul(w) end,
   torch_exp = function() local q = torch.exp(e) end,
   exp_into = function() r:exp(e) end,
}}
function timed(name, k)
   local f, t = ops[name], {{}}
   for i = 1, k do
      local t0 = now()
      f()
      t[i] = now() - t0
   end
   return t
end
"""

BURSTS = {"add": 20, "cmul": 20, "torch_exp": 4, "exp_into": 4}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", type=int, default=None, help="default: LUATORCH_NUM_THREADS")
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=15)
    args = ap.parse_args()
    if args.threads is not None:
        os.environ["LUATORCH_NUM_THREADS"] = str(args.threads)
    from luatorch.runtime import Runtime
    from luatorch.tensor import threadpool

    rt = Runtime(write=lambda s: None)
    threads = threadpool.get_num_threads()
    rt.execute(LUA.format(n=args.n))
    timed = rt.globals.timed
    try:
        import torch
    except ImportError:
        torch = None
    ref = {}
    if torch is not None:
        torch.set_num_threads(threads)
        tx, ty, tz, tw, te, tr = (torch.rand(args.n, dtype=torch.float64) for _ in range(6))
        tw.add_(0.5)
        ref = {
            "add": lambda: tx.add_(ty),
            "cmul": lambda: tz.mul_(tw),
            "torch_exp": lambda: torch.exp(te),
            "exp_into": lambda: torch.exp(te, out=tr),
        }
    ours: dict[str, list[float]] = {k: [] for k in BURSTS}
    theirs: dict[str, list[float]] = {k: [] for k in BURSTS}
    for name in BURSTS:  # warm-up
        timed(name, 3)
        if ref:
            ref[name]()
    for _ in range(args.rounds):
        for name, k in BURSTS.items():
            t = timed(name, k)
            ours[name].extend(t[i] for i in range(1, k + 1))
            if ref:
                f = ref[name]
                for _ in range(k):
                    t0 = time.perf_counter()
                    f()
                    theirs[name].append(time.perf_counter() - t0)
    print(f"n={args.n} threads={threads} load average after: {os.getloadavg()[0]:.2f}")
    print(f"{'call':<10} {'luatorch us':>12} {'p10':>8} {'PyTorch us':>11} {'p10':>8} {'ratio':>6}")
    for name in BURSTS:
        a = sorted(ours[name])
        row = f"{name:<10} {statistics.median(a) * 1e6:>12.1f} {a[len(a) // 10] * 1e6:>8.1f}"
        if ref:
            b = sorted(theirs[name])
            mb = statistics.median(b)
            row += f" {mb * 1e6:>11.1f} {b[len(b) // 10] * 1e6:>8.1f}"
            row += f" {statistics.median(a) / mb:>6.2f}"
        print(row)


if __name__ == "__main__":
    main()

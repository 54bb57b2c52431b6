"""nn.Linear(3,4) forward+backward per call under luatorch, beside the same maths in numpy.

Usage: python scripts/bench_linear.py [iterations]
Prints microseconds per iteration for both and their ratio, measured in the same run.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from luatorch.runtime import Runtime


def bench_luatorch(n: int) -> float:
    rt = Runtime()
    (per,) = rt.execute(f"""
      require 'nn'
      torch.manualSeed(1)
      local m = nn.Linear(3, 4)
      local x, go = torch.randn(3), torch.randn(4)
      for i = 1, 1000 do m:forward(x); m:backward(x, go) end
      local timer = torch.Timer()
      for i = 1, {n} do m:forward(x); m:backward(x, go) end
      return timer:time().real / {n}
    """)
    return per * 1e6


def bench_numpy(n: int) -> float:
    rng = np.random.default_rng(1)
    w, b = rng.standard_normal((4, 3)), rng.standard_normal(4)
    gw, gb = np.zeros((4, 3)), np.zeros(4)
    x, go = rng.standard_normal(3), rng.standard_normal(4)
    out, gi = np.empty(4), np.empty(3)
    t = time.perf_counter()
    for _ in range(n):
        np.matmul(w, x, out=out)
        out += b
        np.matmul(go, w, out=gi)
        gw += np.multiply.outer(go, x)
        gb += go
    return (time.perf_counter() - t) / n * 1e6


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    ours = bench_luatorch(n)
    ref = bench_numpy(n)
    print(f"luatorch nn.Linear(3,4) fwd+bwd: {ours:.2f} us/iter")
    print(f"numpy same maths:               {ref:.2f} us/iter")
    print(f"ratio luatorch/numpy:           {ours / ref:.2f}x  (real Torch7 here: 7.0 us)")


if __name__ == "__main__":
    main()

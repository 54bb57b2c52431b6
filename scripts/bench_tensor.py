"""Tensor library speed against numpy, measured in the same run.

For each case the same operation runs through Lua (``luatorch``) and directly in numpy; the
table shows both times and their ratio. The last lines give the cost of the hot paths
``x:add(y)``, ``t[i]``, ``t[i] = v`` and ``x + y`` from Lua, in microseconds per call.

    python scripts/bench_tensor.py [--quick]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from luatorch.runtime import Runtime


def lua_time(rt: Runtime, setup: str, stmt: str, n: int) -> float:
    """Seconds per execution of stmt inside a Lua loop (best of 3)."""
    f = rt.execute(
        f"""
      {setup}
      return function(n)
         local clock = torch._py.wall_time
         local t0 = clock()
         for _ = 1, n do {stmt} end
         return clock() - t0
      end""",
        "=bench",
    )[0]
    return min(f(n) for _ in range(3)) / n


def np_time(fn, n: int) -> float:
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, time.perf_counter() - t0)
    return best / n


def _elementwise_cases(a, b, out, ones) -> list:
    return [
        ("x:add(y) (in place)", "x:add(y)", lambda: np.add(a, b, out=out)),
        ("torch.add(r, x, y)", "torch.add(r, x, y)", lambda: np.add(a, b, out=out)),
        ("x + y (new)", "local z = x + y", lambda: a + b),
        ("x:mul(1)", "x:mul(1)", lambda: np.multiply(a, 1.0, out=a)),
        ("x:cmul(o)", "x:cmul(o)", lambda: np.multiply(a, ones, out=a)),
        ("torch.exp(r, y)", "torch.exp(r, y)", lambda: np.exp(b, out=out)),
        ("x:sum()", "local s = x:sum()", lambda: a.sum()),
        ("x:max()", "local s = x:max()", lambda: a.max()),
        ("x:dot(y)", "local s = x:dot(y)", lambda: a.dot(b)),
    ]


def _blas_cases(A, B, C, v) -> list:
    return [
        ("torch.mm(C, A, B)", "torch.mm(C, A, B)", lambda: np.matmul(A, B, out=C)),
        ("C:addmm(A, B)", "C:addmm(A, B)", lambda: np.add(C, A @ B, out=C)),
        ("torch.mv(w, A, v)", "torch.mv(w, A, v)", lambda: A @ v),
        ("A * B (new)", "local D = A * B", lambda: A @ B),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = ap.parse_args()
    scale = 0.2 if args.quick else 1.0
    rt = Runtime(write=lambda s: None)
    rng = np.random.default_rng(0)
    rows = []
    for size in (100, 10_000, 1_000_000):
        n = max(5, int(scale * 2_000_000 / (size + 200)))
        a, b = rng.standard_normal(size), rng.standard_normal(size)
        out = np.empty(size)
        setup = (
            f"local x = torch.randn({size}); local y = torch.randn({size});"
            f" local r = torch.Tensor({size}); local o = torch.ones({size})"
        )
        ones = np.ones(size)
        cases = _elementwise_cases(a, b, out, ones)
        for name, stmt, fn in cases:
            rt.execute("collectgarbage()")
            t_lua = lua_time(rt, setup, stmt, n)
            t_np = np_time(fn, n)
            rows.append((f"{name} [{size}]", t_lua, t_np))
    for size in (16, 128, 512):
        n = max(3, int(scale * 20_000_000 / size**3 + 3))
        A, B = rng.standard_normal((size, size)), rng.standard_normal((size, size))
        v = rng.standard_normal(size)
        C = np.empty((size, size))
        setup = (
            f"local A = torch.randn({size}, {size}); local B = torch.randn({size}, {size});"
            f" local v = torch.randn({size}); local C = torch.Tensor({size}, {size});"
            f" local w = torch.Tensor({size})"
        )
        for name, stmt, fn in _blas_cases(A, B, C, v):
            t_lua = lua_time(rt, setup, stmt, n)
            t_np = np_time(fn, n)
            rows.append((f"{name} [{size}x{size}]", t_lua, t_np))

    print(f"{'operation':34s} {'luatorch':>12s} {'numpy':>12s} {'ratio':>7s}")
    for name, t1, t2 in rows:
        print(f"{name:34s} {t1 * 1e6:10.2f}us {t2 * 1e6:10.2f}us {t1 / t2:7.2f}")

    n = int(scale * 200_000)
    hot = [
        ("x:add(y), x of 10", "x:add(y)"),
        ("t[i] read, 1-D", "local s = t[3]"),
        ("t[i] = v, 1-D", "t[3] = 1"),
        ("m[i] (row view), 2-D", "local r = m[2]"),
        ("x + y, x of 10", "local z = x + y"),
        ("t[{i, j}] read", "local s = m[{2, 3}]"),
    ]
    setup = (
        "local x = torch.randn(10); local y = torch.randn(10); local t = torch.randn(10);"
        " local m = torch.randn(10, 10)"
    )
    print()
    print("hot paths from Lua (us per call)")
    for name, stmt in hot:
        print(f"  {name:28s} {lua_time(rt, setup, stmt, n) * 1e6:8.2f}")


if __name__ == "__main__":
    main()

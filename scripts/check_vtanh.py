"""The vectorised tanh (luatorch/tensor/vtanh.py) against the C library's, at length, and timed.

    python scripts/check_vtanh.py [--millions 50] [--bench]

Compares vtanh's bits with the C library's tanh (math.tanh, element by element) on random
doubles from several ranges (each branch of glibc's tanh and expm1: |x| below ln2 / 4 in whole
groups of four, below 1, up to 22 and past it, any bit pattern, tiny and subnormal numbers) and
on the boundaries of every branch; prints the count of differences per range (all must be 0).
With --bench, times the kernels alone on one thread, minimum of several runs of 4096 and 1e6
elements, in one process: vtanh and vexp against the C library's loops (numexpr on one thread
calls tanh and exp per element) and PyTorch's vectorised tanh and exp (other bits).
"""

from __future__ import annotations

import argparse
import math
import time
from functools import partial

import numpy as np

from luatorch.tensor import threadpool, vexp, vtanh

RANGES = {
    "small": lambda rng, n: rng.uniform(-0.17, 0.17, n),
    "unit": lambda rng, n: rng.uniform(-1.0, 1.0, n),
    "normal3": lambda rng, n: rng.normal(0.0, 3.0, n),
    "wide": lambda rng, n: rng.uniform(-25.0, 25.0, n),
    "bits": lambda rng, n: rng.integers(0, 2**64, n, dtype=np.uint64).view(np.float64),
    "tiny": lambda rng, n: rng.uniform(-1, 1, n) * 10.0 ** rng.integers(-320, -1, n),
}

_tanh = np.frompyfunc(math.tanh, 1, 1)


def check(millions: float) -> int:
    assert vtanh.available(), "vtanh is not usable in this process"
    prev = threadpool.use_num_threads(1)
    rng = np.random.default_rng(2026)
    chunk = 1 << 20
    per = max(1, int(millions * 1e6 / len(RANGES) / chunk))
    bad_total = 0
    try:
        for name, draw in RANGES.items():
            bad = 0
            for _ in range(per):
                x = draw(rng, chunk)
                got = np.empty_like(x)
                vtanh.tanh_into(x, got)
                with np.errstate(invalid="ignore"):
                    want = _tanh(x).astype(np.float64)
                diff = got.view(np.uint64) != want.view(np.uint64)
                bad += int(diff.sum())
                for v in x[diff][:3].tolist():
                    print(f"  {name}: x={v.hex()} vtanh={math.tanh(v).hex()}?")
            print(f"{name:8s} {per * chunk:>10d} inputs, {bad} differ")
            bad_total += bad
        x = vtanh.edges()
        got = np.empty_like(x)
        vtanh.tanh_into(x, got)
        bad = int((got.view(np.uint64) != _tanh(x).astype(np.float64).view(np.uint64)).sum())
        print(f"{'edges':8s} {x.size:>10d} inputs, {bad} differ")
        bad_total += bad
    finally:
        threadpool.use_num_threads(prev)
    return bad_total


def _best(f, repeat: int) -> float:
    best = math.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t0)
    return best


def bench() -> None:
    import numexpr as ne

    ne.set_num_threads(1)
    try:
        import torch
    except ImportError:
        torch = None
    else:
        torch.set_num_threads(1)
    th = vtanh._kernel()
    ex = vexp._kernel()
    for n, reps, inner in ((4096, 15, 200), (1_000_000, 9, 1)):
        rng = np.random.default_rng(1)
        print(f"n = {n}: microseconds per call, one thread (minimum of {reps} x {inner})")
        for label, x in (("N(0, 2)", rng.normal(0, 2, n)), ("N(0, 0.05)", rng.normal(0, 0.05, n))):
            out = np.empty_like(x)
            a, o = x.ctypes.data, out.ctypes.data
            rows = {
                "vtanh": partial(th.run, n, o, a),
                "C tanh loop": partial(ne.evaluate, "tanh(x)", local_dict={"x": x}, out=out),
                "vexp": partial(ex.run, n, o, a),
                "C exp loop": partial(ne.evaluate, "exp(x)", local_dict={"x": x}, out=out),
            }
            if torch is not None:
                tx, tout = torch.from_numpy(x), torch.from_numpy(out)
                rows["torch.tanh"] = partial(torch.tanh, tx, out=tout)
                rows["torch.exp"] = partial(torch.exp, tx, out=tout)
            for name, f in rows.items():
                us = _best(partial(_many, f, inner), reps) / inner * 1e6
                print(f"  {label:10s} {name:12s} {us:10.1f} us  {us * 1e3 / n:6.2f} ns/element")


def _many(f, k: int) -> None:
    for _ in range(k):
        f()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--millions", type=float, default=50.0)
    ap.add_argument("--bench", action="store_true")
    args = ap.parse_args()
    bad = check(args.millions)
    print("all the same bits" if bad == 0 else f"{bad} DIFFER")
    if args.bench:
        bench()
    raise SystemExit(1 if bad else 0)


if __name__ == "__main__":
    main()

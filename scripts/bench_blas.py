"""Which BLAS gets closest to the machine's peak: dgemm 1024x1024 (e_mm's product) on the
system OpenBLAS (what Torch7 links and luatorch calls), numpy's bundled OpenBLAS, scipy's, and
PyTorch's ``torch.mm``, at 1 and 2 threads, interleaved rounds, one run.

    python scripts/bench_blas.py [--rounds 5] [--keep-openblas-env]

Each library runs in its own process (OpenBLAS reads OPENBLAS_CORETYPE when it loads); like
bench.py, OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE are unset unless --keep-openblas-env. Prints the
median time, GFLOP/s and the kernel each OpenBLAS picked. Only the system OpenBLAS gives Torch7's
bits (tensor/blas.py): the others are measured for the comparison.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys

CHILD = r"""
import ctypes, ctypes.util, glob, os, sys, time
import numpy as np
which, threads, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
n = 1024
a, b = np.random.rand(n, n), np.random.rand(n, n)
if which == "torch":
    import torch
    torch.set_num_threads(threads)
    ta, tb = torch.from_numpy(a), torch.from_numpy(b)
    run, kernel = (lambda: torch.mm(ta, tb)), "torch " + torch.__version__
else:
    if which == "system":
        lib, pre, suf, it = ctypes.CDLL(ctypes.util.find_library("openblas")), "", "", ctypes.c_int
    else:
        mod = __import__(which)
        libs = os.path.join(os.path.dirname(os.path.dirname(mod.__file__)), which + ".libs")
        path = sorted(glob.glob(os.path.join(libs, "libscipy_openblas*.so")))[0]
        lib, pre = ctypes.CDLL(path), "scipy_"
        suf, it = ("64_", ctypes.c_int64) if "openblas64" in path else ("", ctypes.c_int)
    f = lambda name: getattr(lib, pre + name + suf)
    f("openblas_set_num_threads")(threads)
    core = f("openblas_get_corename")
    core.restype = ctypes.c_char_p
    cfg = f("openblas_get_config")
    cfg.restype = ctypes.c_char_p
    kernel = cfg().decode().split()[1] + " " + core().decode()
    dgemm = f("dgemm_")
    c = np.zeros((n, n), order="F")
    fa, fb = np.asfortranarray(a), np.asfortranarray(b)
    N, one, zero, ch = it(n), ctypes.c_double(1), ctypes.c_double(0), ctypes.c_char(b"n")
    r = ctypes.byref
    P = lambda x: ctypes.c_void_p(x.ctypes.data)
    run = lambda: dgemm(r(ch), r(ch), r(N), r(N), r(N), r(one), P(fa), r(N), P(fb), r(N),
                        r(zero), P(c), r(N))
for _ in range(2):
    run()
ts = []
for _ in range(reps):
    t = time.perf_counter(); run(); ts.append(time.perf_counter() - t)
ts.sort()
print(f"{ts[len(ts) // 2] * 1e3:.3f} {kernel}")
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--keep-openblas-env", action="store_true")
    args = ap.parse_args()
    env = dict(os.environ)
    if not args.keep_openblas_env:
        env.pop("OPENBLAS_CORETYPE", None)
        env.pop("OPENBLAS_L2_SIZE", None)
    libs = ["system", "numpy", "scipy", "torch"]
    times: dict[tuple[str, int], list[float]] = {}
    kernels: dict[str, str] = {}
    for _ in range(args.rounds):
        for lib in libs:
            for th in (1, 2):
                cmd = [sys.executable, "-c", CHILD, lib, str(th), str(args.reps)]
                p = subprocess.run(cmd, capture_output=True, text=True, env=env)
                if p.returncode != 0:
                    print(f"# {lib}: {p.stderr.strip()[-300:]}", file=sys.stderr)
                    continue
                ms, kernel = p.stdout.split(maxsplit=1)
                times.setdefault((lib, th), []).append(float(ms))
                kernels[lib] = kernel.strip()
    print(f"# load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print("| BLAS | kernel | 1 thread ms (GFLOP/s) | 2 threads ms (GFLOP/s) |")
    print("| --- | --- | --- | --- |")
    for lib in libs:
        cells = []
        for th in (1, 2):
            ts = times.get((lib, th))
            if not ts:
                cells.append("-")
                continue
            ms = statistics.median(ts)
            cells.append(f"{ms:.1f} ({2 * 1024**3 / ms / 1e6:.0f})")
        print(f"| {lib} | {kernels.get(lib, '?')} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()

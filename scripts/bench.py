"""Run the five benchmark scripts of /work/shared/bench under luatorch, beside PyTorch (when
installed) and the raw-numpy reference, and print the ratios measured in this one run.

    python scripts/bench.py [--threads N] [--only b,c] [--rounds R] [--no-pytorch] [--no-numpy]
                            [--keep-openblas-env]

Each luatorch script runs in a fresh process through ``luatorch.runtime.Runtime`` (kernel
threads from LUATORCH_NUM_THREADS, which --threads sets; default: one per core, as PyTorch's
default, which then runs with the same count). Absolute times drift from run to run on a
shared machine; the ratios compare numbers taken minutes apart in the same run. With
--rounds R every program runs R times, interleaved, and each cell is the median of its R
medians. The load average before and after is printed: other work on the machine shows there.

OpenBLAS: some machines set OPENBLAS_CORETYPE (and OPENBLAS_L2_SIZE) for old OpenBLAS builds
that crash on them; a current numpy then runs Haswell kernels instead of its AVX-512 ones. The
benchmark commands run without both (for every program alike) unless --keep-openblas-env is
given; tests and CI keep them. The kernel numpy picked is printed.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(os.environ.get("LUATORCH_BENCH_DIR", "/work/shared/bench"))
HERE = Path(__file__).resolve().parent
SCRIPTS = ["a_linear_overhead", "b_mlp_train", "c_lenet_train", "d_elementwise", "e_mm"]
# Real Torch7's figures from the bench README (another machine run: context only)
TORCH7 = {
    "a_linear_fwd_bwd": 7.0,
    "b_mlp_train": 62,
    "c_lenet_train": 240,
    "d_add": 300,
    "d_cmul": 300,
    "d_torch_exp": 7400,
    "e_mm1024": 76,
}
TORCH7_LOSS = {"b_mlp_train": "2.0666", "c_lenet_train": "2.1778"}
RESULT = re.compile(r"RESULT (\S+) (median_\w+)=([\d.]+)(.*)")

RUNNER = """
import sys
from luatorch.runtime import Runtime
path = sys.argv[1]
rt = Runtime(script_dir={script_dir!r})
rt.execute(open(path).read(), '@' + path)
"""


def parse(text: str) -> dict[str, dict[str, str]]:
    out = {}
    for line in text.splitlines():
        m = RESULT.search(line)
        if m:
            fields = dict(kv.split("=", 1) for kv in m.group(4).split())
            fields["unit"] = m.group(2)
            fields["median"] = m.group(3)
            out[m.group(1)] = fields
    return out


def blas_kernel(env: dict[str, str]) -> str:
    """The OpenBLAS core type numpy's BLAS runs under env (threadpoolctl's architecture)."""
    code = (
        "from threadpoolctl import threadpool_info; import numpy; "
        "print(' '.join(sorted({str(i.get('architecture')) for i in threadpool_info() "
        "if i.get('internal_api') == 'openblas'})) or 'not OpenBLAS')"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    return proc.stdout.strip() or "?"


def loadavg() -> str:
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def median_of(runs: list[dict[str, dict[str, str]]]) -> dict[str, dict[str, str]]:
    """Per result, the run whose median is the median of the runs' medians (low median)."""
    out: dict[str, dict[str, str]] = {}
    keys = [k for r in runs for k in r]
    for key in dict.fromkeys(keys):
        rows = sorted((r[key] for r in runs if key in r), key=lambda f: float(f["median"]))
        pick = dict(rows[(len(rows) - 1) // 2])
        pick["rounds"] = str(len(rows))
        out[key] = pick
    return out


def run(cmd: list[str], env: dict[str, str], label: str) -> dict[str, dict[str, str]]:
    print(f"# running {label} ...", file=sys.stderr, flush=True)
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        print(f"# {label} failed:\n{proc.stderr.strip()[-2000:]}", file=sys.stderr)
    return parse(proc.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--threads",
        type=int,
        default=None,
        help="threads for luatorch, numpy and PyTorch (default: one per core)",
    )
    ap.add_argument("--only", default="", help="comma-separated script letters, e.g. b,c")
    ap.add_argument("--rounds", type=int, default=1, help="interleaved repetitions (median)")
    ap.add_argument("--no-pytorch", action="store_true")
    ap.add_argument("--no-numpy", action="store_true")
    ap.add_argument(
        "--keep-openblas-env",
        action="store_true",
        help="keep OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE from the environment",
    )
    args = ap.parse_args()
    env = dict(os.environ)
    if not args.keep_openblas_env:
        for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
            env.pop(var, None)
    if args.threads is not None:
        env["LUATORCH_NUM_THREADS"] = str(args.threads)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    threads = args.threads or int(env.get("LUATORCH_NUM_THREADS", "") or cores or 1)
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    have_torch = False
    if not args.no_pytorch:
        try:
            import torch  # noqa: F401

            have_torch = True
        except ImportError:
            print("# PyTorch is not installed: no PyTorch column", file=sys.stderr)
    print(
        f"# OpenBLAS kernel: {blas_kernel(env)}  (OPENBLAS_CORETYPE="
        f"{env.get('OPENBLAS_CORETYPE', 'unset')}), threads={threads}, "
        f"load average before: {loadavg()}"
    )

    ours_runs, ref_runs, npy_runs = [], [], []
    for _ in range(max(1, args.rounds)):
        ours: dict[str, dict[str, str]] = {}
        for name in SCRIPTS:
            if only and name[0] not in only:
                continue
            code = RUNNER.format(script_dir=str(BENCH))
            ours.update(
                run(
                    [sys.executable, "-c", code, str(BENCH / f"{name}.lua")],
                    env,
                    f"luatorch {name}",
                )
            )
        ours_runs.append(ours)
        if have_torch:
            tenv = dict(env, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
            ref_runs.append(
                run([sys.executable, str(BENCH / "pytorch_reference.py")], tenv, "PyTorch")
            )
        if not args.no_numpy and (not only or only & {"b", "c"}):
            npy_runs.append(
                run(
                    [
                        sys.executable,
                        str(HERE / "bench_numpy_reference.py"),
                        "--threads",
                        str(threads),
                    ],
                    env,
                    "numpy reference",
                )
            )
    ours, ref, npy = median_of(ours_runs), median_of(ref_runs), median_of(npy_runs)

    print(
        f"{'result':<18} {'unit':<22} {'luatorch':>10} {'PyTorch':>10} {'ratio':>7} "
        f"{'numpy':>10} {'ratio':>7} {'Torch7*':>8}  notes"
    )
    for key, f in ours.items():
        mine = float(f["median"])
        row = f"{key:<18} {f['unit']:<22} {mine:>10.3f}"
        for table in (ref, npy):
            other = table.get(key)
            if other:
                o = float(other["median"])
                row += f" {o:>10.3f} {mine / o:>6.2f}x"
            else:
                row += f" {'-':>10} {'-':>7}"
        row += f" {TORCH7.get(key, float('nan')):>8g}"
        notes = [f"threads={f.get('threads', '?')}", f"min={f.get('min', '?')}"]
        if key in TORCH7_LOSS:
            ok = f.get("final_loss") == TORCH7_LOSS[key]
            notes.append(
                f"final_loss={f.get('final_loss')} "
                f"({'= Torch7' if ok else 'Torch7: ' + TORCH7_LOSS[key]})"
            )
        if "gflops" in f:
            notes.append(f"gflops={f['gflops']}")
        print(row + "  " + ", ".join(notes))
    print(f"# load average after: {loadavg()}; rounds={max(1, args.rounds)}")
    print(
        "* Torch7 column: the README's figures from another run, for context only; ratio "
        "columns are luatorch / reference, measured in this run (lower is better)."
    )


if __name__ == "__main__":
    main()

"""Run the benchmark scripts a-h of ../shared/bench under luatorch, beside PyTorch (when
installed) and the raw-numpy reference, and print the ratios measured in this one run.

    python scripts/bench.py [--threads N] [--only b,c] [--rounds R] [--no-pytorch] [--no-numpy]
                            [--torch7 PATH/TO/th] [--keep-openblas-env]

The benchmark folder is ``../shared/bench`` next to the repository root (LUATORCH_BENCH_DIR
overrides it). The machine's CPU is printed first. With ``--torch7 th`` (a real Torch7's ``th``;
default: ``../ref/th`` when it exists) every script also runs under real Torch7 in the same run,
interleaved with the others: its times, final losses and peak resident memory are printed beside
luatorch's. Without it the Torch7 column is the bench README's figures scaled by this machine's
speed, and the memory column the issue's figures.

Each luatorch script runs in a fresh process as ``luatorch script.lua`` runs it (kernel
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
import importlib.util
import math
import os
import platform
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH = Path(os.environ.get("LUATORCH_BENCH_DIR", HERE.parent.parent / "shared" / "bench"))
SCRIPTS = [
    "a_linear_overhead",
    "b_mlp_train",
    "c_lenet_train",
    "d_elementwise",
    "e_mm",
    "f_small_ops",
    "g_resblock_train",
    "h_lstm_train",
]
# Real Torch7's figures from ../shared/bench/README.md (AMD EPYC, 2 cores: another run, context)
TORCH7 = {
    "a_linear_fwd_bwd": 10.7,
    "b_mlp_train": 68.6,
    "c_lenet_train": 577,
    "d_add": 440,
    "d_cmul": 407,
    "d_torch_exp": 6850,
    "e_mm1024": 69.9,
    "f_geomean": 0.94,
    "f_slice": 1.39,
    "f_mm_4x4": 2.04,
    "f_new_tensor": 1.07,
    "f_sum": 0.5,
    "g_resblock_train": 323,
    "h_lstm_train": 260,
}
TORCH7_LOSS = {
    "b_mlp_train": "2.0666",
    "c_lenet_train": "2.1778",
    "g_resblock_train": "2.2352",
    "h_lstm_train": "4.1417",
}
# PyTorch's figures in the same README run: they scale Torch7's figures to this machine
PYTORCH_README = {
    "a_linear_fwd_bwd": 144,
    "b_mlp_train": 36.3,
    "c_lenet_train": 116,
    "d_add": 387,
    "d_cmul": 369,
    "d_torch_exp": 1378,
    "e_mm1024": 40.0,
    "f_geomean": 2.83,
    "g_resblock_train": 83,
    "h_lstm_train": 37,
}
# Peak RSS of real Torch7 running the script, MB (the issue's /usr/bin/time -v figures)
TORCH7_RSS = {"b_mlp_train": 54, "c_lenet_train": 234, "h_lstm_train": 115}
RESULT = re.compile(r"RESULT (\S+) (median_\w+)=([\d.]+)(.*)")

# the script as `luatorch script.lua` runs it (compiled by LuaJIT: Runtime.execute would keep
# the chunk interpreted, for the REPL's Ctrl-C)
RUNNER = """
import sys
from luatorch.cli import main
sys.exit(main([sys.argv[1]]))
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


def machine_factor(ref: dict[str, dict[str, str]]) -> float:
    """This machine's PyTorch times over the README's: the scale for Torch7's figures."""
    logs = [math.log(float(ref[k]["median"]) / v) for k, v in PYTORCH_README.items() if k in ref]
    return math.exp(sum(logs) / len(logs)) if logs else 1.0


def cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


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


def run(
    cmd: list[str], env: dict[str, str], label: str, cwd: Path | None = None
) -> tuple[dict[str, dict[str, str]], float]:
    """The RESULT lines of one program and its peak resident memory in MB."""
    print(f"# running {label} ...", file=sys.stderr, flush=True)
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True, env=env, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        print(f"# {label} failed:\n{stderr.strip()[-2000:]}", file=sys.stderr)
    return parse(stdout), usage.ru_maxrss / 1024


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
    default_th = HERE.parent.parent / "ref" / "th"
    ap.add_argument(
        "--torch7",
        default=str(default_th) if default_th.exists() else "",
        help="real Torch7's th, run on the same scripts (default: ../ref/th when present)",
    )
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
    # found, not imported: a child forked from a process holding PyTorch would report the
    # parent's pages as its own peak RSS (Linux keeps the high-water mark across exec)
    have_torch = not args.no_pytorch and importlib.util.find_spec("torch") is not None
    if not args.no_pytorch and not have_torch:
        print("# PyTorch is not installed: no PyTorch column", file=sys.stderr)
    print(f"# CPU: {cpu_name()}, {cores} cores")
    print(
        f"# OpenBLAS kernel: {blas_kernel(env)}  (OPENBLAS_CORETYPE="
        f"{env.get('OPENBLAS_CORETYPE', 'unset')}), threads={threads}, "
        f"load average before: {loadavg()}"
    )

    ours_runs, ref_runs, npy_runs, t7_runs = [], [], [], []
    rss: dict[str, list[float]] = {}
    t7_rss: dict[str, list[float]] = {}
    for _ in range(max(1, args.rounds)):
        ours: dict[str, dict[str, str]] = {}
        for name in SCRIPTS:
            if only and name[0] not in only:
                continue
            code = RUNNER
            results, peak = run(
                [sys.executable, "-c", code, str(BENCH / f"{name}.lua")], env, f"luatorch {name}"
            )
            ours.update(results)
            rss.setdefault(name, []).append(peak)
        ours_runs.append(ours)
        if args.torch7:
            t7: dict[str, dict[str, str]] = {}
            for name in SCRIPTS:
                if only and name[0] not in only:
                    continue
                results, peak = run(
                    [args.torch7, str(BENCH / f"{name}.lua")], env, f"Torch7 {name}", cwd=BENCH
                )
                t7.update(results)
                t7_rss.setdefault(name, []).append(peak)
            t7_runs.append(t7)
        if have_torch:
            tenv = dict(env, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
            ref_runs.append(
                run([sys.executable, str(BENCH / "pytorch_reference.py")], tenv, "PyTorch")[0]
            )
        if not args.no_numpy and (not only or only & {"b", "c"}):
            cmd = [
                sys.executable,
                str(HERE / "bench_numpy_reference.py"),
                "--threads",
                str(threads),
            ]
            npy_runs.append(run(cmd, env, "numpy reference")[0])
    ours, ref, npy = median_of(ours_runs), median_of(ref_runs), median_of(npy_runs)
    real_t7 = median_of(t7_runs)
    factor = machine_factor(ref)

    print(
        f"{'result':<18} {'unit':<22} {'luatorch':>10} {'PyTorch':>10} {'ratio':>7} "
        f"{'numpy':>10} {'ratio':>7} {'Torch7~':>9} {'ratio':>7}  notes"
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
        if key in real_t7:
            t7 = float(real_t7[key]["median"])
            row += f" {t7:>9.4g} {mine / t7:>6.2f}x"
        elif key in TORCH7 and not real_t7:
            t7 = TORCH7[key] * factor
            row += f" {t7:>9.3g} {mine / t7:>6.2f}x"
        else:
            row += f" {'-':>9} {'-':>7}"
        notes = [f"threads={f.get('threads', '?')}", f"min={f.get('min', '?')}"]
        if key in TORCH7_LOSS:
            want = real_t7.get(key, {}).get("final_loss", TORCH7_LOSS[key])
            ok = f.get("final_loss") == want
            notes.append(
                f"final_loss={f.get('final_loss')} ({'= Torch7' if ok else 'Torch7: ' + want})"
            )
        if "gflops" in f:
            notes.append(f"gflops={f['gflops']}")
        print(row + "  " + ", ".join(notes))
    print()
    source = "measured in this run" if t7_rss else "the issue's figures"
    print(f"{'script':<18} {'peak RSS MB':>12} {'Torch7 MB':>10} {'target MB':>10}  ({source})")
    for name, peaks in rss.items():
        peak = sorted(peaks)[(len(peaks) - 1) // 2]
        if t7_rss:
            t7s = t7_rss.get(name, [])
            t7 = round(sorted(t7s)[(len(t7s) - 1) // 2]) if t7s else None
        else:
            t7 = TORCH7_RSS.get(name)
        extra = f" {t7:>10} {t7 + 30:>10}" if t7 else f" {'-':>10} {'-':>10}"
        print(f"{name:<18} {peak:>12.0f}" + extra)
    print(f"# load average after: {loadavg()}; rounds={max(1, args.rounds)}")
    if real_t7:
        print(f"Torch7 column: real Torch7 ({args.torch7}) on the same scripts in this run.")
    else:
        print(
            f"~ Torch7 column: real Torch7's figures from ../shared/bench/README.md (another run "
            f"on an AMD EPYC), scaled by this machine's speed relative to that run: {factor:.2f} "
            "= the geometric mean of PyTorch's time here over PyTorch's time in the README"
            + ("" if ref else " (no PyTorch in this run: unscaled)")
            + "."
        )
    print("Ratio columns are luatorch / reference (lower is better).")


if __name__ == "__main__":
    main()

"""Run the five benchmark scripts of /work/shared/bench under luatorch, beside PyTorch (when
installed) and the raw-numpy reference, and print the ratios measured in this one run.

    python scripts/bench.py [--threads N] [--only b,c] [--no-pytorch] [--no-numpy]

Each luatorch script runs in a fresh process through ``luatorch.runtime.Runtime`` (BLAS threads
from LUATORCH_NUM_THREADS, which --threads sets). Absolute times drift from run to run on a
shared machine; the ratios compare numbers taken minutes apart in the same run.
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
TORCH7 = {"a_linear_fwd_bwd": 7.0, "b_mlp_train": 62, "c_lenet_train": 240, "d_add": 300,
          "d_cmul": 300, "d_torch_exp": 7400, "e_mm1024": 76}
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


def run(cmd: list[str], env: dict[str, str], label: str) -> dict[str, dict[str, str]]:
    print(f"# running {label} ...", file=sys.stderr, flush=True)
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        print(f"# {label} failed:\n{proc.stderr.strip()[-2000:]}", file=sys.stderr)
    return parse(proc.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=None,
                    help="BLAS threads for luatorch, numpy and PyTorch (default: luatorch's)")
    ap.add_argument("--only", default="", help="comma-separated script letters, e.g. b,c")
    ap.add_argument("--no-pytorch", action="store_true")
    ap.add_argument("--no-numpy", action="store_true")
    args = ap.parse_args()
    env = dict(os.environ)
    if args.threads is not None:
        env["LUATORCH_NUM_THREADS"] = str(args.threads)
    threads = args.threads or int(env.get("LUATORCH_NUM_THREADS", "1"))
    only = {s.strip() for s in args.only.split(",") if s.strip()}

    ours: dict[str, dict[str, str]] = {}
    for name in SCRIPTS:
        if only and name[0] not in only:
            continue
        code = RUNNER.format(script_dir=str(BENCH))
        ours.update(run([sys.executable, "-c", code, str(BENCH / f"{name}.lua")], env,
                        f"luatorch {name}"))

    ref: dict[str, dict[str, str]] = {}
    if not args.no_pytorch:
        try:
            import torch  # noqa: F401
        except ImportError:
            print("# PyTorch is not installed: no PyTorch column", file=sys.stderr)
        else:
            tenv = dict(env, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
            ref = run([sys.executable, str(BENCH / "pytorch_reference.py")], tenv, "PyTorch")
    npy: dict[str, dict[str, str]] = {}
    if not args.no_numpy and (not only or only & {"b", "c"}):
        npy = run([sys.executable, str(HERE / "bench_numpy_reference.py"), "--threads",
                   str(threads)], env, "numpy reference")

    print(f"{'result':<18} {'unit':<22} {'luatorch':>10} {'PyTorch':>10} {'ratio':>7} "
          f"{'numpy':>10} {'ratio':>7} {'Torch7*':>8}  notes")
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
        notes = [f"threads={f.get('threads', '?')}"]
        if key in TORCH7_LOSS:
            ok = f.get("final_loss") == TORCH7_LOSS[key]
            notes.append(f"final_loss={f.get('final_loss')} "
                         f"({'= Torch7' if ok else 'Torch7: ' + TORCH7_LOSS[key]})")
        if "gflops" in f:
            notes.append(f"gflops={f['gflops']}")
        print(row + "  " + ", ".join(notes))
    print("* Torch7 column: the README's figures from another run, for context only; ratio "
          "columns are luatorch / reference, measured in this run (lower is better).")


if __name__ == "__main__":
    main()

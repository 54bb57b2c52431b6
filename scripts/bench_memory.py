"""Peak resident memory and CPU time of the training benchmarks under luatorch, beside real
Torch7 (and, optionally, another luatorch tree such as main before a change), in one run.

    python scripts/bench_memory.py [--rounds R] [--only b,c,h,n] [--torch7 PATH/TO/th]
                                   [--base PATH/TO/other/tree]

Rows: ``b_mlp_train``, ``c_lenet_train``, ``h_lstm_train`` of ``../shared/bench`` and
``require_nn`` (a script that only does ``require 'nn'``); ``--only`` also takes g
(``g_resblock_train``). Each program runs in a fresh ``python -m luatorch`` process, as
scripts/bench.py runs them; peak RSS is the kernel's high-water mark (``ru_maxrss``, what
``/usr/bin/time -v`` prints as "Maximum resident set size") and CPU is user + system time. With
--rounds R the programs run R times interleaved and each cell is the median. The issue's target is
Torch7's peak + 30 MB for every row. ``--base`` runs the same scripts with PYTHONPATH set to
another luatorch checkout, to show a change's cost side by side.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BENCH = Path(os.environ.get("LUATORCH_BENCH_DIR", ROOT.parent / "shared" / "bench"))
SCRIPTS = {
    "b": "b_mlp_train",
    "c": "c_lenet_train",
    "g": "g_resblock_train",
    "h": "h_lstm_train",
    "n": "require_nn",
}
TARGET_MARGIN_MB = 30


def measure(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """(peak RSS in MB, user + system CPU seconds) of one program run to completion."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            sys.exit(f"{' '.join(cmd)} failed:\n{err.read()[-2000:]}")
    return usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def median(values: list[float]) -> float:
    return sorted(values)[(len(values) - 1) // 2]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--only", default="b,c,h,n", help="letters among b,c,g,h and n (require 'nn')")
    default_th = ROOT.parent / "ref" / "th"
    ap.add_argument("--torch7", default=str(default_th) if default_th.exists() else "")
    ap.add_argument("--base", default="", help="another luatorch tree, run the same way")
    args = ap.parse_args()

    names = [SCRIPTS[s.strip()] for s in args.only.split(",") if s.strip()]
    tmp = Path(tempfile.mkdtemp(prefix="bench_memory_"))
    (tmp / "require_nn.lua").write_text("require 'nn'\n")

    def script(name: str) -> Path:
        return tmp / f"{name}.lua" if name == "require_nn" else BENCH / f"{name}.lua"

    env = dict(os.environ)
    programs: dict[str, tuple[list[str], dict[str, str], Path]] = {}
    for label, tree in (("luatorch", ROOT), ("base", Path(args.base) if args.base else None)):
        if tree is not None:
            penv = dict(env, PYTHONPATH=str(tree.resolve()))
            # as the luatorch command runs a script (Runtime.execute would keep the chunk out
            # of LuaJIT's compiler, whose allocation sinking changes how much garbage a loop
            # makes: h peaked 15 MB higher that way); run from the benchmark folder, where no
            # luatorch checkout shadows PYTHONPATH's
            programs[label] = ([sys.executable, "-m", "luatorch"], penv, BENCH)
    if args.torch7:
        programs["Torch7"] = ([args.torch7], env, BENCH)

    rss: dict[tuple[str, str], list[float]] = {}
    cpu: dict[tuple[str, str], list[float]] = {}
    for _ in range(max(1, args.rounds)):
        for name in names:
            for label, (cmd, penv, cwd) in programs.items():
                print(f"# {label} {name} ...", file=sys.stderr, flush=True)
                peak, secs = measure(cmd + [str(script(name))], penv, cwd)
                rss.setdefault((label, name), []).append(peak)
                cpu.setdefault((label, name), []).append(secs)

    labels = list(programs)
    head = f"{'script':<15}" + "".join(f" {lab + ' MB':>12} {lab + ' cpu s':>14}" for lab in labels)
    print(head + (f" {'target MB':>10}" if "Torch7" in programs else ""))
    for name in names:
        row = f"{name:<15}"
        for label in labels:
            row += f" {median(rss[label, name]):>12.0f} {median(cpu[label, name]):>14.2f}"
        if "Torch7" in programs:
            row += f" {median(rss['Torch7', name]) + TARGET_MARGIN_MB:>10.0f}"
        print(row)
    print(f"# rounds={max(1, args.rounds)}, medians; CPU = user + system seconds of the process")


if __name__ == "__main__":
    main()

"""Run a Lua program many times, a few at once, and count the runs that fail or print
something else than its recorded output: the check for intermittent object-identity faults
(docs/fidelity.md), which showed in one or two runs in ten of clone-heavy recurrent code under
load and never in a single quiet run.

    python scripts/stress_identity.py [program.lua] [--runs 40] [--jobs 2]

The program defaults to tests/oracle/rnn_seeded.lua, compared with the .out beside it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_once(program: Path, expected: str | None) -> str | None:
    """None when the run passed, else what went wrong (the first differing line or the error)."""
    p = subprocess.run(
        [sys.executable, "-m", "luatorch", str(program)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if p.returncode != 0:
        return f"exit {p.returncode}: {(p.stderr or p.stdout)[-300:]}"
    if expected is not None and p.stdout != expected:
        for a, b in zip(expected.splitlines(), p.stdout.splitlines(), strict=False):
            if a != b:
                return f"differs: {b!r} instead of {a!r}"
        return "differs in length"
    return None


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("program", nargs="?", default=str(ROOT / "tests/oracle/rnn_seeded.lua"))
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    program = Path(args.program)
    out = program.with_suffix(".out")
    expected = out.read_text() if out.exists() else None
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda _: run_once(program, expected), range(args.runs)))
    bad = [r for r in results if r is not None]
    for r in bad:
        print("FAILED:", r)
    print(f"{len(bad)} of {args.runs} runs failed ({args.jobs} at once)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

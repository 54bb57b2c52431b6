"""Run Torch7's and nn's own test files (../shared/upstream, unchanged) in full, as a user would.

    python scripts/upstream_suites.py                 # both suites through `python -m luatorch`
    python scripts/upstream_suites.py nn --times      # one suite, with each test's CPU time
    python scripts/upstream_suites.py --th /path/to/th  # real Torch7 beside it: time ratios

Each suite runs through upstream's ``run.sh`` (``torch.test()``, ``nn.test(nil, 123)``). The
script prints each suite's ``Completed ...`` line, the tests that failed, the CPU time (user +
system of the child) and, with ``--th``, the same for real Torch7 and the ratio. It exits with
status 1 when a suite does not complete with 0 failures and 0 errors. The pytest suite runs the
torch file in full and a fast subset of nn's (tests/fidelity/test_upstream.py); this script
is the full run of both.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
UPSTREAM = REPO.parent / "shared" / "upstream"
SUITES = ("torch", "nn")

# a test's line in Tester's report: "  3/212 BatchMMNoTranspose ........ [PASS]"
RESULT = re.compile(r"(\d+)/(\d+) (\S+) \.*\s*\[(PASS|FAIL|ERROR|SKIP)\]")
COMPLETED = re.compile(r"Completed \d+ asserts in \d+ tests with .*")
ANSI = re.compile(r"\x1b\[[0-9;]*m")

# per-test CPU times, written by the Lua hook below when --times is given
TIMES_HOOK = r"""
local out = io.open(os.getenv('LUATORCH_UPSTREAM_TIMES'), 'w')
local pcallTest = torch.Tester._pcall
torch.Tester._pcall = function(self, f)
   local name = '?'
   for k, v in pairs(self.tests) do if v == f then name = k end end
   local t0 = os.clock()
   local a, b, c = pcallTest(self, f)
   out:write(string.format('%.2f %s\n', os.clock() - t0, name))
   out:flush()
   return a, b, c
end
"""


def run_suite(cmd: str, suite: str, times: Path | None = None) -> tuple[str, float, float]:
    """(output, CPU seconds of the child, wall seconds) of run.sh CMD SUITE."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    if times is not None:
        hook = times.with_suffix(".lua")
        hook.write_text(TIMES_HOOK)
        env["LUATORCH_UPSTREAM_TIMES"] = str(times)
        cmd = f"{cmd} -l torch -e dofile('{hook}')"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        ["bash", str(UPSTREAM / "run.sh"), cmd, suite],
        capture_output=True,
        text=True,
        env=env,
        errors="replace",
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return ANSI.sub("", proc.stdout + proc.stderr), cpu, wall


def summary(out: str) -> tuple[str, list[str]]:
    done = COMPLETED.findall(out)
    failed = [f"{m[2]} [{m[3]}]" for m in RESULT.findall(out) if m[3] in ("FAIL", "ERROR")]
    return (done[-1] if done else "did not complete"), failed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("suites", nargs="*", default=list(SUITES), choices=SUITES)
    ap.add_argument("--th", help="real Torch7's th, to run the same files beside luatorch")
    ap.add_argument("--times", action="store_true", help="print each test's CPU time")
    args = ap.parse_args()
    if not (UPSTREAM / "run.sh").is_file():
        print(f"no upstream test files: {UPSTREAM} is missing", file=sys.stderr)
        return 2
    ok = True
    for suite in args.suites:
        times = Path(tempfile.mkdtemp()) / f"times_{suite}.txt" if args.times else None
        out, cpu, wall = run_suite(f"{sys.executable} -m luatorch", suite, times)
        done, failed = summary(out)
        ok = ok and done.endswith("0 failures and 0 errors")
        print(f"== {suite}: {done}")
        print(f"   luatorch: {cpu:.1f} s CPU, {wall:.1f} s wall")
        for f in failed:
            print(f"   failed: {f}")
        if times is not None and times.is_file():
            rows = sorted(
                (line.split(" ", 1) for line in times.read_text().splitlines()),
                key=lambda r: -float(r[0]),
            )
            for secs, name in rows:
                print(f"   {float(secs):8.2f} s  {name}")
        if args.th:
            ref, rcpu, rwall = run_suite(args.th, suite)
            rdone, _ = summary(ref)
            print(f"   Torch7:   {rcpu:.1f} s CPU, {rwall:.1f} s wall ({rdone})")
            ratio_cpu, ratio_wall = cpu / max(rcpu, 1e-9), wall / max(rwall, 1e-9)
            print(f"   ratio:    {ratio_cpu:.2f}x CPU, {ratio_wall:.2f}x wall")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

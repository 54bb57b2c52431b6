"""Run Torch7's and nn's own test files (../shared/upstream, unchanged) in full, as a user would.

    python scripts/upstream_suites.py                 # both suites through `python -m luatorch`
    python scripts/upstream_suites.py nn --times      # one suite, with each test's CPU time
    python scripts/upstream_suites.py --th /path/to/th  # real Torch7 beside it: time ratios
    python scripts/upstream_suites.py nn --th /path/to/th --times --sorted  # ranked by the gap
    python scripts/upstream_suites.py nn --seed 42 --sorted   # another seed, another order

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

# Tester runs its tests in pairs() order, which differs between LuaJIT builds, and each test
# draws its sizes from the random stream the earlier ones left: running them by name in sorted
# order gives every runtime the same order, hence the same sizes (--sorted)
SORTED_HOOK = r"""
local runTests = torch.Tester._run
torch.Tester._run = function(self, tests)
   local names = {}
   for name in pairs(tests) do names[#names + 1] = name end
   table.sort(names)
   for _, name in ipairs(names) do runTests(self, {[name] = tests[name]}) end
end
"""


def run_suite(
    cmd: str,
    suite: str,
    times: Path | None = None,
    th: bool = False,
    ordered: bool = False,
    seed: int | None = None,
    names: list[str] | None = None,
) -> tuple[str, float, float]:
    """(output, CPU seconds of the child, wall seconds) of run.sh CMD SUITE [NAMES].

    times: where each test's CPU time goes; th: CMD is real Torch7's th (one -e chunk only);
    ordered: tests in sorted order; seed: nn.test's seed instead of run.sh's 123.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    hook = "require 'torch'\n"
    if times is not None:
        hook += TIMES_HOOK
        env["LUATORCH_UPSTREAM_TIMES"] = str(times)
    if ordered:
        hook += SORTED_HOOK
    if times is not None or ordered:
        path = Path(tempfile.mkdtemp()) / "hook.lua"
        path.write_text(hook)
        if th:
            # th runs only one -e chunk; its luajit runs LUA_INIT before th's own code
            env["LUA_INIT"] = f"@{path}"
        else:
            cmd = f"{cmd} -e dofile('{path}')"
    args = ["bash", str(UPSTREAM / "run.sh"), cmd, suite, *(names or [])]
    if seed is not None and suite == "nn":
        # run.sh's own line with another seed
        listed = "{" + "".join(f"'{n}'," for n in names) + "}" if names else "nil"
        code = f"require 'nn'; dofile('{UPSTREAM / 'nn_test.lua'}'); nn.test({listed}, {seed})"
        args = [*cmd.split(), "-e", code]  # run.sh's line: its command split at spaces
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, env=env, errors="replace")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return ANSI.sub("", proc.stdout + proc.stderr), cpu, wall


def read_times(path: Path | None) -> dict[str, float]:
    """{test name: CPU seconds} from the file the Lua hook wrote (empty when there is none)."""
    if path is None or not path.is_file():
        return {}
    rows = (line.split(" ", 1) for line in path.read_text().splitlines())
    return {name: float(secs) for secs, name in rows}


def summary(out: str) -> tuple[str, list[str]]:
    done = COMPLETED.findall(out)
    failed = [f"{m[2]} [{m[3]}]" for m in RESULT.findall(out) if m[3] in ("FAIL", "ERROR")]
    return (done[-1] if done else "did not complete"), failed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("suites", nargs="*", default=list(SUITES), choices=SUITES)
    ap.add_argument("--th", help="real Torch7's th, to run the same files beside luatorch")
    ap.add_argument("--times", action="store_true", help="print each test's CPU time")
    ap.add_argument("--top", type=int, default=40, help="how many tests --times lists")
    ap.add_argument("--sorted", action="store_true", help="run the tests in sorted order")
    ap.add_argument("--seed", type=int, help="nn.test's seed (run.sh's is 123)")
    args = ap.parse_args()
    if not (UPSTREAM / "run.sh").is_file():
        print(f"no upstream test files: {UPSTREAM} is missing", file=sys.stderr)
        return 2
    ok = True
    for suite in args.suites:
        times = Path(tempfile.mkdtemp()) / f"times_{suite}.txt" if args.times else None
        out, cpu, wall = run_suite(
            f"{sys.executable} -m luatorch", suite, times, ordered=args.sorted, seed=args.seed
        )
        done, failed = summary(out)
        ok = ok and done.endswith("0 failures and 0 errors")
        print(f"== {suite}: {done}")
        print(f"   luatorch: {cpu:.1f} s CPU, {wall:.1f} s wall")
        for f in failed:
            print(f"   failed: {f}")
        ours = read_times(times)
        if args.th:
            rtimes = times.with_name(f"th_{suite}.txt") if times is not None else None
            ref, rcpu, rwall = run_suite(
                args.th, suite, rtimes, th=True, ordered=args.sorted, seed=args.seed
            )
            rdone, _ = summary(ref)
            print(f"   Torch7:   {rcpu:.1f} s CPU, {rwall:.1f} s wall ({rdone})")
            ratio_cpu, ratio_wall = cpu / max(rcpu, 1e-9), wall / max(rwall, 1e-9)
            print(f"   ratio:    {ratio_cpu:.2f}x CPU, {ratio_wall:.2f}x wall")
            theirs = read_times(rtimes)
            if ours:
                # biggest absolute gaps first: where the seconds are to be won
                print("   gap (s)   luatorch   Torch7   ratio  test")
                gaps = sorted(ours, key=lambda n: -(ours[n] - theirs.get(n, 0.0)))
                for name in gaps[: args.top]:
                    o, t = ours[name], theirs.get(name, 0.0)
                    ratio = f"{o / t:6.1f}x" if t > 0 else "     -"
                    print(f"   {o - t:7.2f}  {o:8.2f}  {t:7.2f}  {ratio}  {name}")
        elif ours:
            for name, secs in sorted(ours.items(), key=lambda r: -r[1])[: args.top]:
                print(f"   {secs:8.2f} s  {name}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Run each test of Torch7's or nn's own test file alone, each in a fresh process.

    python scripts/upstream_each.py                      # nn's tests, seed 123, 2 at a time
    python scripts/upstream_each.py torch --jobs 1       # torch7's tests
    python scripts/upstream_each.py nn --seed 42 --th /path/to/th   # failures checked in Torch7
    python scripts/upstream_each.py nn Linear Add        # only these tests

A test that passes in the whole run but fails alone (or the other way round) depends on what ran
before it: state our runtime leaks between tests, or a test drawing its sizes from the random
stream the earlier ones left. Each test runs through upstream's ``run.sh`` with its name
anchored (``'^Add$'``: Tester takes names as patterns, and ``Add`` alone would also run
``CAdd``), or with ``--seed``, run.sh's own line with another seed. With ``--th`` every
failing test runs again under real Torch7 with the same seed: a test failing there too fails by
itself (its random sizes, say), not because of luatorch. Exits with status 1 when a test fails
under luatorch and not under Torch7.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
UPSTREAM = REPO.parent / "shared" / "upstream"
SUITES = ("torch", "nn")
COMPLETED = re.compile(
    r"Completed \d+ asserts? in (\d+) tests? with (\d+) failures? and (\d+) error"
)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


# Tester's run listing its tests instead of running them
LIST_HOOK = """
require 'torch'
torch.Tester._run = function(self, tests)
   for name in pairs(tests) do print('TEST ' .. name) end
end
"""


def test_names(suite: str) -> list[str]:
    """The tests the file gives Tester (sorted), as luatorch loads it."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    with tempfile.TemporaryDirectory() as tmp:
        hook = Path(tmp) / "list.lua"
        hook.write_text(LIST_HOOK)
        # run.sh splits its command at spaces: the hook goes by file
        cmd = f"{sys.executable} -m luatorch -e dofile('{hook}')"
        proc = subprocess.run(
            ["bash", str(UPSTREAM / "run.sh"), cmd, suite],
            capture_output=True,
            text=True,
            env=env,
            errors="replace",
        )
    return sorted(re.findall(r"^TEST (\S+)\s*$", proc.stdout, flags=re.M))


def run_one(cmd: str, suite: str, name: str, seed: int | None) -> tuple[bool, str]:
    """(passed, output) of one test run alone in a fresh process."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    pattern = f"^{name}$"
    if seed is None or suite == "torch":
        args = ["bash", str(UPSTREAM / "run.sh"), cmd, suite, pattern]
    else:
        code = (
            f"require 'nn'; dofile('{UPSTREAM / 'nn_test.lua'}'); nn.test({{'{pattern}'}}, {seed})"
        )
        args = [*cmd.split(), "-e", code]  # run.sh's line: its command split at spaces
    proc = subprocess.run(args, capture_output=True, text=True, env=env, errors="replace")
    out = ANSI.sub("", proc.stdout + proc.stderr)
    done = COMPLETED.findall(out)
    passed = bool(done) and done[-1] == ("1", "0", "0")
    return passed, out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("suite", nargs="?", default="nn", choices=SUITES)
    ap.add_argument("names", nargs="*", help="tests to run (default: all the file defines)")
    ap.add_argument("--seed", type=int, help="nn.test's seed (run.sh's is 123)")
    ap.add_argument("--jobs", type=int, default=2, help="tests running at once")
    ap.add_argument("--th", help="real Torch7's th: run failing tests there too")
    args = ap.parse_args()
    if not (UPSTREAM / "run.sh").is_file():
        print(f"no upstream test files: {UPSTREAM} is missing", file=sys.stderr)
        return 2
    names = args.names or test_names(args.suite)
    ours = f"{sys.executable} -m luatorch"

    def one(name: str) -> tuple[str, bool, str]:
        passed, out = run_one(ours, args.suite, name, args.seed)
        return name, passed, out

    failed: list[tuple[str, str]] = []
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for i, (name, passed, out) in enumerate(pool.map(one, names), 1):
            print(f"{i:4d}/{len(names)} {name:.<50} {'PASS' if passed else 'FAIL'}", flush=True)
            if not passed:
                failed.append((name, out))
    ours_only = 0
    for name, out in failed:
        print(f"\n== {name} fails alone under luatorch:")
        print("   " + "\n   ".join(out.strip().splitlines()[-15:]))
        if args.th:
            passed, _ = run_one(args.th, args.suite, name, args.seed)
            print(f"   Torch7 alone: {'passes' if passed else 'fails too'}")
            ours_only += passed
        else:
            ours_only += 1
    seed = args.seed if args.seed is not None else 123
    print(f"\n{len(names) - len(failed)}/{len(names)} pass alone (seed {seed})", end="")
    print(f"; {ours_only} fail under luatorch only" if args.th else "")
    return 1 if ours_only else 0


if __name__ == "__main__":
    sys.exit(main())

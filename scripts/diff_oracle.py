"""Run Lua snippets under real Torch7 and under luatorch and report where the output differs.

    python scripts/diff_oracle.py [DIR_OR_FILE ...] [--th PATH] [--diff] [--timeout S]

Each ``*.lua`` file is run from its own folder by the oracle's ``th`` (``--th``, or the
``LUATORCH_ORACLE_TH`` environment variable) and by ``python -m luatorch`` from this checkout;
stdout and stderr are compared byte for byte (as ``tests/fidelity/test_oracle.py`` does with the
outputs recorded by ``scripts/record_oracle.sh``). Without a path, the scripts of tests/oracle are
run, which checks the recorded outputs are still what Torch7 prints. ``--diff`` shows a unified
diff per differing file (Torch7 first); the exit status is the number of differing files (max 100).
"""

from __future__ import annotations

import argparse
import difflib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(cmd: list[str], script: Path, timeout: float) -> bytes:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    try:
        res = subprocess.run(
            [*cmd, script.name],
            cwd=script.parent,
            capture_output=True,
            env=env,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return b"<timeout>\n"
    return res.stdout + res.stderr


def collect(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        out.extend(sorted(p.glob("*.lua")) if p.is_dir() else [p])
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("paths", nargs="*", default=[str(ROOT / "tests" / "oracle")])
    ap.add_argument("--th", default=os.environ.get("LUATORCH_ORACLE_TH"))
    ap.add_argument("--diff", action="store_true", help="print a unified diff for each difference")
    ap.add_argument("--timeout", type=float, default=120.0)
    args = ap.parse_args()
    if not args.th:
        ap.error("give --th PATH (real Torch7's th) or set LUATORCH_ORACLE_TH")
    th = str(Path(args.th).resolve())
    differing = []
    for script in collect(args.paths):
        want = run([th], script, args.timeout)
        got = run([sys.executable, "-m", "luatorch"], script, args.timeout)
        if want == got:
            print(f"same  {script}")
            continue
        differing.append(script)
        print(f"DIFF  {script}")
        if args.diff:
            sys.stdout.writelines(
                difflib.unified_diff(
                    want.decode("utf-8", "replace").splitlines(keepends=True),
                    got.decode("utf-8", "replace").splitlines(keepends=True),
                    "torch7",
                    "luatorch",
                )
            )
    print(f"{len(differing)} of {len(collect(args.paths))} differ")
    return min(len(differing), 100)


if __name__ == "__main__":
    sys.exit(main())

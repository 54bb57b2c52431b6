"""Differential test against real Torch7: Lua snippets run under the oracle and luatorch, diffed.

Each ``*.lua`` file (given directly, or found in a given directory) runs twice from its own folder:
under real Torch7's ``th`` (``--oracle``, default ``$TORCH_TH`` or ``th`` on PATH) and under
``python -m luatorch`` from this checkout. stdout+stderr must match byte for byte; the script lists
the snippets that differ with a unified diff of each (``--quiet`` for names only) and exits 1 if any
differ. Snippets whose output should become a CI test go to tests/oracle/ (recorded with
scripts/record_oracle.sh), where tests/fidelity/test_oracle.py compares them without the oracle.

Usage: python scripts/diff_oracle.py [--oracle PATH] [-j N] [--quiet] DIR_OR_FILE ...
"""

from __future__ import annotations

import argparse
import difflib
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(cmd: list[str], cwd: Path, timeout: float) -> bytes:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    try:
        res = subprocess.run(cmd, cwd=cwd, capture_output=True, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return b"<timeout>\n"
    return res.stdout + res.stderr


def compare(script: Path, oracle: str, timeout: float) -> tuple[Path, bytes, bytes]:
    """Both runtimes' output (stdout then stderr) for one snippet."""
    want = _run([oracle, script.name], script.parent, timeout)
    got = _run([sys.executable, "-m", "luatorch", script.name], script.parent, timeout)
    return script, want, got


def _collect(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        out.extend(sorted(p.glob("*.lua")) if p.is_dir() else [p])
    return [p.resolve() for p in out]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--oracle", default=os.environ.get("TORCH_TH") or shutil.which("th") or "th")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--quiet", action="store_true", help="names of differing snippets only")
    args = ap.parse_args(argv)
    scripts = _collect(args.paths)
    bad = 0
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for script, want, got in pool.map(lambda s: compare(s, args.oracle, args.timeout), scripts):
            if want == got:
                continue
            bad += 1
            print(f"DIFF {script}")
            if not args.quiet:
                lines = difflib.unified_diff(
                    want.decode("utf-8", "replace").splitlines(keepends=True),
                    got.decode("utf-8", "replace").splitlines(keepends=True),
                    "torch7",
                    "luatorch",
                )
                sys.stdout.writelines(lines)
                print()
    print(f"{len(scripts) - bad}/{len(scripts)} snippets print the same under both")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

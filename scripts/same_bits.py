"""Run every same-bits script (tests/same_bits/*.lua) to the end in Double and Float and compare
each printed line with real Torch7's (tests/same_bits/golden); the test suite runs the long
training loops for their first steps only.

    python scripts/same_bits.py             # compare luatorch with the golden files
    python scripts/same_bits.py --th PATH   # regenerate the golden files with Torch7's th
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent / "tests" / "same_bits"
SCRIPTS = ["reductions", "transfer", "criterions", "modules", "optim_small", "optim_more", "b_mlp",
           "c_lenet", "g_resblock", "h_lstm", "elementwise"]  # fmt: skip


def recording_env() -> dict[str, str]:
    """Both runtimes on OpenBLAS's Haswell kernels, as the golden files were recorded (the
    kernels OpenBLAS picks by CPU sum in different orders; tests/fidelity/test_same_bits.py)."""
    env = dict(os.environ)
    if platform.machine() in ("x86_64", "AMD64"):
        env["OPENBLAS_CORETYPE"] = "Haswell"
    return env


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--th", help="Torch7's th: write its output as the golden files")
    args = ap.parse_args()
    bad = 0
    for script in SCRIPTS:
        for kind in ("double", "float"):
            golden = HERE / "golden" / f"{script}.{kind}.out"
            cmd = [args.th] if args.th else [sys.executable, "-m", "luatorch"]
            t0 = time.perf_counter()
            proc = subprocess.run(
                [*cmd, f"{script}.lua", kind],
                cwd=HERE,
                capture_output=True,
                text=True,
                env=recording_env(),
            )
            took = time.perf_counter() - t0
            if proc.returncode:
                print(f"{script} {kind}: exit {proc.returncode}\n{proc.stderr}")
                bad += 1
                continue
            if args.th:
                golden.write_text(proc.stdout)
                print(f"{script} {kind}: wrote {golden.name} ({took:.1f} s)")
                continue
            want = golden.read_text().splitlines()
            got = proc.stdout.splitlines()
            diff = sum(a != b for a, b in zip(want, got, strict=False)) + abs(len(want) - len(got))
            bad += diff > 0
            print(f"{script} {kind}: {len(want) - diff}/{len(want)} lines equal ({took:.1f} s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

"""Scripts under tests/oracle/ print what real Torch7 printed for them (the .out files, recorded
with scripts/record_oracle.sh from a Torch7 install with the same packages): run through the
``luatorch`` CLI, the output must be the same, byte for byte."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from blas_env import recording_env

ORACLE = Path(__file__).resolve().parents[1] / "oracle"
SCRIPTS = sorted(p.stem for p in ORACLE.glob("*.lua"))


@pytest.mark.parametrize("name", SCRIPTS)
def test_same_output_as_torch7(name: str) -> None:
    expected = (ORACLE / f"{name}.out").read_bytes()
    env = recording_env()
    env["PYTHONPATH"] = str(ORACLE.parent.parent) + os.pathsep + env.get("PYTHONPATH", "")
    res = subprocess.run(
        [sys.executable, "-m", "luatorch", f"{name}.lua"],
        cwd=ORACLE,
        capture_output=True,
        env=env,
        timeout=300,
    )
    assert res.stdout + res.stderr == expected

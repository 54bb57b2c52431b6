"""The examples under luatorch/examples run through the ``luatorch`` CLI and print what real
Torch7 printed for them (tests/oracle/example_*.txt, recorded with the same command lines from a
Torch7 install with threads, image, hdf5 and lua-cjson)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "luatorch" / "examples"
ORACLE = Path(__file__).resolve().parents[1] / "oracle"


def run(tmp_path: Path, script: str, *args: str) -> str:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    res = subprocess.run(
        [sys.executable, "-m", "luatorch", str(EXAMPLES / script), *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert res.returncode == 0, res.stderr
    return res.stdout


def test_dcgan_with_one_loader_thread_trains_as_torch7(tmp_path: Path) -> None:
    # one worker: the batches arrive in a fixed order, so the losses are Torch7's exactly
    out = run(tmp_path, "dcgan_threads.lua", "-niter", "5", "-nThreads", "1")
    iters = "".join(
        line.rstrip("\t") + "\n" for line in out.splitlines() if line.startswith("iter")
    )
    assert iters == (ORACLE / "example_dcgan_threads.txt").read_text().replace("\t\n", "\n")


def test_dcgan_with_two_loader_threads_and_display(tmp_path: Path) -> None:
    pytest.importorskip("PIL")
    out = run(tmp_path, "dcgan_threads.lua", "-niter", "4", "-nThreads", "2", "-display", "2")
    assert len(re.findall(r"^iter +\d+ +errD [0-9.]+ +errG [0-9.]+", out, re.M)) == 4
    assert "4 iterations in" in out and "2 loader threads" in out
    page = (tmp_path / "display.html").read_text()
    assert page.count('class="pane"') == 1 and "samples at iteration 4" in page


def test_torch_rnn_hdf5_layout_as_torch7(tmp_path: Path) -> None:
    pytest.importorskip("h5py")
    out = run(tmp_path, "torch_rnn_hdf5.lua")
    out = re.sub(r"/tmp/lua_\w+", "TMP", out)
    assert out == (ORACLE / "example_torch_rnn_hdf5.txt").read_text()

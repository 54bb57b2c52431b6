"""Realistic Torch7 programs (tests/programs/*.lua) run unchanged through the ``luatorch`` CLI.

Each program builds its own synthetic data, trains or transforms it the way classic Torch code
does (tutorials, torch/demos, char-rnn, optim examples) and checks itself with ``assert``. Here we
require a clean exit, no Python traceback, and, where real Torch7's output is known exactly
(module trees, CmdLine help, ConfusionMatrix, tensor printing), those bytes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROGRAMS = Path(__file__).resolve().parents[1] / "programs"
ALL = sorted(p.name for p in PROGRAMS.glob("*.lua"))

# exact fragments of what real Torch7 prints for these programs
EXPECTED: dict[str, list[str]] = {
    "blitz.lua": [
        "Lenet5\nnn.Sequential {\n  [input -> (1) -> (2) -> (3) -> (4) -> (5) -> (6) -> (7) -> (8)"
        " -> (9) -> (10) -> (11) -> (12) -> (13) -> output]\n"
        "  (1): nn.SpatialConvolution(1 -> 6, 5x5)\n  (2): nn.ReLU\n"
        "  (3): nn.SpatialMaxPooling(2x2, 2,2)\n",
        "  (7): nn.View(400)\n  (8): nn.Linear(400 -> 120)\n",
        "  (13): nn.LogSoftMax\n}\t\n",
        "\n 3  3\n 3  3\n[torch.DoubleTensor of size 2x2]\n",
        "  1\n 32\n 32\n[torch.LongStorage of size 3]\n",
    ],
    "cmdline.lua": [
        "Usage: [options] <data>\n\nTrain a character-level language model\n\nOptions\n"
        "  <data>         data directory\n"
        "  -rnn_size      size of LSTM internal state [128]\n"
        "  -model         lstm,gru or rnn [lstm]\n"
        "  -learning_rate learning rate [0.002]\n"
        "  -gpuid         which gpu to use. -1 = use CPU [0]\n"
        "  -verbose       print more [false]\n\n",
        "exp,learning_rate=0.01,model=gru,rnn_size=64,verbose=t\t\n",
        "mydata\t64\tgru\t0.01\ttrue\t0\t\n",
    ],
    "mnist_style.lua": [
        "ConfusionMatrix:\n[[      50       0       0       0]   100.000% \t[class: 1]\n"
        " [       0      50       0       0]   100.000% \t[class: 2]\n",
        " + average row correct: 100% \n + average rowUcol correct (VOC measure): 100% \n"
        " + global correct: 100%\n",
        "200/200 \n\r",
    ],
    "siamese.lua": [
        "  (1): nn.ParallelTable {\n    input\n      |`-> (1): nn.Sequential {\n"
        "      |      [input -> (1) -> (2) -> (3) -> output]\n"
        "      |      (1): nn.Linear(6 -> 8)\n",
        "       `-> (2): nn.Sequential {\n",
        "       ... -> output\n  }\n  (2): nn.PairwiseDistance\n}\n",
    ],
    "tensor_tour.lua": [
        "  1   2\n  6   7\n 11  12\n 16  17\n[torch.DoubleTensor of size 4x2]\n",
        " 0.0000\n 0.2500\n 0.5000\n 0.7500\n 1.0000\n[torch.DoubleTensor of size 5]\n",
        "1e-05 *\n 1.0000\n 2.0000\n[torch.DoubleTensor of size 2]\n",
        "[torch.DoubleTensor with no dimension]\n",
        " 0  0  0  0\n 0  0  1  1\n 1  1  1  1\n[torch.ByteTensor of size 3x4]\n",
        "5\t1\t1024\t3\t\n",
    ],
    "text_classifier.lua": [
        "  (1): nn.LookupTable\n  (2): nn.TemporalConvolution\n  (3): nn.ReLU\n  (4): nn.Max\n"
        "  (5): nn.Dropout(0.200000)\n  (6): nn.Linear(16 -> 2)\n",
    ],
    "cifar_prep.lua": [
        "  (2): nn.SpatialBatchNormalization (4D) (8)\n",
        "  (7): nn.BatchNormalization (2D) (16)\n",
        "[[      32       0       0]   100.000% \n",
    ],
    "image_ops.lua": [
        "  5  10  15  20  25\n  4   9  14  19  24\n  3   8  13  18  23\n",
    ],
    "linear_regression.lua": [
        " 31.9807   0.6501   1.1099\n[torch.DoubleTensor of size 1x3]\n",
    ],
}


# programs written for GPUs: they run with luatorch's CPU emulation of CUDA switched on
EMULATE_CUDA = {"cuda_convert.lua"}


def run_program(name: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, TREPL_HISTORY=os.devnull, COLUMNS="80")
    env.pop("LUA_PATH", None)
    env.pop("LUATORCH_EMULATE_CUDA", None)
    if name in EMULATE_CUDA:
        env["LUATORCH_EMULATE_CUDA"] = "1"
    r = subprocess.run(
        [sys.executable, "-m", "luatorch", str(PROGRAMS / name)],
        capture_output=True,
        cwd=cwd,  # gnuplot and image.display write their pictures into the working directory
        env=env,
        timeout=120,
        check=False,
    )
    # bytes decoded by hand: text mode would turn xlua.progress's \r into \n
    r.stdout = r.stdout.decode("utf-8", "replace")
    r.stderr = r.stderr.decode("utf-8", "replace")
    return r


def test_there_are_programs() -> None:
    assert len(ALL) >= 15


# programs that need an optional extra (luatorch[image] ...)
NEEDS = {"image_ops.lua": "PIL"}


@pytest.mark.parametrize("name", ALL)
def test_program(name: str, tmp_path: Path) -> None:
    if name in NEEDS:
        pytest.importorskip(NEEDS[name])
    r = run_program(name, tmp_path)
    assert "Traceback (most recent call last)" not in r.stderr, r.stderr
    assert r.returncode == 0, (
        f"exit {r.returncode}\nstdout:\n{r.stdout[-3000:]}\nstderr:\n{r.stderr}"
    )
    assert r.stdout.strip(), "the program printed nothing"
    for fragment in EXPECTED.get(name, []):
        assert fragment in r.stdout, f"missing from the output of {name}:\n{fragment!r}"

"""Torch7's and nn's own test files, unchanged, from ../shared/upstream (beside this repository).

Each upstream test becomes a pytest item: it runs alone (``torch.test{'^name$'}``,
``nn.test({'^name$'}, seed)``) in one runtime per suite that loaded the file once, so the items,
in whatever order pytest (or pytest-randomly) runs them, also show that no test depends on
another one having run first. ``test_torch_suite_whole`` runs the whole torch suite through
upstream's ``run.sh``, as a user would; the whole nn suite is run by ``scripts/upstream_suites.py``
(too long for the default run). The nn items in the default run are a fast subset (``NN_FAST``);
``LUATORCH_NN_ALL=1`` runs every nn test as an item.

The folder is shared material outside the repository: where it is absent, these tests skip and
say so. Where it exists, a missing file is a failure, never a skip.
"""

from __future__ import annotations

import functools
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from luatorch.runtime import LuaError, Runtime

REPO = Path(__file__).resolve().parents[2]
UPSTREAM = REPO.parent / "shared" / "upstream"
SUITES = {"torch": "torch7_test.lua", "nn": "nn_test.lua"}
NO_UPSTREAM = (
    f"../shared/upstream (Torch7's own test files) is not beside this repository "
    f"(looked for {UPSTREAM})"
)

# The nn tests in the default run: those that take under half a second of CPU each here (180 of
# 212, 6 s together; measured with scripts/upstream_suites.py nn --times). The whole nn suite
# takes about four minutes of CPU, too long for the default run: LUATORCH_NN_ALL=1 makes every
# nn test an item, and scripts/upstream_suites.py runs the file whole.
NN_FAST = {
    "Abs",
    "AddConstant",
    "BCECriterion",
    "BatchMMNoTranspose",
    "BatchMMTransposeA",
    "BatchMMTransposeB",
    "BatchMMTransposeBoth",
    "BatchMVNoTranspose",
    "BatchMVTranspose",
    "BatchNormalization",
    "Bilinear",
    "Bottle",
    "CAddTensorTable",
    "CMaxTable",
    "CMinTable",
    "CMul",
    "Clamp",
    "ClassNLLCriterion",
    "ClassSimplexCriterion",
    "Collapse",
    "Concat",
    "ConcatTable",
    "Constant",
    "Contiguous",
    "Convert",
    "Copy",
    "Cosine",
    "CosineDistance",
    "CosineEmbeddingCriterion",
    "CrossEntropyCriterion",
    "DepthConcat",
    "DistKLDivCriterion",
    "DistanceRatioCriterion",
    "DontCast",
    "DotProduct",
    "Dropout",
    "ELU",
    "ELUIP",
    "ErrorHandling",
    "Euclidean",
    "Exp",
    "FlattenTable",
    "GPU",
    "GatedLinearUnit",
    "GradientReversal",
    "HardShrink",
    "HardTanh",
    "HingeEmbeddingCriterion",
    "Index",
    "IndexLinear",
    "JoinTable",
    "Kmeans",
    "L1Cost",
    "L1Penalty",
    "LeakyReLU",
    "LeakyReLUIP",
    "LinearWeightNorm",
    "Log",
    "LogSigmoid",
    "LogSoftmax",
    "LookupTable",
    "MM",
    "MSECriterion",
    "MV",
    "MapTable",
    "MarginCriterion",
    "MarginRankingCriterion",
    "MaskedSelect",
    "Max",
    "Mean",
    "Min",
    "MixtureTable",
    "ModuleCriterion",
    "Module_apply",
    "Module_getParameters_1",
    "Module_getParameters_10",
    "Module_getParameters_11",
    "Module_getParameters_12",
    "Module_getParameters_2",
    "Module_getParameters_3",
    "Module_getParameters_4",
    "Module_getParameters_5",
    "Module_getParameters_6",
    "Module_getParameters_7",
    "Module_getParameters_8",
    "Module_listModules",
    "Module_replace",
    "Mul",
    "MulConstant",
    "MultiCriterion",
    "MultiLabelSoftMarginCriterion",
    "MultiMarginCriterion",
    "NaN",
    "Narrow",
    "NarrowTable",
    "Normalize",
    "OneHot",
    "PReLU",
    "Padding",
    "PairwiseDistance",
    "Parallel",
    "ParallelCriterion",
    "ParallelTable",
    "PartialLinear",
    "Power",
    "Profile",
    "RReLU",
    "ReLU",
    "ReLU6",
    "Replicate",
    "Reshape",
    "Select",
    "SelectTable",
    "Sigmoid",
    "SmoothL1Criterion",
    "SoftMarginCriterion",
    "SoftPlus",
    "SoftShrink",
    "Softmax",
    "Softmin",
    "Softsign",
    "SpatialAdaptiveAveragePooling",
    "SpatialAdaptiveMaxPooling",
    "SpatialBatchNormalization",
    "SpatialClassNLLCriterion",
    "SpatialContrastiveNormalization",
    "SpatialConvolution",
    "SpatialConvolutionBatchCompare",
    "SpatialDepthWiseConvolution",
    "SpatialDivisiveNormalization_1dkernel",
    "SpatialDivisiveNormalization_2dkernel",
    "SpatialDropout",
    "SpatialDropoutBatch",
    "SpatialFractionalMaxPooling_Ratio",
    "SpatialFullConvolutionBatchCompare",
    "SpatialFullConvolutionCompare",
    "SpatialFullConvolutionDualInput",
    "SpatialLPPooling",
    "SpatialLogSoftMax",
    "SpatialMaxUnpooling",
    "SpatialReflectionPadding",
    "SpatialReplicationPadding",
    "SpatialSoftMax",
    "SpatialSubSamplingBatchCompare",
    "SpatialSubtractiveNormalization_1dkernel",
    "SpatialSubtractiveNormalization_2dkernel",
    "SpatialUpSamplingNearest",
    "SplitTable",
    "Sqrt",
    "Square",
    "Squeeze",
    "Sum",
    "Tanh",
    "TemporalConvolution",
    "TemporalDynamicKMaxPooling",
    "TemporalMaxPooling",
    "TemporalRowConvolution",
    "TemporalSubSampling",
    "Threshold",
    "Typecast",
    "Unsqueeze",
    "View",
    "VolumetricBatchNormalization",
    "VolumetricConvolutionBatchCompare",
    "VolumetricDropout",
    "VolumetricDropoutBatch",
    "VolumetricFullConvolutionDualInput",
    "VolumetricFullConvolution_simple_test",
    "VolumetricMaxPooling_boundary",
    "VolumetricMaxUnpooling",
    "WeightedEuclidean",
    "WeightedMSECriterion",
    "WhiteNoise",
    "ZeroGrad",
    "ZipTable",
    "ZipTableOneToMany",
    "addSingletonDimension",
    "tostringnnLinear",
    "tostringnnReshape",
    "tostringnnSpatialZeroPadding",
}
NN_SEED = 123

# Enumerates a suite's tests without running them: the suite's own entry point builds its
# Tester, whose run we replace for one call by a function that lists the tests.
_LIST = r"""
local suite = ...
local names = {}
local run = torch.Tester.run
torch.Tester.run = function(self)
   for name in pairs(self.tests) do names[#names + 1] = name end
   return self
end
local ok, err = pcall(suite == 'nn' and nn.test or torch.test, nil, 123)
torch.Tester.run = run
if not ok then error(err, 0) end
table.sort(names)
return table.concat(names, ' ')
"""


def _file(suite: str) -> Path:
    return UPSTREAM / SUITES[suite]


@functools.cache
def _suite(suite: str) -> _Suite | None:
    """The suite's runtime (one per session, for listing and running), None without the file."""
    if not UPSTREAM.is_dir() or not _file(suite).is_file():
        return None
    return _Suite(suite)


def _names(suite: str) -> list[str]:
    """The suite's test names, or [] when the upstream folder is absent."""
    s = _suite(suite)
    return s.names if s is not None else []


def _nn_all() -> bool:
    return os.environ.get("LUATORCH_NN_ALL") == "1"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    for suite in SUITES:
        arg = f"{suite}_test"
        if arg not in metafunc.fixturenames:
            continue
        names = _names(suite)
        if suite == "nn" and not _nn_all():
            names = [n for n in names if n in NN_FAST]
        # an absent folder (or file) still yields one item, which skips (or fails) clearly
        metafunc.parametrize(arg, names or ["<none>"])


class _Suite:
    """One runtime that has loaded an upstream file, running its tests one at a time."""

    def __init__(self, suite: str) -> None:
        self.suite = suite
        self.output: list[str] = []
        self.rt = Runtime(write=self.output.append)
        self.rt.execute(f"require '{suite}' dofile(...)", "=upstream", str(_file(suite)))
        self.names = str(self.rt.execute(_LIST, "=upstream", suite)[0]).split()

    def run(self, name: str, seed: int) -> None:
        self.output.clear()
        pattern = f"^{name}$"  # test names are identifiers: no pattern characters
        if self.suite == "nn":
            code = "nn.test({(...)}, select(2, ...))"
        else:
            # torch.test takes no seed: the tests draw from the global generator
            code = "torch.manualSeed(select(2, ...)) torch.test({(...)})"
        try:
            self.rt.execute(code, "=upstream", pattern, seed)
        except LuaError as e:
            pytest.fail(
                f"{self.suite} test {name} (seed {seed}) failed:\n"
                + "".join(self.output)
                + "\n"
                + e.message,
                pytrace=False,
            )


def _require_upstream(suite: str, name: str) -> None:
    if not UPSTREAM.is_dir():
        pytest.skip(NO_UPSTREAM)
    assert _file(suite).is_file(), f"{_file(suite)} is missing from ../shared/upstream"
    assert name != "<none>", f"no tests found in {_file(suite)}"


@pytest.fixture(scope="module")
def torch_suite() -> _Suite | None:
    return _suite("torch")


@pytest.fixture(scope="module")
def nn_suite() -> _Suite | None:
    return _suite("nn")


def _seed(name: str) -> int:
    # a different seed per test and per session, shown on failure: the tests must not depend
    # on one seed (torch.test itself seeds Lua's math.random from the clock)
    return random.Random(f"{name}{random.random()}").randrange(1, 2**31)


def test_torch(torch_suite: _Suite | None, torch_test: str) -> None:
    _require_upstream("torch", torch_test)
    assert torch_suite is not None
    torch_suite.run(torch_test, _seed(torch_test))


def test_nn(nn_suite: _Suite | None, nn_test: str) -> None:
    _require_upstream("nn", nn_test)
    assert nn_suite is not None
    nn_suite.run(nn_test, NN_SEED)


def test_torch_suite_whole() -> None:
    """``../shared/upstream/run.sh luatorch torch``, as the issue's user ran it."""
    if not UPSTREAM.is_dir():
        pytest.skip(NO_UPSTREAM)
    run_sh = UPSTREAM / "run.sh"
    assert run_sh.is_file() and _file("torch").is_file()
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    cmd = f"{sys.executable} -m luatorch"
    proc = subprocess.run(
        ["bash", str(run_sh), cmd, "torch"], capture_output=True, text=True, env=env, timeout=600
    )
    # (Tester colours its report when run from the command line, as Torch7's)
    out = re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout + proc.stderr)
    m = re.search(r"Completed \d+ asserts in (\d+) tests with 0 failures and 0 errors", out)
    assert proc.returncode == 0 and m, out[-4000:]
    assert int(m.group(1)) == len(_names("torch"))


def test_nn_fast_subset_is_in_the_suite() -> None:
    if not UPSTREAM.is_dir():
        pytest.skip(NO_UPSTREAM)
    assert not NN_FAST - set(_names("nn"))

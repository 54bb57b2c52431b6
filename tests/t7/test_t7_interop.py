"""Files we write load in an independent reader (the torchfile package), with the same values."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from luatorch.runtime import Runtime

torchfile = pytest.importorskip("torchfile")


@pytest.mark.parametrize("mode", ["binary", "ascii"])
def test_torchfile_reads_what_we_write(tmp_path: Path, mode: str) -> None:
    rt = Runtime(write=lambda s: None)
    rt.execute(
        """
      local dir, mode = ...
      require 'nn'
      torch.manualSeed(1)
      model = nn.Sequential():add(nn.Linear(3, 2)):add(nn.Tanh())
      data = {a = torch.range(1, 6):view(2, 3), b = 'str', c = {1, 2.5, 3},
              d = torch.LongTensor{1, -2}, e = torch.FloatTensor{0.5}, f = true}
      torch.save(dir .. '/model.t7', model, mode)
      torch.save(dir .. '/data.t7', data, mode)
    """,
        "=t",
        str(tmp_path),
        mode,
    )
    binary = mode == "binary"
    model = torchfile.load(str(tmp_path / "model.t7")) if binary else None
    if model is not None:
        assert model.torch_typename() == b"nn.Sequential"
        weight = rt.globals.torch._P[rt.eval("model.modules[1].weight")].arr
        np.testing.assert_array_equal(model["modules"][0]["weight"], weight)
        assert model["modules"][1].torch_typename() == b"nn.Tanh"
    if binary:
        data = torchfile.load(str(tmp_path / "data.t7"))
        np.testing.assert_array_equal(data[b"a"], [[1, 2, 3], [4, 5, 6]])
        assert data[b"b"] == b"str"
        assert list(data[b"c"]) == [1, 2.5, 3]
        np.testing.assert_array_equal(data[b"d"], [1, -2])
        assert data[b"e"].dtype == np.float32
        assert data[b"f"] is True
    else:
        # torchfile reads only the binary format; the ascii file must re-load identically here
        same = rt.execute(
            "local d = torch.load(..., 'ascii'); return d.a:equal(data.a), d.b, d.c[2], d.f",
            "=t",
            str(tmp_path / "data.t7"),
        )
        assert same == (True, "str", 2.5, True)

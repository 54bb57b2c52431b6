"""Scripts in tests/oracle/ against the transcripts real Torch7 printed for them (see its README).

They cover torch.HalfTensor/HalfStorage (printing, conversions and their rounding, the methods
Torch7 gives Half, binary and ASCII serialization bytes) and TH behaviours that Torch7's own
test file relies on (select on a vector, gels result shapes and strides, alias sampling).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from luatorch.runtime import Runtime

ORACLE = Path(__file__).resolve().parent / "oracle"
SCRIPTS = sorted(p.stem for p in ORACLE.glob("*.lua"))


def transcript(name: str) -> str:
    out: list[str] = []
    rt = Runtime(write=out.append)
    rt.execute((ORACLE / f"{name}.lua").read_text(), "@" + f"{name}.lua")
    return "".join(out)


def test_there_are_scripts() -> None:
    assert len(SCRIPTS) >= 3


@pytest.mark.parametrize("name", SCRIPTS)
def test_same_output_as_torch7(name: str) -> None:
    expected = (ORACLE / f"{name}.out").read_bytes().decode("latin-1")
    assert transcript(name) == expected


def test_select_errors_on_a_vector() -> None:
    # TH: get1d's argument check (Torch7 adds the C file to the message)
    rt = Runtime(write=lambda s: None)
    ok, msg = rt.execute("local v = torch.Tensor{5, 6, 7} return pcall(v.select, v, 1, 4)", "=s")
    assert not ok and msg == "bad argument #2 to 'select' (out of range)"
    ok, msg = rt.execute("local v = torch.Tensor() return pcall(v.select, v, 1, 1)", "=s")
    assert not ok and msg == "bad argument #1 to 'select' (empty Tensor)"


def test_half_method_set_is_torch7s() -> None:
    # TensorMath.lua wraps nothing for HalfTensor: only generic/Tensor.c's and Tensor.lua's
    # methods, plus those Torch7's start-up defines (abs, add, fill, max, mean, reshape)
    rt = Runtime(write=lambda s: None)
    (names,) = rt.execute(
        """
      local t = {}
      for k in pairs(torch.getmetatable('torch.HalfTensor')) do
         if not k:match('^__') then t[#t + 1] = k end
      end
      table.sort(t)
      return table.concat(t, ' ')
    """,
        "=methods",
    )
    torch7 = (
        "abs add byte cdata char chunk clone contiguous copy data dim double elementSize "
        "expand expandAs fill float free half int isContiguous isSameSizeAs isSetTo isSize "
        "long max mean nDimension nElement narrow new permute read real repeatTensor reshape "
        "resize resizeAs retain select set short size split storage storageOffset stride sub "
        "t totable transpose type typeAs unfold view viewAs write"
    ).split()
    # retain/free are luaT's reference counting: Lua's collector owns our tensors
    assert names.split() == sorted(set(torch7) - {"retain", "free"})


@pytest.mark.parametrize("ttype", ["Double", "Float", "Long", "Half"])
def test_real_is_the_default_type(ttype: str) -> None:
    rt = Runtime(write=lambda s: None)
    (got,) = rt.execute(
        "torch.setdefaulttensortype('torch.FloatTensor') "
        f"return torch.{ttype}Tensor(2):real():type()",
        "=real",
    )
    assert got == "torch.FloatTensor"

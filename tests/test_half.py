"""torch.HalfTensor's method set, x:real(), and select on a vector: facts measured on real Torch7
(their printing, conversions and serialization are oracle transcripts: tests/oracle/half_*.lua)."""

from __future__ import annotations

import pytest

from luatorch.runtime import Runtime


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

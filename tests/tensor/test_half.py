"""torch.HalfTensor's method set, x:real(), and select on a vector: facts measured on real Torch7
(their printing, conversions and serialization are oracle transcripts: tests/oracle/half_*.lua)."""

from __future__ import annotations

import pytest

from luatorch.runtime import Runtime


def test_select_errors_on_a_vector() -> None:
    # TH: get1d's argument check (Torch7 adds the C file to the message)
    rt = Runtime(write=lambda s: None)
    ok, msg = rt.execute("local v = torch.Tensor{5, 6, 7} return pcall(v.select, v, 1, 4)", "=s")
    # (called by pcall, the function's name is unknown: LuaJIT says '?')
    assert not ok and msg == "bad argument #2 to '?' (out of range)"
    ok, msg = rt.execute("local v = torch.Tensor() return pcall(v.select, v, 1, 1)", "=s")
    assert not ok and msg == "bad argument #1 to '?' (empty Tensor)"


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


def test_python_api_reads_and_writes_half_as_float16(tmp_path) -> None:
    # Torch7's torch.save(path, torch.Tensor{{1.5, 2.25}, {1/3, 65504}}:half()) writes the same
    # bytes as t7.save of this float16 array (checked with cmp against real Torch7)
    import numpy as np

    from luatorch import t7

    a = np.array([[1.5, 2.25], [1 / 3, 65504]], dtype=np.float16)
    ours, lua = tmp_path / "py.t7", tmp_path / "lua.t7"
    t7.save(ours, a)
    rt = Runtime(write=lambda s: None)
    (typename,) = rt.execute(
        f"torch.save('{lua}', torch.Tensor{{{{1.5, 2.25}}, {{1/3, 65504}}}}:half())"
        f" return torch.type(torch.load('{ours}'))",
        "=half_t7",
    )
    assert typename == "torch.HalfTensor"
    assert ours.read_bytes() == lua.read_bytes()
    back = t7.load(ours)
    assert back.dtype == np.float16 and (back == a).all()

"""Tensor headers read by LuaJIT (tensor/header.py, lua/torch/header.lua): kept in sync with the
tensors, memory-safe after storage changes, and giving the same results as the Python paths."""

from __future__ import annotations

import numpy as np
import pytest

from luatorch.runtime import LuaError, Runtime
from luatorch.tensor import header
from luatorch.tensor.core import Tensor


@pytest.fixture(scope="module")
def rt() -> Runtime:
    return Runtime(write=lambda s: None)


def check_all_headers(rt: Runtime) -> int:
    """Every tensor Lua holds has a header equal to its Python geometry; returns how many."""
    n = 0
    for obj in list(rt.bindings.anchors.values()):
        if isinstance(obj, Tensor):
            assert obj._hslot >= 0
            header.check_tensor(obj)
            n += 1
    return n


def test_headers_follow_every_geometry_change(rt: Runtime) -> None:
    rt.execute("""
      keep = {}
      local x = torch.randn(4, 5)
      keep[#keep + 1] = x
      keep[#keep + 1] = x:narrow(1, 2, 2)
      keep[#keep + 1] = x:select(2, 3)
      keep[#keep + 1] = x:t()
      keep[#keep + 1] = x:view(20)
      keep[#keep + 1] = x:unfold(2, 2, 1)
      keep[#keep + 1] = x[{{2, 3}, {}}]
      local y = torch.Tensor()
      y:resize(3, 3):fill(2)
      keep[#keep + 1] = y
      local z = torch.Tensor():set(x:storage(), 3, torch.LongStorage({2, 2}))
      keep[#keep + 1] = z
      z:resize(6)
      local w = torch.Tensor(2)
      w:set(y)
      keep[#keep + 1] = w
      local big = torch.Tensor(1, 1, 1, 1, 1, 1, 1, 1, 2):fill(1)  -- 9 dims: Python answers
      keep[#keep + 1] = big
      bigOne = big
      local f = torch.FloatTensor(3):copy(torch.Tensor{1, 2, 3})
      keep[#keep + 1] = f
      local s = torch.DoubleStorage(10)
      local v = torch.Tensor(s, 2, 4)
      keep[#keep + 1] = v
      s:resize(20)
      keep[#keep + 1] = torch.Tensor(3):zero():storage()
    """)
    rt.execute("for _, t in ipairs(keep) do local _ = torch._P[t] end")  # Python objects now
    assert check_all_headers(rt) >= 12
    assert rt.execute("return bigOne:size(9), bigOne:dim(), bigOne:nElement()") == (2, 9, 2)


def test_geometry_answers_match_python(rt: Runtime) -> None:
    res = rt.execute("""
      local x = torch.randn(3, 4):t()
      local out = {x:dim(), x:size(1), x:size(2), x:stride(1), x:stride(2), x:nElement(),
                   x:isContiguous(), x:storageOffset(), x:narrow(1, 2, 2):storageOffset(),
                   x:t():isContiguous(), torch.Tensor():dim(), torch.Tensor():nElement(),
                   torch.Tensor(1, 5):t():isContiguous()}
      return unpack(out)
    """)
    assert res == (2, 4, 3, 1, 4, 12, False, 1, 2, True, 0, 0, True)


def test_size_of_a_missing_dimension_is_torchs_error(rt: Runtime) -> None:
    with pytest.raises(LuaError, match="out of range"):
        rt.execute("return torch.Tensor(3):size(2)")
    assert rt.execute("return torch.Tensor(3):size()[1]") == (3,)


@pytest.mark.parametrize("ttype", ["Double", "Float", "Long", "Int", "Short", "Char", "Byte"])
def test_element_access_every_type(rt: Runtime, ttype: str) -> None:
    res = rt.execute(f"""
      local x = torch.{ttype}Tensor(5):zero()
      x[1] = 3; x[-1] = 7; x[2] = 2.5
      x[3] = 1000   -- out of range for Char/Byte: Python converts as TH does
      local v = x:narrow(1, 2, 3)
      v[2] = 4
      return x[1], x[2], x[3], x[4], x[5], v[1], v[-1]
    """)
    dt = {"Double": np.float64, "Float": np.float32, "Long": np.int64, "Int": np.int32,
          "Short": np.int16, "Char": np.int8, "Byte": np.uint8}[ttype]  # fmt: skip
    integer = ttype not in ("Double", "Float")
    expect = [3, 2 if integer else 2.5, 4, 0, 7]
    thousand = {"Char": -24, "Byte": 232}.get(ttype, 1000)
    expect[2] = 4  # v[2] is x[3]
    assert res[0] == 3 and res[1] == expect[1] and res[2] == 4 and res[4] == 7
    assert res[5] == res[1] and res[6] == 0
    (x,) = rt.execute(f"local x = torch.{ttype}Tensor(1); x[1] = 1000; return x[1]")
    assert x == thousand and isinstance(x, (int, float))
    assert rt.execute(f"return torch.{ttype}Tensor(1):elementSize()") == (np.dtype(dt).itemsize,)


def test_long_elements_are_numbers_beyond_32_bits(rt: Runtime) -> None:
    assert rt.execute("local x = torch.LongTensor(2); x[1] = 2^40 + 3; return x[1]") == (2**40 + 3,)
    assert rt.execute("return type(torch.LongTensor({5})[1])") == ("number",)


def test_index_errors_stay_torchs(rt: Runtime) -> None:
    with pytest.raises(LuaError, match="out of range"):
        rt.execute("local x = torch.Tensor(3); return x[4]")
    with pytest.raises(LuaError, match="out of range"):
        rt.execute("local x = torch.Tensor(3); x[0] = 1")


def test_shrunk_storage_never_reads_outside(rt: Runtime) -> None:
    """A header pointing past its storage (storage():resize(0)) must not be followed."""
    ok, _ = rt.execute("""
      local x = torch.Tensor(1000):fill(5)
      x:storage():resize(0)
      collectgarbage()
      return pcall(function() return x[500] end)
    """)
    assert ok is False
    res = rt.execute("""
      local x = torch.Tensor(100):fill(5)
      local s = x:storage()
      s:resize(2)
      local ok1 = pcall(function() x[50] = 1 end)
      local ok2 = pcall(function() return x:sum() end)
      local ok3 = pcall(function() x:add(1) end)
      s:resize(100)
      return ok1, x[1], x[2], x[3]
    """)
    assert res[0] is False and res[1:3] == (5, 5) and res[3] == 0


def test_small_elementwise_bit_identical(rt: Runtime) -> None:
    rng = np.random.default_rng(3)
    for n in (1, 7, 10, 64, 1000, 5000):
        a = rng.standard_normal(n)
        b = rng.standard_normal(n)
        rt.lua.globals().A = rt.lua.table_from(a.tolist())
        rt.lua.globals().B = rt.lua.table_from(b.tolist())
        got = rt.execute("""
          local x, y = torch.Tensor(A), torch.Tensor(B)
          local r = torch.Tensor(x:size(1))
          r:copy(x):add(y):mul(1.0000001):add(0.3):add(1, y)
          local z = torch.Tensor(x:size(1)):fill(0.1)
          z:add(1, x)
          return r:totable(), x:sum(), z:totable(), torch.Tensor(3):fill(2):zero():sum()
        """)
        r = (((a + b) * 1.0000001) + 0.3) + b
        assert np.array_equal(np.array(list(got[0].values())), r)
        seq = 0.0
        for v in a:  # TH: sequential accumulation in double
            seq += v
        if n <= 4096:
            assert got[1] == seq
        else:
            assert got[1] == pytest.approx(seq, rel=1e-12)
        assert np.array_equal(np.array(list(got[2].values())), 0.1 + a)
        assert got[3] == 0


def test_overlapping_and_mixed_operands_take_the_python_path(rt: Runtime) -> None:
    res = rt.execute("""
      local x = torch.range(1, 10)
      local a, b = x:narrow(1, 1, 5), x:narrow(1, 2, 5)
      a:add(b)                          -- overlapping, shifted: numpy semantics
      local f = torch.FloatTensor(3):fill(1)
      local d = torch.Tensor(3):fill(2)
      d:copy(f)                         -- mixed types
      return x:totable(), d:totable()
    """)
    x = np.arange(1.0, 11.0)
    x[:5] = x[:5] + x[1:6].copy()
    assert list(res[0].values()) == x.tolist()
    assert list(res[1].values()) == [1, 1, 1]


def test_methods_added_at_run_time_and_metatables(rt: Runtime) -> None:
    res = rt.execute("""
      local mt = torch.getmetatable('torch.DoubleTensor')
      function mt.twice(self) return self:clone():mul(2) end
      local x = torch.Tensor{1, 2}
      return getmetatable(x) == mt, x:twice()[2], x.size == mt.size, torch.type(x)
    """)
    assert res == (True, 4, True, "torch.DoubleTensor")


def test_header_slots_are_reused(rt: Runtime) -> None:
    loop = "for i = 1, 20000 do local t = torch.Tensor(2) end collectgarbage()"

    def slots_in_use() -> int:
        return len(header._arrays) * 4096 - len(header._free)

    # slots are process-wide: other runtimes alive in the same test session hold theirs
    rt.execute("collectgarbage()")
    before = slots_in_use()
    for _ in range(5):
        rt.execute(loop)
        assert slots_in_use() - before < 100  # every slot of this loop came back
    # 100000 tensors made and every slot came back each time: no leak, whatever the peak of
    # live tensors between collections (Lua's collector decides) made the pool grow to


def test_views_made_in_lua_match_pythons(rt: Runtime) -> None:
    """narrow/select/t/transpose/view/sub/slicing in Lua against the Python bindings."""
    res = rt.execute("""
      local py, bind = torch._py, torch._bind
      local slow = {narrow = bind(py.narrow), select = bind(py.select), t = bind(py.t),
                    transpose = bind(py.transpose), view = bind(py.view), sub = bind(py.sub),
                    index = bind(py.index_table)}
      local x = torch.randn(4, 5, 6)
      local function same(a, b)
         return torch.type(a) == torch.type(b) and a:isSameSizeAs(b)
            and a:storageOffset() == b:storageOffset() and a:stride():totable()[1] ==
            b:stride():totable()[1] and a:storage() == b:storage() and torch.equal(a, b)
      end
      local cases = {
         {x:narrow(2, 2, 3), slow.narrow(x, 2, 2, 3)},
         {x:narrow(3, 6, 1), slow.narrow(x, 3, 6, 1)},
         {x:select(1, 4), slow.select(x, 1, 4)},
         {x:select(3, 1), slow.select(x, 3, 1)},
         {x[2], slow.select(x, 1, 2)},
         {x[2]:t(), slow.t(slow.select(x, 1, 2))},
         {x:transpose(1, 3), slow.transpose(x, 1, 3)},
         {x:view(20, 6), slow.view(x, 20, 6)},
         {x:view(120), slow.view(x, 120)},
         {x:view(-1), slow.view(x, 120)},
         {x:view(4, -1, 2), slow.view(x, 4, 15, 2)},
         {x:view(-1, 5, 3), slow.view(x, 8, 5, 3)},
         {x:view(torch.LongStorage{20, 6}), slow.view(x, 20, 6)},
         {x:view(torch.LongStorage{-1, 12}), slow.view(x, 10, 12)},
         {x:sub(2, 3, -3, -1), slow.sub(x, 2, 3, -3, -1)},
         {x[{{2, 3}, {}, 4}], slow.index(x, {{2, 3}, {}, 4})},
         {x[{-1, {2}, {-2, -1}}], slow.index(x, {-1, {2}, {-2, -1}})},
         {x[{{}, 3}], slow.index(x, {{}, 3})},
         {x:narrow(2, 2, 3):select(3, 2):t(), slow.t(slow.select(slow.narrow(x, 2, 2, 3), 3, 2))},
      }
      local out = {}
      for i, c in ipairs(cases) do out[i] = same(c[1], c[2]) end
      return unpack(out)
    """)
    assert all(res) and len(res) == 19, res


def test_view_sizes_lua_cannot_infer_go_to_python(rt: Runtime) -> None:
    """view with two -1s, a -1 that does not divide, or a 0 size: Python raises Torch's error."""
    for sizes in ("-1, -1", "7, -1", "0, -1", "-2, 12"):
        with pytest.raises(LuaError):
            rt.execute(f"return torch.range(1, 24):view({sizes})")


def test_element_writes_through_a_table_key(rt: Runtime) -> None:
    """x[{i, j, k}] = v writes one element in Lua (negative indices from the end) on views and
    every type; keys Lua does not take (a range, too few or too many numbers, out of range)
    reach Python, which writes or raises as Torch."""
    res = rt.execute("""
      local x = torch.zeros(3, 4, 2)
      x[{2, 3, 1}] = 5
      x[{-1, -1, -1}] = 7
      x[{1, {}, 2}] = 9
      local t = x:transpose(1, 3)
      t[{2, 4, 3}] = -1
      local f = torch.FloatTensor(2, 2):zero()
      f[{1, 2}] = 1 / 3
      local b = torch.ByteTensor(2, 2):zero()
      b[{2, 1}] = 300
      local errors = {}
      for _, key in ipairs({{4, 1, 1}, {1, 1, 1, 1}, {0, 1, 1}}) do
         errors[#errors + 1] = pcall(function() x[key] = 1 end)
      end
      return x[2][3][1], x[3][4][2], x[1][2][2], f[1][2], b[2][1], x:sum(), unpack(errors)
    """)
    third = float(np.float32(1 / 3))
    assert res[:6] == (5, -1, 9, third, 44, 5 - 1 + 9 * 4)
    assert res[6:] == (False, False, False)


def test_select_on_a_vector_is_its_element(rt: Runtime) -> None:
    """A vector's select answers in Lua with the element, as the Python binding (TH's get1d:
    the dimension argument is not looked at), for every type and for views of Lua's own
    blocks; out of range stays Torch's error."""
    res = rt.execute("""
      local py, bind = torch._py, torch._bind
      local slow = bind(py.select)
      local same = true
      for _, ty in ipairs({'Double', 'Float', 'Long', 'Int', 'Short', 'Char', 'Byte'}) do
         local v = torch.Tensor({1.5, -2.25, 3.1, 100, 7}):type('torch.' .. ty .. 'Tensor')
         local m = v:view(5, 1):clone()
         for i = 1, 5 do
            for _, d in ipairs({1, 2, 0}) do
               local a, b = v:select(d, i), slow(v, d, i)
               same = same and type(a) == 'number' and a == b
               same = same and m:select(1, i):select(d, 1) == slow(slow(m, 1, i), d, 1)
            end
         end
      end
      local v = torch.Tensor(3)
      local ok, err = pcall(v.select, v, 1, 4)
      local ok2 = pcall(v.select, v, 1, 0)
      local ok3 = pcall(v.select, v, 1, -1)
      return same, ok or ok2 or ok3, err
    """)
    assert res[0] is True
    assert res[1] is False
    assert "bad argument #2 to '?' (out of range)" in res[2]


def test_views_share_and_keep_the_storage(rt: Runtime) -> None:
    res = rt.execute("""
      local x = torch.zeros(3, 4)
      local v = x:narrow(2, 2, 2)
      x = nil
      collectgarbage(); collectgarbage()
      v:fill(7)                          -- the storage is still alive through the view
      local r = v:storage():size()
      v[{1, 1}] = 3
      return r, v:sum(), v[1][1], v:storage()[2]
    """)
    assert res == (12, 7 * 6 - 4, 3, 3)


def test_methods_copied_to_another_type_check_the_type(rt: Runtime) -> None:
    """HalfTensor takes DoubleTensor's copy: the Double fast path must not write doubles into a
    half buffer."""
    res = rt.execute("""
      local h = torch.HalfTensor(4)
      h:copy(torch.Tensor{1, 2, 3, 4})
      local d = torch.Tensor(4):copy(h)
      return d:totable(), h:storage():size()
    """)
    assert list(res[0].values()) == [1, 2, 3, 4] and res[1] == 4


def test_scaled_add_keeps_ths_fused_bits(rt: Runtime) -> None:
    """x:add(v, y) is TH's cadd (a BLAS axpy with fused multiply-adds): never the Lua loop."""
    res = rt.execute("""
      torch.manualSeed(5)
      local x, y = torch.randn(10), torch.randn(10)
      local a = x:clone():add(-2.5, y)
      local b = torch._header.slow.add(x:clone(), -2.5, y)
      return torch.equal(a, b)
    """)
    assert res == (True,)


def test_views_made_in_lua_check_bounds_and_speak_torch(rt: Runtime) -> None:
    """A view made in Lua never reaches outside its tensor, and a bad one gets Torch's error
    from the Python path it falls back to."""
    res = rt.execute("""
      local x = torch.Tensor(3, 4)
      local msgs = {}
      for _, f in ipairs({
         function() return x:narrow(2, 3, 3) end,
         function() return x:select(1, 4) end,
         function() return x:sub(1, 4) end,
         function() return x[{{1, 2}, 5}] end,
         function() return x:view(5) end,
         function() return x:transpose(1, 3) end,
      }) do
         local ok, e = pcall(f)
         msgs[#msgs + 1] = ok and 'no error' or tostring(e)
      end
      return unpack(msgs)
    """)
    assert len(res) == 6 and all(m != "no error" for m in res), res


def test_tensors_made_in_lua_are_whole_tensors(rt: Runtime) -> None:
    """torch.Tensor(n, m), clone, + and - made in Lua: Python sees them as its own, with the
    storage Lua wrote into; they print, serialize and resize as any tensor."""
    res = rt.execute("""
      local t = torch.Tensor(2, 3)
      t[2][3] = 7
      local c = t:clone()
      local s = (c + c) - 1
      local f = torch.MemoryFile():binary()
      f:writeObject(s)
      f:seek(1)
      local back = f:readObject()
      s:resize(6)
      return t:sum(), c:storage():size(), back[2][3], s[6], s:size(1), tostring(t):sub(1, 9)
    """)
    assert res == (7, 6, 13, 13, 6, " 0  0  0\n")

"""Tensors Lua makes itself (torch.Tensor(n), clone, +, -, *, unary -): header, storage header
and buffer in one block of Lua memory, adopted by a Python Storage when Python first needs
the tensor (lua/torch/init.lua, tensor/header.py's ForeignBlock). Python must see Lua's values
and Lua Python's, views must stay memory-safe whatever happens to the storage afterwards, and
nothing may leak."""

from __future__ import annotations

import gc

import numpy as np
import pytest

from luatorch.runtime import LuaError, Runtime
from luatorch.tensor import header
from luatorch.tensor.core import Storage, Tensor

TYPES = ["Double", "Float", "Long", "Int", "Short", "Char", "Byte"]


@pytest.fixture(scope="module")
def rt() -> Runtime:
    return Runtime(write=lambda s: None)


def is_born(rt: Runtime, expr: str) -> bool:
    """True when expr's value is a tensor whose header is a block of Lua memory."""
    return rt.execute(f"""
      local x = {expr}
      return require('ffi').istype('LTBorn', torch._H[x]) and rawget(torch._P, x) == nil
    """)[0]


@pytest.mark.parametrize("tname", TYPES)
def test_new_tensors_are_made_in_lua_zeroed(rt: Runtime, tname: str) -> None:
    assert is_born(rt, f"torch.{tname}Tensor(3, 2)")
    res = rt.execute(f"""
      local x = torch.{tname}Tensor(3, 2)
      x[2][1] = 5
      local c = x:clone()
      c[3][2] = 9
      return torch.type(x), x:dim(), x:size(1), x:size(2), x:stride(1), x:isContiguous(),
             x:sum(), c:sum(), x:storage():size(), torch.type(x:storage()), x:storageOffset()
    """)
    assert res == (f"torch.{tname}Tensor", 2, 3, 2, 2, True, 5, 14, 6, f"torch.{tname}Storage", 1)


@pytest.mark.parametrize("tname", ["Double", "Float"])
def test_operators_make_new_tensors_in_lua_with_ths_values(rt: Runtime, tname: str) -> None:
    """x + y, x - y, x + v, v + x, x - v, v - x, x * v, v * x, x / v, -x against the Python
    operators (TensorOperator.c's definitions), bit for bit; Float rounds the number first."""
    res = rt.execute(f"""
      torch.manualSeed(3)
      local x, y = torch.randn(7):{tname.lower()}(), torch.randn(7):{tname.lower()}()
      x[2], x[3], x[4], y[5] = 0/0, -0.0, 3e38, 1e-40
      local py = torch._py
      local function slow(name, a, b)
         return torch._bind(py['op_' .. name])(a, b)
      end
      local cases = {{
         {{x + y, slow('add', x, y)}}, {{x - y, slow('sub', x, y)}},
         {{x + 1.5, slow('add', x, 1.5)}}, {{2.5 + x, slow('add', 2.5, x)}},
         {{x - 0.1, slow('sub', x, 0.1)}}, {{0.1 - x, slow('sub', 0.1, x)}},
         {{x * 3.3, slow('mul', x, 3.3)}}, {{3.3 * x, slow('mul', 3.3, x)}},
         {{x / 7, slow('div', x, 7)}}, {{-x, torch._bind(py.op_unm)(x)}},
         {{x:clone(), x}}, {{x * 1e300, slow('mul', x, 1e300)}},
         {{x:clone():add(0.1), torch._bind(py.m_add)(x:clone(), 0.1)}},
         {{x:clone():mul(0.3), torch._bind(py.m_mul)(x:clone(), 0.3)}},
         {{x:clone():add(y), torch._bind(py.m_add)(x:clone(), y)}},
      }}
      local out = {{}}
      for i, c in ipairs(cases) do
         local a, b = c[1], c[2]
         local same = a:nElement() == b:nElement()
         for k = 1, a:nElement() do
            local u, v = a[k], b[k]
            -- same bits: equal, or both NaN; and the same sign for zeros
            if not (u == v and 1 / u == 1 / v or u ~= u and v ~= v) then same = false end
         end
         out[i] = same
      end
      local z = y:clone()
      z[3] = 1e30
      out[#out + 1] = z:sum() == torch._bind(py.m_sum)(z)
      return unpack(out)
    """)
    assert all(res) and len(res) == 16, res


@pytest.mark.parametrize(
    "expr",
    [
        "x + y",
        "x - y",
        "x + 1",
        "2 + x",
        "x - 1",
        "2 - x",
        "x * 2",
        "2 * x",
        "x / 2",
        "-x",
        "x:clone()",
        "torch.Tensor(2, 3, 4, 5)",
    ],
)
@pytest.mark.parametrize("tname", ["Double", "Float"])
def test_fast_paths_make_their_tensor_in_lua(rt: Runtime, expr: str, tname: str) -> None:
    rt.execute(f"x, y = torch.randn(3, 4):{tname.lower()}(), torch.{tname}Tensor(3, 4)")
    assert is_born(rt, expr)


def test_python_sees_what_lua_wrote_and_the_other_way(rt: Runtime) -> None:
    res = rt.execute("""
      local x = torch.Tensor(2, 2)
      x[1][2] = -3
      local v = x[1]                 -- a view of the block, before Python knows x
      local s = x:abs():sum()        -- Python's abs adopts the block: in place on Lua's values
      v[1] = 4                       -- Lua writes through the view after the adoption
      local t = x:t():contiguous()   -- and Python reads it
      return s, x[1][2], t[2][1], t[1][1], x:storage()[1]
    """)
    assert res == (3, 3, 3, 4, 4)


def test_adopted_storage_wraps_the_block_without_copying(rt: Runtime) -> None:
    (t,) = rt.execute(
        "local x = torch.Tensor(5); x[5] = 2; view = x:narrow(1, 2, 4) return torch._P[view]"
    )
    assert isinstance(t, Tensor)
    st = t.storage
    assert st._hslot == header.FOREIGN and header.adopted(st._haddr) is st
    assert st.data.ctypes.data == st._haddr + 16  # Lua's memory itself, after the header
    header.check_tensor(t)
    assert list(st.data) == [0, 0, 0, 0, 2]
    st.data[1] = 8  # Python writes Lua's buffer: Lua reads it
    assert rt.execute("return view[1]") == (8,)
    # one Python storage per block: every view Python sees shares it
    res = rt.execute("""
      local x = torch.Tensor(4)
      local a, b = x:narrow(1, 1, 2), x:narrow(1, 3, 2)
      return torch._P[a:abs()], torch._P[b:abs()]
    """)
    assert res[0].storage is res[1].storage


def test_a_block_nothing_else_points_at_is_copied_not_adopted(rt: Runtime) -> None:
    """A tensor made in Lua with no view and no storage proxy made from it: Python copies its
    values into a storage of its own when it first needs it, and Lua drops the block."""
    (t,) = rt.execute("""
      lone = torch.Tensor(3)
      lone[2] = 5
      return torch._P[lone]
    """)
    assert t.storage._hslot != header.FOREIGN and list(t.storage.data) == [0, 5, 0]
    header.check_tensor(t)
    res = rt.execute("""
      local h = torch._H[lone]
      lone[3] = 7                       -- through Python's header now
      local v = lone:narrow(1, 2, 2)    -- a view of Python's storage
      v[1] = 6
      return require('ffi').istype('LTBorn', h), lone:sum(),
             torch.pointer(lone:storage()) == torch.pointer(v:storage())
    """)
    assert res == (False, 13, True)


def test_views_of_a_block_survive_the_storage_growing_and_dying(rt: Runtime) -> None:
    """A view made before Python adopted the block holds only the block. When the adopted
    storage gets a bigger buffer (resize) and then dies, the block gets its values back, so
    the view keeps reading them and never follows a pointer into the freed buffer."""
    res = rt.execute("""
      local x = torch.Tensor(6)
      for i = 1, 6 do x[i] = i end
      local v = x:narrow(1, 2, 3)        -- holds the block
      x:resize(1000)                     -- Python: a new, bigger buffer for the storage
      x[3] = 30                          -- written in Python's buffer
      x[1000] = 5
      local before = v:sum()
      x = nil
      collectgarbage(); collectgarbage()  -- the storage dies: the block gets values 1..6 back
      local after = v:sum()
      v[1] = 20
      local w = v:clone():add(1)
      return before, after, v[1], v[2], w:sum(), v:storage():size()
    """)
    assert res == (2 + 30 + 4, 2 + 30 + 4, 20, 30, 20 + 30 + 4 + 3, 6)


def test_views_of_a_block_after_the_storage_shrank_and_died(rt: Runtime) -> None:
    """The storage shrank below a view of the block and died: the view gets an error, not
    another object's memory."""
    res = rt.execute("""
      local x = torch.Tensor(8):fill(1)
      local v = x:narrow(1, 5, 4)
      x:storage():resize(2)
      x = nil
      collectgarbage(); collectgarbage()
      local ok1 = pcall(function() return v[4] end)
      local ok2 = pcall(function() return v:sum() end)
      return ok1, ok2
    """)
    assert res == (False, False)


def test_block_storages_die_with_their_last_user(rt: Runtime) -> None:
    rt.execute("collectgarbage()")
    gc.collect()
    before = len(header._adopted)
    rt.execute("""
      for i = 1, 2000 do
         local x = torch.Tensor(3)
         local v = x:narrow(1, 1, 2)
         v:abs()                       -- adopted
      end
      collectgarbage()
    """)
    assert len(header._adopted) - before < 10
    stores = [
        o
        for o in gc.get_objects()
        if type(o) is Storage and getattr(o, "_hslot", -1) == header.FOREIGN
    ]
    assert len(stores) < 10 + before


def test_errors_keep_torchs_words(rt: Runtime) -> None:
    """Bad operands fall back to the Python path, which raises in Torch's words."""
    for code, words in (
        ("torch.Tensor(2) + torch.Tensor(3)", "inconsistent tensor size"),
        ("torch.Tensor(2, 2) - torch.Tensor(3)", "inconsistent tensor size"),
        ("torch.Tensor(2) + torch.FloatTensor(2)", "(number expected, got userdata)"),
        ("torch.Tensor(2) / torch.Tensor(2)", "bad argument #2 to '?' (number expected)"),
        ("2 / torch.Tensor(2)", "bad argument #1 to '?'"),
        ("torch.Tensor(2) + 'a'", "bad argument #2 to '?'"),
    ):
        with pytest.raises(LuaError) as e:
            rt.execute(f"local x = {code}", "=code")
        # (Torch7's tensor operators are C functions: their TH errors carry no line, ours
        # neither; the traceback reaches the line)
        assert words in str(e.value), (code, str(e.value))
        assert "code:1:" in str(e.value) + e.value.traceback, (code, str(e.value))


def test_serialization_printing_and_numpy_see_lua_values(rt: Runtime, tmp_path) -> None:
    path = str(tmp_path / "x.t7")
    res = rt.execute(f"""
      local x = torch.FloatTensor(2, 3)
      x[2][3] = 1.5
      local s = tostring(x)
      torch.save('{path}', x)
      local y = torch.load('{path}')
      return s, y[2][3], torch.type(y), torch._P[x]
    """)
    assert res[0].startswith(" 0.0000  0.0000  0.0000\n 0.0000  0.0000  1.5000\n")
    assert res[1:3] == (1.5, "torch.FloatTensor")
    arr = res[3].arr
    assert arr.dtype == np.float32 and arr[1, 2] == 1.5


def test_long_loops_of_lua_made_tensors_keep_memory_flat(rt: Runtime) -> None:
    """100,000 iterations of new tensors, clones and operators, some seen by Python: the Lua
    heap and the number of Python objects stay bounded."""
    heap = rt.lua.eval(
        "function() collectgarbage(); collectgarbage(); return collectgarbage('count') end"
    )
    (step,) = rt.execute("""
      return function(n)
         local x = torch.Tensor(4, 4)
         for i = 1, n do
            local y = torch.Tensor(4, 4)
            local z = (x + y):clone() * 2
            local w = -z:narrow(1, 1, 2)
            if i % 10 == 0 then w:abs() end       -- Python adopts the block now and then
         end
      end
    """)
    step(20000)
    heaps, objs = [], []
    for _ in range(6):
        step(20000)
        gc.collect()
        heaps.append(heap())
        objs.append(len(gc.get_objects()))
    # table capacities make the heap wander by a megabyte; a block or a Python storage kept per
    # adoption (2,000 a step) would add more than that every step
    assert max(heaps[3:]) - max(heaps[:3]) < 1024, heaps
    assert max(objs[3:]) - max(objs[:3]) < 500, objs


def test_dead_tensors_headers_go_in_the_cycle_that_finds_them_dead(rt: Runtime) -> None:
    """Tensor proxies have no finalizer; each one's environment table holds its header (torch._H
    has weak values). A header held by a weak-keyed table alone stays one more cycle after its
    tensor dies, and the collector, which paces itself by the heap it found alive, then let a
    loop of small tensors and views grow Lua's heap to several times its live size."""
    live, peak, no_gc, kept = rt.execute("""
      local x = torch.randn(10)  -- Python's tensor: its views hold its storage
      local mt = getmetatable(x)
      collectgarbage(); collectgarbage()
      local live, peak = collectgarbage('count'), 0
      local keep = x:narrow(1, 3, 2)
      for i = 1, 200000 do
         local a = torch.Tensor(10)
         local v = x:narrow(1, 2, 5)
         local w = a:view(2, 5)
         if i % 100 == 0 then peak = math.max(peak, collectgarbage('count')) end
      end
      x = nil
      collectgarbage(); collectgarbage()
      return live, peak, mt.__gc == nil, keep:sum() == keep[1] + keep[2]
    """)
    assert no_gc and kept
    # here: 0.9 MB live, a 3.6 MB peak; 23 MB with the weak-keys-only table
    assert peak < 3 * live + 4096, (live, peak)


def test_zeros_and_ones_of_the_default_type_are_made_in_lua(rt: Runtime) -> None:
    assert is_born(rt, "torch.zeros(2, 3)") and is_born(rt, "torch.ones(4)")
    res = rt.execute("""
      torch.setdefaulttensortype('torch.FloatTensor')
      local f = torch.ones(3)
      torch.setdefaulttensortype('torch.DoubleTensor')
      return torch.type(f), f:sum(), torch.zeros(2, 2):sum(), torch.ones(2, 3):sum(),
             torch.type(torch.ones(2)), torch.zeros(torch.LongStorage{2, 5}):nElement()
    """)
    assert res == ("torch.FloatTensor", 3, 0, 6, "torch.DoubleTensor", 10)


def test_storage_of_a_lua_made_tensor_stays_in_lua(rt: Runtime) -> None:
    """x:storage(), s[i], s[i] = v, s:size(), #s answer from the block; Python gets the one
    storage that adopted the block, so identity and pointers agree everywhere."""
    res = rt.execute("""
      local x = torch.Tensor(4)
      local s = x:storage()
      local inLua = rawget(torch._P, s) == nil and torch._SB[s] ~= nil
      s[2] = 3.5
      local l = torch.LongTensor(2)
      l:storage()[1] = 2^50
      local same = s == x:storage() and s == x:narrow(1, 2, 2):storage()
      local stillLua = rawget(torch._P, s) == nil
      local printed = tostring(s)                          -- Python adopts the block
      x:abs()
      local after = s == x:storage() and torch.pointer(s) == torch.pointer(x:storage())
      local ok1, e1 = pcall(function() return s[5] end)
      local ok2 = pcall(function() s[0] = 1 end)
      s:resize(10)
      return inLua, x[2], s[2], l[1], same, stillLua, printed:sub(1, 15), after, ok1, e1, ok2,
             x:storage():size(), #s
    """)
    assert res[:8] == (True, 3.5, 3.5, 2**50, True, True, " 0.0000\n 3.5000", True)
    assert res[8] is False and "(out of bounds)" in res[9] and res[10] is False
    assert res[11:] == (10, 10)


def test_empty_tensors_and_resize_in_lua(rt: Runtime) -> None:
    """torch.Tensor() and resize/resizeAs of a tensor made in Lua: a new block for an empty
    one, the same storage when it is large enough, Python when the storage must grow."""
    assert is_born(rt, "torch.Tensor()") and is_born(rt, "torch.Tensor():resize(2, 3)")
    assert is_born(rt, "torch.Tensor():resizeAs(torch.Tensor(4))")
    res = rt.execute("""
      local x = torch.Tensor()
      local d, n, s = x:dim(), x:nElement(), x:storage()
      x:resize(2, 3)
      x[2][3] = 4
      x:resize(3)                       -- the same storage: its first three values
      local a = {x[1], x[3], x:stride(1), x:storage():size()}
      local v = torch.Tensor(6)
      v[4] = 9
      local w = v:narrow(1, 2, 3)
      w:resize(4)                       -- fits: same storage, same offset
      local b = {w:storageOffset(), w[3], v:storage():size()}
      w:resize(6)                       -- past the storage's end: Python grows it
      local c = {w:storageOffset(), w:size(1), v:storage():size(), w[3]}
      return d, n, s, a[1], a[2], a[3], a[4], b[1], b[2], b[3], c[1], c[2], c[3], c[4],
             torch.Tensor():abs():dim(), tostring(torch.Tensor())
    """)
    expected = (0, 0, None, 0, 0, 1, 6, 2, 9, 6, 2, 6, 7, 9, 0)
    assert res == (*expected, "[torch.DoubleTensor with no dimension]\n")


def test_storages_compare_by_what_they_point_at(rt: Runtime) -> None:
    """As luaT's __eq: the storage proxy made in Lua for a block and the one Python made for
    the storage that adopted it are equal; different storages are not."""
    res = rt.execute("""
      local x = torch.Tensor(4)
      local s1 = x:narrow(1, 1, 2):storage()
      x:abs()
      local s2 = x:storage()
      local r = torch.rand(3)
      return rawequal(s1, s2), s1 == s2, s1 == torch.Tensor(3):storage(),
             r:storage() == r:narrow(1, 1, 2):storage(), r:storage() == s1
    """)
    assert res == (False, True, False, True, False)


def test_new_storages_and_sizes_are_made_in_lua(rt: Runtime) -> None:
    """torch.<type>Storage(n), torch.<type>Storage{...}, x:size() and x:stride() give storages
    made in Lua, with Torch's values; anything else (a bad size, values an integer type cannot
    hold) goes to Python."""
    res = rt.execute("""
      local function lua(s) return torch._SB[s] ~= nil and rawget(torch._P, s) == nil end
      local x = torch.randn(3, 4):t()
      local s, st = x:size(), x:stride()
      local l = torch.LongStorage{5, 6}
      local f = torch.FloatStorage{1.5, 2.25}
      local i = torch.IntStorage{1.5}                    -- Python's conversion
      local d = torch.DoubleStorage(3)
      return lua(s), lua(st), lua(l), lua(f), lua(d), lua(i),
             s[1], s[2], #s, st[1], st[2], torch.type(s), l[2], f[2], d:size(), d[3],
             torch.Tensor(s):size(2), x:contiguous():isSameSizeAs(torch.Tensor(x:size())),
             x:size() == x:size(), pcall(torch.LongStorage, -1)
    """)
    assert res[:6] == (True, True, True, True, True, False)
    assert res[6:19] == (4, 3, 2, 1, 4, "torch.LongStorage", 6, 2.25, 3, 0, 3, True, False)
    assert res[19] is False


@pytest.mark.parametrize("tname", TYPES)
def test_clone_and_contiguous_of_strided_tensors_in_lua(rt: Runtime, tname: str) -> None:
    """clone and contiguous of transposed and sliced matrices: copies made in Lua with the
    values in row-major order, contiguous of a contiguous tensor is the tensor itself."""
    res = rt.execute(f"""
      local m = torch.{tname}Tensor(3, 4)
      for i = 1, 3 do for j = 1, 4 do m[i][j] = i * 10 + j end end
      local py = torch._py
      local slow = torch._bind(py.clone)
      local out = {{}}
      for _, v in ipairs({{m:t(), m:select(2, 3), m[{{{{}}, {{2, 3}}}}], m:narrow(1, 2, 2):t()}}) do
         local c, k = v:clone(), v:contiguous()
         local lua = require('ffi').istype('LTBorn', torch._H[c])
                     and require('ffi').istype('LTBorn', torch._H[k])
         out[#out + 1] = lua and c:isContiguous() and torch.equal(c, slow(v))
                         and torch.equal(k, v) and c:isSameSizeAs(v)
      end
      out[#out + 1] = m:contiguous() == m
      return unpack(out)
    """)
    assert res == (True,) * 5, res


def test_resize_in_lua_stays_inside_the_block(rt: Runtime) -> None:
    """A tensor made in Lua whose adopted storage Python grew: resizing it past its block goes
    to Python (its storage would give back only the block's size when it dies)."""
    res = rt.execute("""
      local x = torch.Tensor(4)
      local v = x:narrow(1, 1, 2)
      v:abs()
      v:resize(10)
      x:resize(8)
      x[8] = 3
      v = nil
      collectgarbage(); collectgarbage()
      return require('ffi').istype('LTBorn', torch._H[x]), x:size(1), x[8], x:storage():size()
    """)
    assert res == (False, 8, 3, 10)


def test_pointers_of_distinct_block_storages_never_meet(rt: Runtime) -> None:
    """torch.pointer of a block's storage is the block's, not the id of the Python storage
    that adopted it: that storage dies with its last proxy, and the one adopting the next
    block could be made at its address, so two live storages had one pointer (nn's flatten,
    behind getParameters, keys storages by pointer: parameters taken as shared). Also, one
    block keeps its pointer through its storage proxies, and a Python storage adopting it
    has the same one."""
    same, stable, adopted = rt.execute("""
       local same, stable = 0, 0
       for i = 1, 100 do
          local a, b = torch.Tensor(3), torch.Tensor(3)
          local pa = torch.pointer(a:storage())
          collectgarbage()  -- the storage adopting a's block dies here
          if torch.pointer(b:storage()) == pa then same = same + 1 end
          if torch.pointer(a:storage()) == pa then stable = stable + 1 end
       end
       local x = torch.Tensor(4)
       local p = torch.pointer(x:storage())
       local v = x:abs()  -- Python sees x: its storage adopts the block
       local q = torch.pointer(x:storage())
       return same, stable, p == q and q == torch.pointer(v:storage())
    """)
    assert (same, stable) == (0, 100)
    assert adopted is True

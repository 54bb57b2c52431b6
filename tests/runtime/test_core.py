"""The runtime, the object model and the tensor core, driven from Lua as users drive them."""

from __future__ import annotations

import numpy as np
import pytest

from luatorch.runtime import LuaError, Runtime


@pytest.fixture(scope="module")
def rt() -> Runtime:
    out: list[str] = []
    r = Runtime(write=out.append)
    r.out = out  # type: ignore[attr-defined]
    return r


def printed(rt: Runtime, code: str) -> str:
    rt.out.clear()
    rt.execute(code)
    return "".join(rt.out)


def test_lua_is_luajit_with_torch_global(rt: Runtime) -> None:
    assert rt.eval("jit ~= nil and torch ~= nil and 10/2 == 5") is True
    assert printed(rt, "print(10/2)") == "5\t\n"
    assert rt.eval("require 'torch' == torch") is True


def test_tensor_is_userdata_with_type_metatable(rt: Runtime) -> None:
    res = rt.execute("""
      local t = torch.Tensor(2, 3)
      return type(t), torch.type(t), torch.typename(t),
             getmetatable(t) == torch.getmetatable('torch.DoubleTensor'), torch.isTensor(t),
             torch.isTensor({}), t:dim(), t:nElement(), #t == nil
    """)
    assert res == (
        "userdata",
        "torch.DoubleTensor",
        "torch.DoubleTensor",
        True,
        True,
        False,
        2,
        6,
        False,
    )


@pytest.mark.parametrize("tname", ["Double", "Float", "Long", "Int", "Short", "Char", "Byte"])
def test_every_type_constructs_and_converts(rt: Runtime, tname: str) -> None:
    res = rt.execute(f"""
      local t = torch.{tname}Tensor{{1, 2, 3}}
      local s = t:storage()
      return torch.type(t), torch.type(s), t[2], t:sum(), torch.type(t:double()),
             torch.type(t:byte()), t:size(1)
    """)
    assert res == (
        f"torch.{tname}Tensor",
        f"torch.{tname}Storage",
        2,
        6,
        "torch.DoubleTensor",
        "torch.ByteTensor",
        3,
    )


def test_views_share_storage(rt: Runtime) -> None:
    res = rt.execute("""
      local t = torch.zeros(3, 4)
      t:select(1, 2):fill(7)
      t:narrow(2, 4, 1):fill(1)
      local tt = t:t()
      tt[1][3] = 5
      local v = t:view(12)
      return t:sum(), v[6], tt:isContiguous(), t[3][1], t:storage() == nil
    """)
    assert res == (7 * 4 - 7 + 3 + 5, 7, False, 5, False)


def test_constructor_forms(rt: Runtime) -> None:
    res = rt.execute("""
      local s = torch.DoubleStorage{1, 2, 3, 4, 5, 6}
      local a = torch.Tensor(s, 2, torch.LongStorage{2, 2})
      local b = torch.Tensor(s, 1, 3, 2, 2, 1)
      local c = torch.Tensor(torch.LongStorage{2, 3}):zero()
      local d = torch.Tensor(a)
      d[1][1] = 100
      return a[1][1], a[2][2], b[1][2], b[3][1], c:size(2), s[2]
    """)
    assert res == (100, 5, 100, 5, 3, 100)


def test_operators_follow_torch(rt: Runtime) -> None:
    res = rt.execute("""
      local m = torch.Tensor{{1, 2}, {3, 4}}
      local v = torch.Tensor{1, 1}
      local mv = m * v
      local mm = m * m
      local dot = v * v
      local s = 1 - m
      local neg = -v
      return mv[1], mv[2], mm[2][1], dot, s[2][2], neg[1], (m / 2)[1][2], (m + m)[1][1]
    """)
    assert res == (3, 7, 15, 2, -3, -1, 1, 2)


def test_calling_forms_of_add(rt: Runtime) -> None:
    res = rt.execute("""
      local x = torch.Tensor{1, 2}
      local y = torch.Tensor{10, 20}
      local r = torch.Tensor()
      local new = torch.add(x, y)
      x:add(2, y)
      torch.add(r, x, 1)
      local same = x:add(1) == x
      return new[2], x[1], r[2], same
    """)
    assert res == (22, 22, 43, True)


def test_integer_division_truncates(rt: Runtime) -> None:
    res = rt.execute("""
      local t = torch.LongTensor{7, -7}
      t:div(2)
      return t[1], t[2]
    """)
    assert res == (3, -3)


def test_comparison_gives_byte_tensor(rt: Runtime) -> None:
    res = rt.execute("""
      local m = torch.Tensor{1, 5, 3}:gt(2)
      return torch.type(m), m[1], m[2], m:sum()
    """)
    assert res == ("torch.ByteTensor", 0, 1, 2)


def test_bad_arguments_are_catchable_lua_errors(rt: Runtime) -> None:
    res = rt.execute("""
      local ok1, e1 = pcall(function() return torch.Tensor(2, 3) * torch.Tensor(4, 5) end)
      local ok2, e2 = pcall(function() return torch.Tensor(3):add(torch.Tensor(4)) end)
      local ok3, e3 = pcall(function() return torch.Tensor(3):add('x') end)
      return ok1, e1, ok2, e2, ok3, e3
    """)
    assert res[0] is False and "size mismatch, m1: [2 x 3], m2: [4 x 5]" in res[1]
    assert res[2] is False and "inconsistent tensor size" in res[3]
    assert res[4] is False and "invalid arguments" in res[5]
    assert "Traceback" not in res[1] + res[3] + res[5]


def test_error_points_at_user_line() -> None:
    r = Runtime(write=lambda s: None)
    with pytest.raises(LuaError) as info:
        r.execute("local x = 1\nlocal t = torch.Tensor(2):add(torch.Tensor(3))", "@user.lua")
    assert info.value.message.startswith("user.lua:2: ")


def test_class_system(rt: Runtime) -> None:
    res = rt.execute("""
      test = test or {}  -- torch.class fills an existing module, as luaT
      local A = torch.class('test.A')
      function A:__init(x) self.x = x end
      function A:get() return self.x end
      function A:__tostring__() return 'A(' .. self.x .. ')' end
      function A:__add__(o) return test.A(self.x + o.x) end
      local B, parent = torch.class('test.B', 'test.A')
      function B:__init(x) parent.__init(self, x * 10) end
      local b = test.B(2)
      local sum = b + test.A(1)
      return b:get(), torch.type(b), torch.isTypeOf(b, 'test.A'), torch.isTypeOf(b, test.A),
             tostring(sum), parent == torch.getmetatable('test.A'), torch.typename(test.A(1))
    """)
    assert res == (20, "test.B", True, True, "A(21)", True, "test.A")


def test_trepl_print_rules(rt: Runtime) -> None:
    assert printed(rt, "print(1, 'a', true, nil, 2)") == "1\ta\ttrue\tnil\t2\t\n"
    assert printed(rt, "print()") == ""
    assert printed(rt, "print({})") == "{}\n"
    assert printed(rt, "print(torch.Tensor{1})") == " 1\n[torch.DoubleTensor of size 1]\n\n"


def test_numpy_view_shares_memory(rt: Runtime) -> None:
    rt.execute("shared_t = torch.range(1, 6):resize(2, 3)")
    t = rt.globals.torch._P[rt.globals.shared_t]
    a = t.arr
    a[0, 0] = 42
    assert rt.eval("shared_t[1][1]") == 42
    np.testing.assert_array_equal(a[1], [4, 5, 6])


def test_setdefaulttensortype(rt: Runtime) -> None:
    res = rt.execute("""
      torch.setdefaulttensortype('torch.FloatTensor')
      local a = torch.typename(torch.Tensor(2)), torch.typename(torch.randn(2))
      torch.setdefaulttensortype('torch.DoubleTensor')
      return a, torch.getdefaulttensortype()
    """)
    assert res == ("torch.FloatTensor", "torch.DoubleTensor")


def test_proxies_are_collected(rt: Runtime) -> None:
    """Lua owns the proxies: dropping them frees the Python tensors (no cross-runtime cycles)."""
    import gc
    import weakref

    rt.execute("collectgarbage(); collectgarbage()")
    rt.execute("tmp_t = torch.Tensor(1000)")
    ref = weakref.ref(rt.globals.torch._P[rt.globals.tmp_t])
    # three cycles: the proxy's finalizer, then its weak entries, then lupa's wrapper
    rt.execute("tmp_t = nil; collectgarbage(); collectgarbage(); collectgarbage()")
    gc.collect()
    assert ref() is None


def test_element_size_with_and_without_an_object(rt: Runtime) -> None:
    # Torch answers sizeof(real) from the class too (torchnet's IndexedDataset relies on it)
    got = rt.execute(
        "return torch.ByteStorage.elementSize(), torch.DoubleStorage.elementSize(), "
        "torch.FloatTensor.elementSize(), torch.LongTensor(2):elementSize(), "
        "torch.HalfStorage(3):elementSize()"
    )
    assert got == (1, 8, 4, 8, 2)

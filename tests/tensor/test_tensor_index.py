"""Indexing, views and index functions through the Lua runtime, checked against numpy."""

from __future__ import annotations

import numpy as np
import pytest

from luatorch.runtime import LuaError, Runtime
from luatorch.runtime.bindings import from_numpy, to_numpy

TYPES = ["Double", "Float", "Long", "Int", "Short", "Char", "Byte"]


@pytest.fixture(scope="module")
def rt() -> Runtime:
    return Runtime(write=lambda s: None)


def run(rt: Runtime, code: str, *args):
    return rt.execute(code, "=test", *args)


def arr(rt: Runtime, v) -> np.ndarray:
    return np.array(to_numpy(rt, v))


A = np.arange(1, 13).reshape(3, 4)
CTOR = "torch.{t}Tensor({{{{1,2,3,4}},{{5,6,7,8}},{{9,10,11,12}}}})"


@pytest.mark.parametrize("t", TYPES)
def test_index_reads(rt, t):
    r = run(
        rt,
        f"""
      local x = {CTOR.format(t=t)}
      return x[2], x[-1], x[{{2, 3}}], x[{{-1, -2}}], x[{{{{1, 2}}, {{2, 3}}}}], x[{{{{}}, 2}}],
             x[{{2}}], x[{{{{2}}}}], x[{{{{-2, -1}}, {{}}}}], x[torch.LongStorage{{3, 4}}],
             x[x:gt(6)], x[2][3], x[{{2, {{2, 3}}}}]
    """,
    )
    np.testing.assert_array_equal(arr(rt, r[0]), A[1])
    np.testing.assert_array_equal(arr(rt, r[1]), A[-1])
    assert r[2] == 7 and r[3] == 11
    np.testing.assert_array_equal(arr(rt, r[4]), A[0:2, 1:3])
    np.testing.assert_array_equal(arr(rt, r[5]), A[:, 1])
    np.testing.assert_array_equal(arr(rt, r[6]), A[1])
    np.testing.assert_array_equal(arr(rt, r[7]), A[1:2])
    np.testing.assert_array_equal(arr(rt, r[8]), A[1:3])
    assert r[9] == 12
    np.testing.assert_array_equal(arr(rt, r[10]), A[A > 6])
    assert r[11] == 7
    np.testing.assert_array_equal(arr(rt, r[12]), A[1, 1:3])


@pytest.mark.parametrize("t", TYPES)
def test_index_writes(rt, t):
    r = run(
        rt,
        f"""
      local x = {CTOR.format(t=t)}
      x[1] = 0                       -- fill a row
      x[{{2, 3}}] = 50               -- one element
      x[{{{{}}, 4}}] = 1               -- a column
      x[{{3, {{1, 2}}}}] = torch.{t}Tensor{{20, 21}}
      x[2][1] = 33
      x[torch.LongStorage{{3, 3}}] = 44
      local y = {CTOR.format(t=t)}
      y[y:gt(10)] = 0                -- maskedFill
      local z = {CTOR.format(t=t)}
      z[z:lt(3)] = torch.{t}Tensor{{70, 71}}  -- maskedCopy
      local w = {CTOR.format(t=t)}
      w[2] = torch.{t}Tensor{{1, 1, 1, 1}}
      return x, y, z, w
    """,
    )
    want = A.copy()
    want[0] = 0
    want[1, 2] = 50
    want[:, 3] = 1
    want[2, 0:2] = [20, 21]
    want[1, 0] = 33
    want[2, 2] = 44
    np.testing.assert_array_equal(arr(rt, r[0]), want)
    y = A.copy()
    y[y > 10] = 0
    np.testing.assert_array_equal(arr(rt, r[1]), y)
    z = A.copy()
    z[z < 3] = [70, 71]
    np.testing.assert_array_equal(arr(rt, r[2]), z)
    w = A.copy()
    w[1] = 1
    np.testing.assert_array_equal(arr(rt, r[3]), w)


def test_index_errors(rt):
    for code, msg in [
        ("return torch.Tensor(3)[4]", "out of range"),
        ("return torch.Tensor(3)[{1, 2}]", "too many indices provided"),
        ("return torch.Tensor(2, 2)[{{1, 3}}]", "end index out of bound"),
        (
            "return torch.Tensor(2, 2)[{{2, 1}}]",
            "end index must be greater or equal to start index",
        ),
        ("local x = torch.Tensor(2); x[5] = 1", "out of range"),
    ]:
        with pytest.raises(LuaError) as e:
            run(rt, code)
        assert msg in e.value.message
        # Torch7's __index reaches the typed C function through C: '?' and no line
        assert e.value.message.startswith("bad argument #"), e.value.message
        assert "to '?'" in e.value.message


@pytest.mark.parametrize("t", TYPES)
def test_index_functions(rt, t):
    r = run(
        rt,
        f"""
      local x = {CTOR.format(t=t)}
      local idx = torch.LongTensor{{3, 1}}
      local r = torch.{t}Tensor()
      torch.index(r, x, 2, idx)
      -- as Torch7's, these return their last argument (the source or value), not self
      local ic, ia, ifl, mf = x:clone(), x:clone(), x:clone(), x:clone()
      local src = torch.{t}Tensor(2, 4):fill(0)
      assert(ic:indexCopy(1, idx, src) == src)
      ia:indexAdd(2, torch.LongTensor{{2}}, torch.{t}Tensor(3, 1):fill(1))
      assert(ifl:indexFill(2, idx, 7) == 7)
      assert(mf:maskedFill(x:gt(9), 1) == 1)
      return x:index(1, idx), r, ic, ia, ifl,
        x:gather(2, torch.LongTensor{{{{1, 1}}, {{4, 2}}, {{3, 3}}}}),
        torch.gather(x, 1, torch.LongTensor{{{{3, 2, 1, 1}}}}),
        x:clone():zero():scatter(2, torch.LongTensor{{{{2}}, {{3}}, {{1}}}}, x),
        x:clone():scatter(1, torch.LongTensor{{{{3, 1, 2, 3}}}}, 0),
        x:maskedSelect(x:gt(9)), torch.maskedSelect(x, x:lt(2)),
        mf, x:clone():maskedCopy(x:gt(9), torch.{t}Tensor{{1, 2, 3}}),
        torch.nonzero(x:gt(10))
    """,
    )
    got = [arr(rt, v) for v in r]
    np.testing.assert_array_equal(got[0], A[[2, 0]])
    np.testing.assert_array_equal(got[1], A[:, [2, 0]])
    w = A.copy()
    w[[2, 0]] = 0
    np.testing.assert_array_equal(got[2], w)
    w = A.copy()
    w[:, 1] += 1
    np.testing.assert_array_equal(got[3], w)
    w = A.copy()
    w[:, [2, 0]] = 7
    np.testing.assert_array_equal(got[4], w)
    np.testing.assert_array_equal(
        got[5], np.take_along_axis(A, np.array([[0, 0], [3, 1], [2, 2]]), 1)
    )
    np.testing.assert_array_equal(got[6], [[9, 6, 3, 4]])
    w = np.zeros_like(A)
    np.put_along_axis(w, np.array([[1], [2], [0]]), A[:, :1], 1)
    np.testing.assert_array_equal(got[7], w)
    w = A.copy()
    w[2, 0], w[0, 1], w[1, 2], w[2, 3] = 0, 0, 0, 0
    np.testing.assert_array_equal(got[8], w)
    np.testing.assert_array_equal(got[9], [10, 11, 12])
    np.testing.assert_array_equal(got[10], [1])
    w = A.copy()
    w[w > 9] = 1
    np.testing.assert_array_equal(got[11], w)
    w = A.copy()
    w[w > 9] = [1, 2, 3]
    np.testing.assert_array_equal(got[12], w)
    np.testing.assert_array_equal(got[13], np.argwhere(A > 10) + 1)


def test_views_share_storage(rt):
    r = run(
        rt,
        """
      local x = torch.range(1, 12)
      local v = x:view(3, 4)
      local t = v:t()
      local p = torch.range(1, 24):view(2, 3, 4):permute(3, 1, 2)
      local u = torch.range(1, 7):unfold(1, 3, 2)
      local e = torch.Tensor{{1}, {2}}:expand(2, 3)
      local s1 = v:select(1, 2)
      s1:fill(0)
      return x, t:isContiguous(), p:size(), u, e, v:viewAs(torch.Tensor(4, 3)):size(),
             torch.Tensor(2, 1, 3):squeeze():size(), torch.Tensor(2, 3):unsqueeze(2):size(),
             v:transpose(1, 2):stride()
    """,
    )
    x = np.arange(1, 13.0)
    x[4:8] = 0
    np.testing.assert_array_equal(arr(rt, r[0]), x)
    assert r[1] is False
    assert list(arr(rt, r[2])) == [4, 2, 3]
    np.testing.assert_array_equal(arr(rt, r[3]), [[1, 2, 3], [3, 4, 5], [5, 6, 7]])
    np.testing.assert_array_equal(arr(rt, r[4]), [[1, 1, 1], [2, 2, 2]])
    assert list(arr(rt, r[5])) == [4, 3]
    assert list(arr(rt, r[6])) == [2, 3]
    assert list(arr(rt, r[7])) == [2, 1, 3]
    assert list(arr(rt, r[8])) == [1, 4]


@pytest.mark.parametrize("t", TYPES)
def test_copy_zero_strided_rows(rt, t):
    # views whose rows are contiguous (a select of the middle dimension, a block of two
    # levels, a block of three): copied and zeroed row by row; elements outside the views stay
    r = run(
        rt,
        f"""
      local x = torch.{t}Tensor(4, 3, 5, 10):zero()
      local src = torch.range(1, 600):remainder(100):view(4, 3, 5, 10):{t.lower()}()
      local mid = x:select(2, 2)
      mid:copy(src:select(2, 3))
      local blk = x[{{{{}}, {{1, 2}}, {{2, 3}}, {{}}}}]
      blk:copy(src[{{{{}}, {{2, 3}}, {{4, 5}}, {{}}}}])
      local y = torch.{t}Tensor(4, 3, 5, 10):fill(7)
      y:select(3, 4):zero()
      y[{{{{}}, {{2, 3}}, {{1, 2}}, {{}}}}]:zero()
      local same = x:select(2, 2)
      same:copy(mid)
      return x, y
    """,
    )
    src = (np.arange(1, 601) % 100).reshape(4, 3, 5, 10)
    x = np.zeros((4, 3, 5, 10))
    x[:, 1] = src[:, 2]
    x[:, 0:2, 1:3] = src[:, 1:3, 3:5]
    y = np.full((4, 3, 5, 10), 7)
    y[:, :, 3] = 0
    y[:, 1:3, 0:2] = 0
    np.testing.assert_array_equal(arr(rt, r[0]), x)
    np.testing.assert_array_equal(arr(rt, r[1]), y)


def test_split_chunk_repeat(rt):
    r = run(
        rt,
        """
      local x = torch.range(1, 10)
      local s = torch.split(x, 4)
      local c = x:chunk(3)
      local m = torch.range(1, 6):view(2, 3)
      local sc = torch.split(m, 2, 2)
      return #s, s[3], #c, c[1], c[3], #sc, sc[2], x:repeatTensor(2), m:repeatTensor(2, 1, 2)
    """,
    )
    assert r[0] == 3 and r[2] == 3 and r[5] == 2
    np.testing.assert_array_equal(arr(rt, r[1]), [9, 10])
    np.testing.assert_array_equal(arr(rt, r[3]), [1, 2, 3, 4])
    np.testing.assert_array_equal(arr(rt, r[4]), [9, 10])
    np.testing.assert_array_equal(arr(rt, r[6]), [[3], [6]])
    np.testing.assert_array_equal(arr(rt, r[7]), np.tile(np.arange(1, 11), 2))
    np.testing.assert_array_equal(arr(rt, r[8]), np.tile(np.arange(1, 7).reshape(2, 3), (2, 1, 2)))


def test_set_apply_map(rt):
    r = run(
        rt,
        """
      local x = torch.Tensor{1, 2, 3}
      local y = torch.Tensor():set(x)
      y[1] = 10
      local i = 0
      x:apply(function(v) i = i + 1; return v * 2 end)
      local z = torch.Tensor{1, 1, 1}:map(x, function(a, b) return a + b end)
      local w = torch.Tensor{0, 0, 0}:map2(x, z, function(a, b, c) return b * c end)
      return x, i, z, w, y:isSetTo(x), torch.isTensor(x), torch.isSize(x:size()),
             x:isSameSizeAs(z), torch.pointer(x) == torch.pointer(x), type(x:totable()[1])
    """,
    )
    np.testing.assert_array_equal(arr(rt, r[0]), [20, 4, 6])
    assert r[1] == 3
    np.testing.assert_array_equal(arr(rt, r[2]), [21, 5, 7])
    np.testing.assert_array_equal(arr(rt, r[3]), [420, 20, 42])
    assert r[4:9] == (True, True, True, True, True) and r[9] == "number"


@pytest.mark.parametrize("t", TYPES)
def test_type_conversions(rt, t):
    r = run(
        rt,
        f"local x = torch.Tensor{{1.7, -2.2, 3}}; return x:{t.lower()}(), "
        f"x:type('torch.{t}Tensor'), torch.type(x:{t.lower()}())",
    )
    want = np.array([1.7, -2.2, 3]).astype(
        {
            "Double": np.float64,
            "Float": np.float32,
            "Long": np.int64,
            "Int": np.int32,
            "Short": np.int16,
            "Char": np.int8,
            "Byte": np.uint8,
        }[t]
    )
    np.testing.assert_array_equal(arr(rt, r[0]), want)
    assert r[2] == f"torch.{t}Tensor"


def test_rng_state_round_trip(rt):
    r = run(
        rt,
        """
      torch.manualSeed(5)
      local s = torch.getRNGState()
      local a = torch.randn(4)
      torch.setRNGState(s)
      local b = torch.randn(4)
      return torch.type(s), s:nElement(), a:equal(b)
    """,
    )
    assert r == ("torch.ByteTensor", 5048, True)


def test_numpy_zero_copy(rt):
    a = np.arange(12.0).reshape(3, 4)
    t = from_numpy(rt, a)
    run(rt, "local t = ...; t:add(1); t[{1, 1}] = 100", t)
    assert a[0, 0] == 100 and a[2, 3] == 12
    back = to_numpy(rt, t)
    assert np.shares_memory(back, a)
    # a transposed (non-contiguous) view is shared too
    b = np.arange(6, dtype=np.float32).reshape(2, 3).T
    tb = from_numpy(rt, b)
    r = run(rt, "local t = ...; t:mul(2); return t:isContiguous(), torch.type(t), t:size(1)", tb)
    assert r == (False, "torch.FloatTensor", 3)
    np.testing.assert_array_equal(b, (np.arange(6).reshape(2, 3).T * 2))
    # Lua-made tensors come back as views
    t2 = run(rt, "return torch.range(1, 4):view(2, 2)")[0]
    v = to_numpy(rt, t2)
    v[0, 0] = 9
    assert run(rt, "local t = ...; return t[1][1]", t2)[0] == 9

"""Element-wise maths, BLAS, reductions and comparisons through the Lua runtime, checked against
numpy reference maths and Torch's calling forms, for every tensor type."""

from __future__ import annotations

import math

import numpy as np
import pytest

from luatorch.runtime import LuaError, Runtime
from luatorch.runtime.bindings import to_numpy

FLOATS = ["Double", "Float"]
INTS = ["Long", "Int", "Short", "Char", "Byte"]
ALL = FLOATS + INTS
NP = {
    "Double": np.float64,
    "Float": np.float32,
    "Long": np.int64,
    "Int": np.int32,
    "Short": np.int16,
    "Char": np.int8,
    "Byte": np.uint8,
}


@pytest.fixture(scope="module")
def rt() -> Runtime:
    return Runtime(write=lambda s: None)


def run(rt: Runtime, code: str, *args):
    return rt.execute(code, "=test", *args)


def arr(rt: Runtime, v) -> np.ndarray:
    return np.array(to_numpy(rt, v))


def data(t: str) -> tuple[str, np.ndarray]:
    """A Lua constructor and the same values in numpy (small values valid for every type)."""
    vals = [[1, 5, 3], [7, 2, 9]] if t in INTS else [[0.5, -1.25, 3.0], [2.0, -0.75, 1.5]]
    if t in ("Long", "Int", "Short", "Char"):
        vals = [[1, -5, 3], [7, 2, -9]]
    lua = "{" + ",".join("{" + ",".join(str(v) for v in row) + "}" for row in vals) + "}"
    return f"torch.{t}Tensor({lua})", np.array(vals, dtype=NP[t])


@pytest.mark.parametrize("t", ALL)
def test_add_forms(rt, t):
    ctor, a = data(t)
    r = run(
        rt,
        f"""
      local x = {ctor}
      local y = x:clone():fill(2)
      local r1 = torch.add(x, y)            -- new tensor
      local r2 = torch.add(x, 3)
      local r3 = torch.add(x, 2, y)         -- x + 2*y
      local r4 = x.new():resize(2,3); torch.add(r4, x, y)   -- result argument
      local r5 = x:clone(); local same = r5:add(y) == r5      -- in place returns self
      local r6 = x:clone():add(2, y)        -- scalar-first method form
      local r7 = y:clone(); r7:add(x, y)    -- res:add(a, b)
      return r1, r2, r3, r4, r5, same, r6, r7
    """,
    )
    y = np.full_like(a, 2)
    for got, want in zip(
        [r[0], r[1], r[2], r[3], r[4]], [a + y, a + 3, a + 2 * y, a + y, a + y], strict=True
    ):
        np.testing.assert_array_equal(arr(rt, got), want.astype(NP[t]))
    assert r[5] is True
    np.testing.assert_array_equal(arr(rt, r[6]), (a + 2 * y).astype(NP[t]))
    np.testing.assert_array_equal(arr(rt, r[7]), (a + y).astype(NP[t]))


@pytest.mark.parametrize("t", ALL)
def test_binary_scalar_ops(rt, t):
    ctor, a = data(t)
    r = run(
        rt,
        f"""
      local x = {ctor}
      return torch.mul(x, 3), torch.csub(x, 1), torch.cmul(x, x), torch.clamp(x, 1, 4),
             torch.cmax(x, 2), torch.cmin(x, 2), x * 2, 2 * x, x - 1, x + x
    """,
    )
    with np.errstate(all="ignore"):
        wants = [
            a * 3,
            a - 1,
            a * a,
            np.clip(a, 1, 4),
            np.maximum(a, 2),
            np.minimum(a, 2),
            a * 2,
            a * 2,
            a - 1,
            a + a,
        ]
    for got, want in zip(r, wants, strict=True):
        np.testing.assert_array_equal(arr(rt, got), np.asarray(want).astype(NP[t]))


@pytest.mark.parametrize("t", ["Long", "Int", "Short", "Char"])
def test_integer_division_truncates(rt, t):
    r = run(
        rt,
        f"""
      local x = torch.{t}Tensor{{-7, 7, -8, 9}}
      return torch.div(x, 2), torch.fmod(x, 3), torch.remainder(x, 3), x / 2, x % 3,
             torch.cdiv(x, torch.{t}Tensor{{2, -2, 3, -4}})
    """,
    )
    x = np.array([-7, 7, -8, 9])
    np.testing.assert_array_equal(arr(rt, r[0]), [-3, 3, -4, 4])
    np.testing.assert_array_equal(arr(rt, r[1]), np.fmod(x, 3))
    np.testing.assert_array_equal(arr(rt, r[2]), np.remainder(x, 3))
    np.testing.assert_array_equal(arr(rt, r[3]), [-3, 3, -4, 4])
    np.testing.assert_array_equal(arr(rt, r[4]), np.remainder(x, 3))
    np.testing.assert_array_equal(arr(rt, r[5]), [-3, -3, -2, -2])


def test_integer_scalar_is_truncated(rt):
    r = run(rt, "return torch.LongTensor{1, 2}:add(2.9), torch.IntTensor{10}:mul(1.5)")
    np.testing.assert_array_equal(arr(rt, r[0]), [3, 4])
    np.testing.assert_array_equal(arr(rt, r[1]), [10])


def test_byte_wraps(rt):
    r = run(rt, "return torch.ByteTensor{250, 3}:add(10)")
    np.testing.assert_array_equal(arr(rt, r[0]), [4, 13])


UNARY = {
    "exp": np.exp,
    "log": np.log,
    "log1p": np.log1p,
    "sqrt": np.sqrt,
    "rsqrt": lambda x: 1 / np.sqrt(x),
    "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
    "tanh": np.tanh,
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "asin": np.arcsin,
    "acos": np.arccos,
    "atan": np.arctan,
    "sinh": np.sinh,
    "cosh": np.cosh,
    "floor": np.floor,
    "ceil": np.ceil,
    "trunc": np.trunc,
    "frac": lambda x: x - np.trunc(x),
    "cinv": lambda x: 1 / x,
    "neg": np.negative,
    "abs": np.abs,
    "sign": np.sign,
}


@pytest.mark.parametrize("t", FLOATS)
@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary(rt, t, name):
    x = np.array([0.25, 0.5, 0.75, 0.9], dtype=NP[t])
    if name not in ("log", "sqrt", "rsqrt", "asin", "acos", "log1p"):
        x = np.array([-0.75, -0.25, 0.5, 0.9], dtype=NP[t])
    lua = "torch." + t + "Tensor{" + ",".join(repr(float(v)) for v in x) + "}"
    r = run(
        rt,
        f"local x = {lua}; local y = torch.{name}(x); local z = x:clone(); "
        f"local s = z:{name}(); return y, z, s == z",
    )
    want = UNARY[name](x.astype(np.float64))
    tol = 1e-6 if t == "Float" else 1e-14
    np.testing.assert_allclose(arr(rt, r[0]), want, rtol=tol, atol=tol)
    np.testing.assert_allclose(arr(rt, r[1]), want, rtol=tol, atol=tol)
    assert r[2] is True


def test_round_half_away_from_zero(rt):
    r = run(rt, "return torch.round(torch.Tensor{-2.5, -1.5, -0.5, 0.5, 1.5, 2.5})")
    np.testing.assert_array_equal(arr(rt, r[0]), [-3, -2, -1, 1, 2, 3])


def test_number_forms(rt):
    r = run(
        rt,
        "return torch.log(math.exp(2)), torch.pow(2, 10), torch.abs(-3), "
        "torch.atan2(1, 1), torch.sqrt(16)",
    )
    assert r[0] == pytest.approx(2) and r[1] == 1024 and r[2] == 3
    assert r[3] == pytest.approx(math.pi / 4) and r[4] == 4


def test_pow_forms(rt):
    r = run(
        rt,
        "local x = torch.Tensor{1, 2, 3}; return torch.pow(x, 2), torch.pow(2, x), "
        "x:clone():pow(3), torch.cpow(x, x)",
    )
    x = np.array([1.0, 2, 3])
    for got, want in zip(r, [x**2, 2**x, x**3, x**x], strict=True):
        np.testing.assert_allclose(arr(rt, got), want)


def test_addcmul_addcdiv_lerp_atan2(rt):
    r = run(
        rt,
        """
      local x, a, b = torch.Tensor{1, 2}, torch.Tensor{3, 4}, torch.Tensor{5, 8}
      return torch.addcmul(x, 2, a, b), torch.addcdiv(x, a, b), x:clone():addcmul(a, b),
             torch.lerp(x, a, 0.25), torch.atan2(a, b)
    """,
    )
    x, a, b = np.array([1.0, 2]), np.array([3.0, 4]), np.array([5.0, 8])
    wants = [x + 2 * a * b, x + a / b, x + a * b, x + 0.25 * (a - x), np.arctan2(a, b)]
    for got, want in zip(r, wants, strict=True):
        np.testing.assert_allclose(arr(rt, got), want)


def test_float_only_functions_refuse_integers(rt):
    with pytest.raises(LuaError) as e:
        run(rt, "return torch.log(torch.LongTensor{1})")
    assert "torch.LongTensor does not implement the torch.log() function" in e.value.message
    with pytest.raises(LuaError):
        run(rt, "return torch.LongTensor{1}:mean()")


def test_bit_operations(rt):
    r = run(
        rt,
        "local x = torch.LongTensor{1, 6}; return torch.lshift(x, 2), x:clone():bitand(2),"
        " torch.bitxor(x, 7), torch.cbitor(x, torch.LongTensor{2, 1})",
    )
    np.testing.assert_array_equal(arr(rt, r[0]), [4, 24])
    np.testing.assert_array_equal(arr(rt, r[1]), [0, 2])
    np.testing.assert_array_equal(arr(rt, r[2]), [6, 1])
    np.testing.assert_array_equal(arr(rt, r[3]), [3, 7])


# ------------------------------------------------------------------------------- BLAS


@pytest.mark.parametrize("t", FLOATS + ["Long", "Int"])
def test_blas(rt, t):
    r = run(
        rt,
        f"""
      torch.manualSeed(3)
      local A = torch.rand(3, 4):mul(10):floor():{t.lower()}()
      local B = torch.rand(4, 2):mul(10):floor():{t.lower()}()
      local v = torch.rand(4):mul(10):floor():{t.lower()}()
      local w = torch.rand(3):mul(10):floor():{t.lower()}()
      local M = torch.rand(3, 2):mul(10):floor():{t.lower()}()
      local b1 = torch.rand(2, 3, 4):mul(10):floor():{t.lower()}()
      local b2 = torch.rand(2, 4, 2):mul(10):floor():{t.lower()}()
      return A, B, v, w, M, b1, b2,
        torch.mm(A, B), torch.mv(A, v), torch.dot(v, v), torch.ger(w, v),
        torch.addmm(M, A, B), torch.addmm(2, M, 3, A, B), M:clone():addmm(2, 3, A, B),
        torch.addmv(w, A, v), w:clone():addmv(2, A, v),
        torch.addr(torch.{t}Tensor(3, 4):zero(), w, v),
        torch.bmm(b1, b2), torch.baddbmm(torch.{t}Tensor(2, 3, 2):zero(), b1, b2),
        torch.addbmm(M, b1, b2), A * B, A * v, v * v
    """,
    )
    A, B, v, w, M, b1, b2 = (arr(rt, x).astype(np.float64) for x in r[:7])
    wants = [
        A @ B,
        A @ v,
        v @ v,
        np.outer(w, v),
        M + A @ B,
        2 * M + 3 * (A @ B),
        2 * M + 3 * (A @ B),
        w + A @ v,
        w + 2 * (A @ v),
        np.outer(w, v),
        b1 @ b2,
        b1 @ b2,
        M + (b1 @ b2).sum(0),
        A @ B,
        A @ v,
        v @ v,
    ]
    for got, want in zip(r[7:], wants, strict=True):
        got = got if isinstance(got, (int, float)) else arr(rt, got)
        np.testing.assert_allclose(got, want, rtol=1e-5)


def test_blas_size_errors(rt):
    with pytest.raises(LuaError) as e:
        run(rt, "return torch.mm(torch.rand(2, 3), torch.rand(2, 3))")
    assert "size mismatch" in e.value.message


# ------------------------------------------------------------------------- reductions


@pytest.mark.parametrize("t", ALL)
def test_sum_prod_max_min(rt, t):
    ctor, a = data(t)
    r = run(
        rt,
        f"""
      local x = {ctor}
      local mv, mi = x:max(2)
      local nv, ni = torch.min(x, 1)
      local rv, ri = torch.{t}Tensor(), torch.LongTensor()
      torch.max(rv, ri, x, 1)
      return x:sum(), x:sum(1), x:sum(2), x:prod(), x:max(), x:min(), mv, mi, nv, ni, rv, ri,
             x:cumsum(2), torch.cumsum(x), x:cumprod(2)
    """,
    )
    acc = a.astype(np.float64 if t in FLOATS else np.int64)
    assert r[0] == acc.sum() and r[3] == acc.prod()
    np.testing.assert_array_equal(arr(rt, r[1]), a.sum(0, keepdims=True).astype(NP[t]))
    np.testing.assert_array_equal(arr(rt, r[2]), a.sum(1, keepdims=True).astype(NP[t]))
    assert r[4] == a.max() and r[5] == a.min()
    np.testing.assert_array_equal(arr(rt, r[6]), a.max(1, keepdims=True))
    np.testing.assert_array_equal(arr(rt, r[7]), a.argmax(1)[:, None] + 1)
    np.testing.assert_array_equal(arr(rt, r[8]), a.min(0, keepdims=True))
    np.testing.assert_array_equal(arr(rt, r[9]), a.argmin(0)[None, :] + 1)
    np.testing.assert_array_equal(arr(rt, r[10]), a.max(0, keepdims=True))
    np.testing.assert_array_equal(arr(rt, r[11]), a.argmax(0)[None, :] + 1)
    np.testing.assert_array_equal(arr(rt, r[12]), np.cumsum(a, 1, dtype=NP[t]))
    np.testing.assert_array_equal(arr(rt, r[13]), np.cumsum(a, 0, dtype=NP[t]))
    np.testing.assert_array_equal(arr(rt, r[14]), np.cumprod(a, 1, dtype=NP[t]))


@pytest.mark.parametrize("t", FLOATS)
def test_statistics(rt, t):
    ctor, a = data(t)
    a = a.astype(np.float64)
    r = run(
        rt,
        f"""
      local x = {ctor}
      return x:mean(), x:mean(2), x:std(), x:std(true), x:var(1), x:var(1, true), x:norm(),
             x:norm(1), x:norm(3, 2), x:dist(x:clone():fill(1)), x:dist(x:clone():zero(), 1),
             torch.mean(x, 1), x:trace()
    """,
    )
    tol = 1e-6
    assert r[0] == pytest.approx(a.mean(), rel=tol)
    np.testing.assert_allclose(arr(rt, r[1]), a.mean(1, keepdims=True), rtol=tol)
    assert r[2] == pytest.approx(a.std(ddof=1), rel=tol)
    assert r[3] == pytest.approx(a.std(), rel=tol)
    np.testing.assert_allclose(arr(rt, r[4]), a.var(0, ddof=1, keepdims=True), rtol=tol)
    np.testing.assert_allclose(arr(rt, r[5]), a.var(0, keepdims=True), rtol=tol)
    assert r[6] == pytest.approx(np.sqrt((a * a).sum()), rel=tol)
    assert r[7] == pytest.approx(np.abs(a).sum(), rel=tol)
    np.testing.assert_allclose(
        arr(rt, r[8]), (np.abs(a) ** 3).sum(1, keepdims=True) ** (1 / 3), rtol=tol
    )
    assert r[9] == pytest.approx(np.sqrt(((a - 1) ** 2).sum()), rel=tol)
    assert r[10] == pytest.approx(np.abs(a).sum(), rel=tol)
    np.testing.assert_allclose(arr(rt, r[11]), a.mean(0, keepdims=True), rtol=tol)
    assert r[12] == pytest.approx(a[0, 0] + a[1, 1], rel=tol)


def test_renorm(rt):
    r = run(
        rt,
        "local x = torch.Tensor{{3, 4}, {0.3, 0.4}}; return torch.renorm(x, 2, 1, 1), "
        "x:clone():renorm(2, 1, 1)",
    )
    want = np.array([[3, 4], [0.3, 0.4]]) * np.array([[1 / (5 + 1e-7)], [1]])
    np.testing.assert_allclose(arr(rt, r[0]), want)
    np.testing.assert_allclose(arr(rt, r[1]), want)


@pytest.mark.parametrize("t", ALL)
def test_sort_topk_kth_median_mode(rt, t):
    r = run(
        rt,
        f"""
      local x = torch.{t}Tensor{{{{3, 1, 2, 9}}, {{4, 8, 4, 0}}}}
      local sv, si = torch.sort(x)
      local dv, di = x:sort(2, true)
      local cv, ci = x:sort(1)
      local tv, ti = x:topk(2)
      local lv, li = torch.topk(x, 2, 2, true, true)
      local kv, ki = x:kthvalue(2)
      local mv, mi = x:median()
      local ov, oi = torch.mode(x)
      return sv, si, dv, di, cv, ci, tv, ti, lv, li, kv, ki, mv, mi, ov, oi
    """,
    )
    a = np.array([[3, 1, 2, 9], [4, 8, 4, 0]])
    got = [arr(rt, v) for v in r]
    np.testing.assert_array_equal(got[0], np.sort(a, 1))
    np.testing.assert_array_equal(got[1], np.argsort(a, 1, kind="stable") + 1)
    np.testing.assert_array_equal(got[2], -np.sort(-a, 1))
    np.testing.assert_array_equal(got[3], np.argsort(-a, 1, kind="stable") + 1)
    np.testing.assert_array_equal(got[4], np.sort(a, 0))
    np.testing.assert_array_equal(got[6], [[1, 2], [0, 4]])
    np.testing.assert_array_equal(got[8], [[9, 3], [8, 4]])
    # Torch7's quickselect leaves the second 4 (index 3) among the two largest
    np.testing.assert_array_equal(got[9], [[4, 1], [2, 3]])
    np.testing.assert_array_equal(got[10], [[2], [4]])
    np.testing.assert_array_equal(got[12], [[2], [4]])  # lower median
    np.testing.assert_array_equal(got[14], [[1], [4]])
    np.testing.assert_array_equal(got[15], [[2], [3]])


# ------------------------------------------------------------------------ comparisons


@pytest.mark.parametrize("t", ALL)
def test_comparisons(rt, t):
    ctor, a = data(t)
    r = run(
        rt,
        f"""
      local x = {ctor}
      local y = x:clone():fill(3)
      local rb = x.new()
      torch.eq(rb, x, 3)
      local rs = x.new()
      torch.gt(rs, x, y)
      return x:lt(3), torch.le(x, y), x:gt(3), x:ge(y), x:eq(3), x:ne(y), rb, rs,
             torch.type(rs), torch.type(x:lt(3)), torch.equal(x, x:clone()), x:equal(y)
    """,
    )
    wants = [a < 3, a <= 3, a > 3, a >= 3, a == 3, a != 3, a == 3, a > 3]
    for got, want in zip(r[:8], wants, strict=True):
        np.testing.assert_array_equal(arr(rt, got), want.astype(np.uint8))
    assert r[8] == f"torch.{t}Tensor" and r[9] == "torch.ByteTensor"
    assert r[10] is True and r[11] is False


def test_comparison_result_types(rt):
    # torch.eq(res, x, v) dispatches on its first tensor: a result of the input's type is
    # accepted, a ByteTensor result only for ByteTensor inputs (transcript of real Torch7)
    r = run(
        rt,
        """
      local x = torch.FloatTensor{1, 2, 3, 2}
      local r = torch.FloatTensor()
      local same = r:eq(x, 2)
      local ok, err = pcall(torch.ne, torch.ByteTensor(), x, 2)
      -- optim.rprop's form: FloatTensor's method with a ByteTensor result
      local mask = torch.ByteTensor()
      x.gt(mask, x, 1)
      return torch.type(same), same == r, r:sum(), ok, err, mask:sum()
    """,
    )
    assert r[:4] == ("torch.FloatTensor", True, 2, False)
    assert r[4] == (
        "invalid arguments: ByteTensor FloatTensor number \nexpected arguments: "
        "[*ByteTensor*] ByteTensor unsigned char | *ByteTensor* ByteTensor unsigned char | "
        "[*ByteTensor*] ByteTensor ByteTensor | *ByteTensor* ByteTensor ByteTensor"
    )
    assert r[5] == 3


def test_all_any(rt):
    r = run(
        rt,
        "local m = torch.ByteTensor{1, 0, 1}; return m:all(), m:any(), "
        "torch.ByteTensor{0, 0}:any(), torch.ByteTensor{1, 1}:all()",
    )
    assert r == (False, True, False, True)


def test_bad_arguments_message(rt):
    with pytest.raises(LuaError) as e:
        run(rt, "local x = torch.Tensor(3); x:add('a')")
    assert "invalid arguments: DoubleTensor string" in e.value.message
    assert "expected arguments:" in e.value.message
    with pytest.raises(LuaError) as e:
        run(rt, "return torch.Tensor(2, 3):sum(3)")
    assert e.value.message == "bad argument #2 to '?' (dimension 3 out of range)"

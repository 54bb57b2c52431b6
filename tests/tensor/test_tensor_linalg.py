"""Linear algebra (Torch's documented examples), matrix functions, convolutions, CmdLine."""

from __future__ import annotations

import numpy as np
import pytest

from luatorch.runtime import LuaError, Runtime
from luatorch.runtime.bindings import to_numpy


@pytest.fixture(scope="module")
def rt() -> Runtime:
    return Runtime(write=lambda s: None)


def run(rt: Runtime, code: str, *args):
    return rt.execute(code, "=test", *args)


def arr(rt: Runtime, v) -> np.ndarray:
    return np.array(to_numpy(rt, v))


SYM = """torch.Tensor({{ 1.96,  0.00,  0.00,  0.00,  0.00},
                  {-6.49,  3.80,  0.00,  0.00,  0.00},
                  {-0.47, -6.39,  4.17,  0.00,  0.00},
                  {-7.20,  1.50, -1.51,  5.70,  0.00},
                  {-0.65, -6.34,  2.67,  1.80, -7.10}}):t()"""


@pytest.mark.parametrize("t", ["Double", "Float"])
def test_symeig_eig_doc_examples(rt, t):
    r = run(
        rt,
        f"""
      local a = {SYM}:{t.lower()}()
      local e, v = torch.symeig(a, 'V')
      local b = a + torch.triu(a, 1):t()
      local ge, gv = torch.eig(b, 'V')
      return e, v, ge, gv
    """,
    )
    tol = 1e-4 if t == "Float" else 1e-4
    np.testing.assert_allclose(
        arr(rt, r[0]), [-11.0656, -6.2287, 0.8640, 8.8655, 16.0948], atol=tol
    )
    np.testing.assert_allclose(
        arr(rt, r[1])[:, 0], [-0.2981, -0.5078, -0.0816, -0.0036, -0.8041], atol=tol
    )
    np.testing.assert_allclose(
        arr(rt, r[2])[:, 0], [16.0948, -11.0656, -6.2287, 0.8640, 8.8655], atol=tol
    )
    np.testing.assert_allclose(arr(rt, r[2])[:, 1], 0, atol=tol)
    np.testing.assert_allclose(
        arr(rt, r[3])[:, 0], [-0.4896, 0.6053, -0.3991, 0.4564, -0.1622], atol=tol
    )


def test_svd_doc_example(rt):
    r = run(
        rt,
        """
      local a = torch.Tensor({{8.79,  6.11, -9.15,  9.57, -3.49,  9.84},
                  {9.93,  6.91, -7.93,  1.64,  4.02,  0.15},
                  {9.83,  5.04,  4.86,  8.83,  9.80, -8.99},
                  {5.45, -0.27,  4.85,  0.74, 10.00, -6.02},
                  {3.16,  7.98,  3.01,  5.80,  4.27, -5.31}}):t()
      local u, s, v = torch.svd(a)
      return u, s, v, a:dist(u * torch.diag(s) * v:t()), torch.svd(a, 'A'):size(2)
    """,
    )
    assert arr(rt, r[0]).shape == (6, 5)
    np.testing.assert_allclose(arr(rt, r[1]), [27.4687, 22.6432, 8.5584, 5.9857, 2.0149], atol=1e-4)
    np.testing.assert_allclose(
        arr(rt, r[0])[:, 0], [-0.5911, -0.3976, -0.0335, -0.4297, -0.4697, 0.2934], atol=1e-4
    )
    np.testing.assert_allclose(
        arr(rt, r[2])[0], [-0.2514, 0.8148, -0.2606, 0.3967, -0.2180], atol=1e-4
    )
    assert r[3] < 1e-12 and r[4] == 6


def test_gels_doc_example(rt):
    # TH's gels returns the n x nrhs solution, a column-major view (strides 1, m) whose storage
    # still holds LAPACK's residual rows below it (torch7's test_gels_overdetermined checks
    # the shape; the documentation's 6x2 print predates that)
    r = run(
        rt,
        """
      local a = torch.Tensor({{ 1.44, -9.96, -7.55,  8.34,  7.08, -5.45},
                  {-7.84, -0.28,  3.24,  8.09,  2.52, -5.70},
                  {-4.39, -3.24,  6.27,  5.28,  0.74, -1.19},
                  {4.53,  3.83, -6.64,  2.06, -2.47,  4.70}}):t()
      local b = torch.Tensor({{8.58,  8.26,  8.48, -5.28,  5.72,  8.93},
                  {9.35, -4.43, -0.70, -0.26, -7.36, -2.52}}):t()
      local x = torch.gels(b, a)
      local full = torch.Tensor(x:storage(), 1, torch.LongStorage{6, 2}, torch.LongStorage{1, 6})
      return x, x:stride(1), x:stride(2), b:dist(a * x),
             math.sqrt(full:narrow(1, 5, 2):clone():pow(2):sum())
    """,
    )
    np.testing.assert_allclose(
        arr(rt, r[0]),
        [[-0.4506, 0.2497], [-0.8492, -0.9020], [0.7066, 0.6323], [0.1289, 0.1351]],
        atol=1e-4,
    )
    assert (r[1], r[2]) == (1, 6)
    assert r[3] == pytest.approx(17.390200628863) and r[4] == pytest.approx(17.390200628863)


def test_solvers(rt):
    r = run(
        rt,
        """
      torch.manualSeed(7)
      local A = torch.rand(4, 4) + torch.eye(4) * 4
      local B = torch.rand(4, 2)
      local X, LU = torch.gesv(B, A)
      local S = A * A:t()
      local U = torch.potrf(S)
      local L = torch.potrf(S, 'L')
      local Q, R = torch.qr(torch.rand(5, 3))
      local T = torch.triu(A)
      local Xt = torch.trtrs(B, T)
      local rx, rl = torch.Tensor(), torch.Tensor()
      torch.gesv(rx, rl, B, A)
      return A, B, X, torch.inverse(A), S, U, L, torch.potrs(B, U), torch.potri(U), Q, R, T, Xt,
             rx, LU
    """,
    )
    A, B, X, inv, S, U, L, P, Pi, Q, R, T, Xt, rx, LU = (arr(rt, v) for v in r)
    np.testing.assert_allclose(A @ X, B, atol=1e-12)
    np.testing.assert_allclose(rx, X)
    np.testing.assert_allclose(inv, np.linalg.inv(A), atol=1e-12)
    np.testing.assert_allclose(U.T @ U, S, atol=1e-12)
    np.testing.assert_allclose(U, np.triu(U))
    np.testing.assert_allclose(L @ L.T, S, atol=1e-12)
    np.testing.assert_allclose(S @ P, B, atol=1e-10)
    np.testing.assert_allclose(Pi, np.linalg.inv(S), atol=1e-10)
    np.testing.assert_allclose(Q.T @ Q, np.eye(3), atol=1e-12)
    np.testing.assert_allclose(R, np.triu(R))
    np.testing.assert_allclose(T @ Xt, B, atol=1e-12)
    # LU: P A = L U with unit lower L
    low = np.tril(LU, -1) + np.eye(4)
    up = np.triu(LU)
    prod = low @ up
    assert sorted(map(tuple, np.round(prod, 10))) == sorted(map(tuple, np.round(A, 10)))


def test_linalg_errors(rt):
    with pytest.raises(LuaError) as e:
        run(rt, "return torch.inverse(torch.zeros(2, 2))")
    assert "singular" in e.value.message
    with pytest.raises(LuaError) as e:
        run(rt, "return torch.potrf(torch.Tensor{{1, 2}, {2, 1}})")
    assert "not positive definite" in e.value.message
    with pytest.raises(LuaError) as e:
        run(rt, "return torch.gesv(torch.LongTensor(2, 1), torch.LongTensor(2, 2))")
    assert "does not implement the torch.gesv() function" in e.value.message


def test_matrix_functions(rt):
    r = run(
        rt,
        """
      local x = torch.range(1, 9):view(3, 3)
      return torch.diag(torch.Tensor{1, 2}), torch.diag(x), torch.diag(x, 1),
             torch.diag(torch.Tensor{1, 2}, -1), torch.tril(x), torch.triu(x, 1), torch.tril(x, -1),
             torch.cross(torch.Tensor{1, 0, 0}, torch.Tensor{0, 1, 0}),
             torch.cross(torch.range(1, 6):view(3, 2), torch.ones(3, 2), 1),
             torch.histc(torch.Tensor{1, 2, 1}, 4), torch.histc(torch.Tensor{1, 2, 2, 9}, 3, 0, 3),
             torch.cat(torch.ones(3), torch.zeros(2)),
             torch.cat({torch.ones(2, 2), x:narrow(1, 1, 1):narrow(2, 1, 2)}, 1)
    """,
    )
    x = np.arange(1, 10.0).reshape(3, 3)
    got = [arr(rt, v) for v in r]
    np.testing.assert_array_equal(got[0], np.diag([1, 2]))
    np.testing.assert_array_equal(got[1], [1, 5, 9])
    np.testing.assert_array_equal(got[2], [2, 6])
    np.testing.assert_array_equal(got[3], np.diag([1, 2], -1))
    np.testing.assert_array_equal(got[4], np.tril(x))
    np.testing.assert_array_equal(got[5], np.triu(x, 1))
    np.testing.assert_array_equal(got[6], np.tril(x, -1))
    np.testing.assert_array_equal(got[7], [0, 0, 1])
    np.testing.assert_array_equal(
        got[8], np.cross(np.arange(1, 7.0).reshape(3, 2), np.ones((3, 2)), axis=0)
    )
    np.testing.assert_array_equal(got[9], [2, 0, 0, 1])
    np.testing.assert_array_equal(got[10], [0, 1, 2])
    np.testing.assert_array_equal(got[11], [1, 1, 1, 0, 0])
    np.testing.assert_array_equal(got[12], [[1, 1], [1, 1], [1, 2]])


def _conv2_ref(x, k, full, flip):
    if flip:
        k = k[::-1, ::-1]
    if full:
        x = np.pad(x, [(k.shape[0] - 1,) * 2, (k.shape[1] - 1,) * 2])
    oh, ow = x.shape[0] - k.shape[0] + 1, x.shape[1] - k.shape[1] + 1
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[i, j] = (x[i : i + k.shape[0], j : j + k.shape[1]] * k).sum()
    return out


def test_convolutions(rt):
    r = run(
        rt,
        """
      torch.manualSeed(2)
      local x, k = torch.rand(6, 5), torch.rand(3, 2)
      local xs, ks = torch.rand(2, 5, 5), torch.rand(2, 2, 2)
      local km = torch.rand(3, 2, 2, 2)
      local res = torch.Tensor()
      torch.conv2(res, x, k)
      return x, k, torch.conv2(x, k), torch.conv2(x, k, 'F'), torch.xcorr2(x, k),
             torch.xcorr2(x, k, 'F'), res, xs, ks, torch.conv2(xs, ks), km, torch.xcorr2(xs, km),
             torch.conv3(torch.ones(3, 3, 3), torch.ones(2, 2, 2))
    """,
    )
    x, k = arr(rt, r[0]), arr(rt, r[1])
    np.testing.assert_allclose(arr(rt, r[2]), _conv2_ref(x, k, False, True))
    np.testing.assert_allclose(arr(rt, r[3]), _conv2_ref(x, k, True, True))
    np.testing.assert_allclose(arr(rt, r[4]), _conv2_ref(x, k, False, False))
    np.testing.assert_allclose(arr(rt, r[5]), _conv2_ref(x, k, True, False))
    np.testing.assert_allclose(arr(rt, r[6]), _conv2_ref(x, k, False, True))
    xs, ks, km = arr(rt, r[7]), arr(rt, r[8]), arr(rt, r[10])
    np.testing.assert_allclose(
        arr(rt, r[9]), [_conv2_ref(xs[i], ks[i], False, True) for i in range(2)]
    )
    np.testing.assert_allclose(
        arr(rt, r[11]),
        [sum(_conv2_ref(xs[j], km[i, j], False, False) for j in range(2)) for i in range(3)],
    )
    np.testing.assert_allclose(arr(rt, r[12]), np.full((2, 2, 2), 8.0))


def test_multinomial(rt):
    r = run(
        rt,
        """
      torch.manualSeed(1)
      local p = torch.Tensor{1, 1, 0.5, 0}
      local a = torch.multinomial(p, 1000, true)
      local b = torch.multinomial(torch.Tensor{{1, 0, 0}, {0, 0, 1}}, 2)
      return a:eq(4):sum(), a:min(), a:max(), torch.type(a), b
    """,
    )
    assert r[0] == 0 and r[1] == 1 and r[2] == 3 and r[3] == "torch.LongTensor"
    b = arr(rt, r[4])
    assert b.shape == (2, 2) and b[0, 0] == 1 and b[1, 0] == 3


def test_cmdline(rt):
    out: list[str] = []
    rt2 = Runtime(write=out.append)
    r = rt2.execute(
        """
      local cmd = torch.CmdLine()
      cmd:text()
      cmd:text('Training a simple network')
      cmd:text()
      cmd:text('Options')
      cmd:option('-seed', 123, 'initial random seed')
      cmd:option('-booloption', false, 'boolean option')
      cmd:option('-stroption', 'mystring', 'string option')
      cmd:argument('-data', 'the data file')
      cmd:text()
      local params = cmd:parse({'-seed', '7', '-booloption', 'file.t7'})
      cmd:help()
      return params.seed, params.booloption, params.stroption, params.data,
             cmd:string('exp', params, {})
    """,
        "=test",
    )
    assert r[:4] == (7, True, "mystring", "file.t7")
    text = "".join(out)
    end = "  <data>      the data file\n\n"
    help_text = text[text.index("Usage:") : text.index(end) + len(end)]
    assert help_text == (
        "Usage: [options] <data>\n"
        "\n"
        "Training a simple network\n"
        "\n"
        "Options\n"
        "  -seed       initial random seed [123]\n"
        "  -booloption boolean option [false]\n"
        "  -stroption  string option [mystring]\n"
        "  <data>      the data file\n"
        "\n"
    )
    # string() prints each option that differs from its default, as upstream does
    assert "seed\t7\t123\t\n" in text and "booloption\tt\tfalse\t\n" in text
    assert r[4] == "exp,data=file.t7,booloption=t,seed=7"

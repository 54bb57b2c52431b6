"""The vectorised exp (luatorch/tensor/vexp.py): the C library's bits on every input, any
length, in place, split over threads; used wherever it can run here."""

from __future__ import annotations

import ctypes
import ctypes.util
import platform
import sys

import numpy as np
import pytest

from luatorch.tensor import libm, native, threadpool, vexp

_C = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")
_C.exp.restype, _C.exp.argtypes = ctypes.c_double, [ctypes.c_double]
SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, 1e-310, -1e-310, 709.7, 709.8, 710.0, -745.2, -746.0,
           1000.0, -1000.0, 1e300, -1e300, np.inf, -np.inf, np.nan, -np.nan]  # fmt: skip


def c_reference(name: str, x: np.ndarray) -> np.ndarray:
    assert name == "exp"
    return np.array([_C.exp(v) for v in x.tolist()])


def bits(a: np.ndarray) -> np.ndarray:
    return a.view(np.uint64)


def _runs_here() -> bool:
    """Linux on x86-64 with AVX2 and FMA and glibc 2.28 or later: the kernel must be in use."""
    libc, version = platform.libc_ver()
    return (
        sys.platform.startswith("linux")
        and platform.machine() == "x86_64"
        and native._cpu_has("avx2", "fma")
        and libc == "glibc"
        and tuple(int(v) for v in version.split(".")[:2]) >= (2, 28)
    )


def _inputs() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(21)
    tiny = rng.uniform(-1, 1, 3001) * 10.0 ** rng.integers(-320, -10, 3001)
    return {
        "unit": rng.random(40001),
        "wide": rng.uniform(-760, 720, 40003),
        "normal": rng.normal(0, 8, 40002),
        "bits": rng.integers(0, 2**64, 20001, dtype=np.uint64).view(np.float64),
        "tiny": tiny,
        "edges": np.array(SPECIAL + [2.0**-54, -(2.0**-54), np.nextafter(2.0**-54, 0), 512.0,
                                     np.nextafter(512.0, 0), -512.0, 709.782712893384,
                                     -708.3964185322641, -744.4400719213812, 5e-324] * 3),
    }  # fmt: skip


def test_in_use_where_it_can_run():
    assert vexp.available() == _runs_here()


@pytest.mark.skipif(not vexp.available(), reason="kernel not usable on this machine")
@pytest.mark.parametrize("threads", [1, 2])
def test_the_c_librarys_bits(threads):
    prev = threadpool.use_num_threads(threads)
    try:
        for name, x in _inputs().items():
            want = bits(c_reference("exp", x))
            out = np.full_like(x, 7.0)
            assert vexp.exp_into(x, out)
            np.testing.assert_array_equal(bits(out), want, err_msg=name)
            for n in (0, 1, 2, 3, 5, x.size - 1):  # the tail of fewer than four lanes
                part = np.zeros(n)
                vexp.exp_into(x[:n], part)
                np.testing.assert_array_equal(bits(part), want[:n], err_msg=f"{name} {n}")
            y = x.copy()
            vexp.exp_into(y, y)  # in place
            np.testing.assert_array_equal(bits(y), want, err_msg=name)
    finally:
        threadpool.use_num_threads(prev)


@pytest.mark.skipif(not vexp.available(), reason="kernel not usable on this machine")
def test_large_double_exp_goes_through_it(monkeypatch):
    calls = []
    real = vexp.exp_into
    monkeypatch.setattr(vexp, "exp_into", lambda s, d: calls.append(s.size) or real(s, d))
    x = np.random.default_rng(3).normal(0, 5, 300001)
    got = libm.call("exp", x)
    assert calls == [x.size]
    np.testing.assert_array_equal(bits(got[:5000]), bits(c_reference("exp", x[:5000])))
    # a result overlapping its input elsewhere stays on the element-by-element path
    buf = np.random.default_rng(4).random(200001)
    libm.call("exp", buf[:-1], out=buf[1:])
    assert calls == [x.size]


def test_off_switch(monkeypatch):
    monkeypatch.setattr(vexp, "_state", None)
    monkeypatch.setenv("LUATORCH_VEXP", "0")
    assert not vexp.available()
    out = np.zeros(8)
    assert not vexp.exp_into(np.ones(8), out)
    assert (out == 0).all()


def test_table_is_glibcs_definition():
    t = vexp.table()
    # 2^(0/128) = 1 exactly: no tail, its bits; the scale words rise by the table's step
    assert t[0] == 0 and t[1] == 0x3FF0000000000000
    scales = np.array([t[2 * k + 1] + (k << 45) for k in range(128)], np.uint64).view(np.float64)
    np.testing.assert_allclose(scales, 2.0 ** (np.arange(128) / 128), rtol=2**-52)


@pytest.mark.skipif(not vexp.available(), reason="kernel not usable on this machine")
def test_vsigmoid_is_ths_sigmoid():
    # vsigmoid (nn's Double Sigmoid): 1 / (1 + exp(-x)) with the C library's exp, over blocks
    # of 256 and their tails, in place and apart
    k = vexp._kernel()
    f = ctypes.CFUNCTYPE(None, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p,
                         ctypes.c_void_p)(native.code().at["vsigmoid"])  # fmt: skip
    for name, x in _inputs().items():
        want = bits(1.0 / (1.0 + c_reference("exp", -x)))
        for n in sorted({x.size, 3} | {m for m in (255, 256, 257, 515) if m <= x.size}):
            out = np.full(n, 7.0)
            f(n, out.ctypes.data, x.ctypes.data, k.consts_at, k.c_exp)
            np.testing.assert_array_equal(bits(out), want[:n], err_msg=f"{name} {n}")
        y = x.copy()
        f(y.size, y.ctypes.data, y.ctypes.data, k.consts_at, k.c_exp)
        np.testing.assert_array_equal(bits(y), want, err_msg=name)


@pytest.mark.parametrize("threads", [1, 2])
def test_libm_sigmoid_is_ths(threads, monkeypatch):
    # torch.sigmoid and THNN's Sigmoid past the Lua kernels: vsigmoid on the pool for large
    # doubles (strided ones copied first), numpy's operations around expf for floats
    calls = []
    real = vexp.sigmoid_into
    monkeypatch.setattr(vexp, "sigmoid_into", lambda s, d: calls.append(s.size) or real(s, d))
    prev = threadpool.use_num_threads(threads)
    try:
        x = np.random.default_rng(9).normal(0, 30, (700, 301))
        x[0, :5] = [np.nan, np.inf, -np.inf, -0.0, 1e-310]
        for a in (x, x[:, ::2], x[:1, : 1000 // 301], x.astype(np.float32)):
            got = libm.sigmoid(a)
            if a.dtype == np.float32:
                want = np.float32(1) / (np.float32(1) + libm.th("exp", -a))
            else:
                flat = a.reshape(-1)
                want = (1.0 / (1.0 + c_reference("exp", -flat))).reshape(a.shape)
            assert got.dtype == a.dtype and got.shape == a.shape
            np.testing.assert_array_equal(got.view(np.uint64 if a.dtype == np.float64
                                                   else np.uint32),
                                          want.view(np.uint64 if a.dtype == np.float64
                                                    else np.uint32))  # fmt: skip
    finally:
        threadpool.use_num_threads(prev)
    assert calls == [x.size, x[:, ::2].size]

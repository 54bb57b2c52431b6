"""Kernels split over threads (luatorch/tensor/threadpool.py) give the single-threaded results.

Splitting normally starts at about a millisecond of work; these tests lower the threshold so
small inputs run on several threads in many ranges, then compare with one thread and with
numpy reference maths.
"""

from __future__ import annotations

import math
import threading

import numpy as np
import pytest

from luatorch.runtime import Runtime
from luatorch.tensor import threadpool
from luatorch.tensor.core import Tensor, tensor_from_array
from luatorch.thnn import _native, pool


@pytest.fixture(scope="module")
def rt() -> Runtime:
    r = Runtime(write=lambda s: None)
    r.execute("require 'nn'")
    return r


@pytest.fixture
def split(monkeypatch: pytest.MonkeyPatch):
    """Every kernel above a few elements splits over 3 threads (more ranges than threads)."""

    def use(n: int) -> None:
        threadpool.set_num_threads(n)
        monkeypatch.setattr(threadpool, "MIN_WORK", 1 if n > 1 else 1 << 18)
        monkeypatch.setattr(threadpool, "MIN_OP", 1 if n > 1 else 1 << 18)

    old = threadpool.get_num_threads()
    yield use
    threadpool.set_num_threads(old)


def arr(rt: Runtime, expr: str) -> np.ndarray:
    t = rt.execute(f"return {expr}")[0]
    return rt.globals.torch._P[t].arr.copy()


STEP = """
torch.manualSeed(3)
local model = nn.Sequential()
model:add(nn.SpatialConvolution(3, 4, 3, 3, 1, 1, 1, 1)):add(nn.ReLU())
model:add(nn.SpatialMaxPooling(2, 2, 2, 2))
model:add(nn.SpatialConvolution(4, 6, 3, 3)):add(nn.ReLU())
model:add(nn.View(6 * 2 * 2)):add(nn.Linear(24, 5)):add(nn.LogSoftMax())
local crit = nn.ClassNLLCriterion()
x = torch.randn(6, 3, 8, 8)
local y = torch.LongTensor(6):random(5)
local loss
for i = 1, 3 do
   model:zeroGradParameters()
   local out = model:forward(x)
   loss = crit:forward(out, y)
   model:backward(x, crit:backward(out, y))
   model:updateParameters(0.1)
end
params = model:getParameters()
gin = model.gradInput
return loss
"""


def test_train_steps_match_one_thread(rt: Runtime, split) -> None:
    split(1)
    (loss1,) = rt.execute(STEP)
    p1, g1 = arr(rt, "params"), arr(rt, "gin")
    split(3)
    (loss3,) = rt.execute(STEP)
    p3, g3 = arr(rt, "params"), arr(rt, "gin")
    assert loss3 == pytest.approx(loss1, rel=1e-12)
    # weight gradients are summed per range: the same sums in another order
    np.testing.assert_allclose(p3, p1, rtol=1e-11, atol=1e-13)
    np.testing.assert_allclose(g3, g1, rtol=1e-11, atol=1e-13)


def _maxpool_ref(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First maximum in row-major order per 2x2 window, Torch's 1-based flat index."""
    B, C, H, W = x.shape
    oh, ow = H // 2, W // 2
    val = np.empty((B, C, oh, ow))
    idx = np.empty((B, C, oh, ow), dtype=np.int64)
    for b in range(B):
        for c in range(C):
            for i in range(oh):
                for j in range(ow):
                    win = x[b, c, 2 * i : 2 * i + 2, 2 * j : 2 * j + 2].ravel()
                    k = int(np.argmax(win))
                    val[b, c, i, j] = win[k]
                    idx[b, c, i, j] = (2 * i + k // 2) * W + 2 * j + k % 2 + 1
    return val, idx


@pytest.mark.parametrize("shape", [(2, 3, 6, 8), (1, 2, 7, 9), (3, 1, 2, 2)])
@pytest.mark.parametrize("n", [1, 3])
def test_maxpool_2x2_fast_path(shape, n, split) -> None:
    split(n)
    rng = np.random.default_rng(7)
    x = rng.integers(0, 4, size=shape).astype(np.float64)  # many ties
    o, i = Tensor("Double"), Tensor("Long")
    pool.SpatialMaxPooling_updateOutput(tensor_from_array(x), o, i, 2, 2, 2, 2, 0, 0, False)
    val, idx = _maxpool_ref(x)
    np.testing.assert_array_equal(o.arr, val)
    np.testing.assert_array_equal(i.arr, idx)
    g = rng.standard_normal(val.shape)
    gi = Tensor("Double")
    pool.SpatialMaxPooling_updateGradInput(
        tensor_from_array(x), tensor_from_array(g), gi, i, 2, 2, 2, 2, 0, 0, False
    )
    want = np.zeros(shape)
    flat = want.reshape(shape[0] * shape[1], -1)
    flat[np.arange(flat.shape[0])[:, None], (idx - 1).reshape(flat.shape[0], -1)] = g.reshape(
        flat.shape[0], -1
    )
    np.testing.assert_array_equal(gi.arr, want)


@pytest.mark.parametrize("native", [True, False])
def test_maxpool_nan_window_is_torch7s(split, monkeypatch: pytest.MonkeyPatch, native) -> None:
    """THNN takes a cell when ``val > maxval``: never a NaN (real Torch7 gives 31 at index 16
    here), in the native loop and in the numpy paths alike."""
    split(3)
    if not native:
        monkeypatch.setattr(_native, "_kernels", False)
    x = np.arange(2 * 1 * 4 * 4, dtype=np.float64).reshape(2, 1, 4, 4)
    x[1, 0, 2, 3] = np.nan
    o, i = Tensor("Double"), Tensor("Long")
    pool.SpatialMaxPooling_updateOutput(tensor_from_array(x), o, i, 2, 2, 2, 2, 0, 0, False)
    val, idx = pool.maxpool(np.nan_to_num(x, nan=-np.inf), (2, 2), (2, 2), (0, 0), (1, 1), (2, 2))
    np.testing.assert_array_equal(o.arr, val)
    np.testing.assert_array_equal(i.arr, idx + 1)
    assert o.arr[1, 0, 1, 1] == 31 and i.arr[1, 0, 1, 1] == 16


@pytest.mark.parametrize("n", [1, 3])
def test_relu_forward_backward(rt: Runtime, split, n) -> None:
    split(n)
    rt.execute("""
      r = nn.ReLU()
      xr = torch.randn(5, 7, 3)
      xr[1][1][1] = 0/0; xr[1][1][2] = -0.0
      gr = torch.randn(5, 7, 3)
      yr = r:forward(xr):clone(); gir = r:backward(xr, gr):clone()
    """)
    x, g = arr(rt, "xr"), arr(rt, "gr")
    with np.errstate(invalid="ignore"):
        pos = x > 0
    y = arr(rt, "yr")
    np.testing.assert_array_equal(y, np.where(pos, x, 0.0))
    assert not np.signbit(y).any() and not np.isnan(y).any()  # NaN and -0 give 0, as Torch
    np.testing.assert_array_equal(arr(rt, "gir"), g * pos)


@pytest.mark.parametrize("n", [1, 3])
def test_linear_batch_and_mm(rt: Runtime, split, n) -> None:
    split(n)
    rt.execute("""
      torch.manualSeed(5)
      l = nn.Linear(9, 11)
      xl = torch.randn(13, 9); gl = torch.randn(13, 11)
      l:zeroGradParameters()
      yl = l:forward(xl):clone(); gil = l:backward(xl, gl, 0.5):clone()
      a = torch.randn(17, 6); b = torch.randn(6, 5); c = torch.mm(a, b)
      e = torch.randn(40, 3); ee = torch.exp(e); ei = torch.Tensor(40, 3):exp(e)
    """)
    w, bias = arr(rt, "l.weight"), arr(rt, "l.bias")
    x, g = arr(rt, "xl"), arr(rt, "gl")
    np.testing.assert_allclose(arr(rt, "yl"), x @ w.T + bias, rtol=1e-13)
    np.testing.assert_allclose(arr(rt, "gil"), g @ w, rtol=1e-13)
    np.testing.assert_allclose(arr(rt, "l.gradWeight"), 0.5 * g.T @ x, rtol=1e-13)
    np.testing.assert_allclose(arr(rt, "l.gradBias"), 0.5 * g.sum(0), rtol=1e-13)
    np.testing.assert_allclose(arr(rt, "c"), arr(rt, "a") @ arr(rt, "b"), rtol=1e-13)
    # the C library's exp, as Torch7 (numpy's own exp rounds differently)
    c_exp = np.vectorize(math.exp)(arr(rt, "e"))
    np.testing.assert_array_equal(arr(rt, "ee"), c_exp)
    np.testing.assert_array_equal(arr(rt, "ei"), c_exp)


def test_linear_vector_errors(rt: Runtime) -> None:
    with pytest.raises(Exception, match="size mismatch"):
        rt.execute("nn.Linear(3, 4):forward(torch.randn(5))")
    with pytest.raises(Exception, match="size mismatch"):
        rt.execute(
            "local l = nn.Linear(3, 4); l:forward(torch.randn(3)); "
            "l:updateGradInput(torch.randn(3), torch.randn(5))"
        )


def test_parallel_ranges_order_and_errors(split) -> None:
    split(3)
    names = set()

    def fn(lo: int, hi: int) -> tuple[int, int]:
        names.add(threading.current_thread().name)
        return lo, hi

    res = threadpool.parallel(fn, 50, 1e9)
    assert res[0][0] == 0 and res[-1][1] == 50
    assert all(a[1] == b[0] for a, b in zip(res, res[1:], strict=False))
    assert len(res) > 3  # more ranges than threads

    def boom(lo: int, hi: int) -> None:
        if lo > 0:
            raise ValueError("range failed")

    with pytest.raises(ValueError, match="range failed"):
        threadpool.parallel(boom, 50, 1e9)
    split(1)
    assert threadpool.parallel(fn, 50, 1e9) == [(0, 50)]


def test_ranges() -> None:
    assert threadpool.ranges(10, 3) == [(0, 3), (3, 6), (6, 10)]
    assert threadpool.ranges(10, 20) == [(i, i + 1) for i in range(10)]
    assert threadpool.ranges(1, 4) == [(0, 1)]


def _conv_grad_input(w_shape, x_shape, k, p) -> tuple[np.ndarray, np.ndarray]:
    """(gradInput, the column gradients) of a convolution through conv.conv_grad_input."""
    from luatorch.thnn import conv

    rng = np.random.default_rng(11)
    B, C, H, W = x_shape
    nout = w_shape[0]
    oh, ow = H + 2 * p - k + 1, W + 2 * p - k + 1
    w2 = rng.standard_normal((nout, C * k * k))
    g3 = rng.standard_normal((B, nout, oh * ow))
    gcols3 = np.empty((B, C * k * k, oh * ow))
    gx = np.empty(x_shape)
    conv.conv_grad_input(g3, w2, C, (H, W), (k, k), (1, 1), (p, p), (1, 1), (oh, ow), gcols3, gx)
    return gx, gcols3


@pytest.mark.parametrize(
    "w_shape, x_shape, k, p",
    [
        ((16, 16), (6, 16, 32, 32), 3, 1),
        ((32, 3), (4, 3, 36, 36), 5, 0),
        ((32, 3), (6, 3, 32, 32), 5, 0),  # rows of 28: by bincount, frames apart
        ((64, 32), (6, 32, 14, 14), 5, 0),  # by bincount, in turn
    ],
)
def test_conv_grad_input_frames_apart(w_shape, x_shape, k, p, split) -> None:
    """On several threads the frames of a convolution's gradInput run side by side, each
    product on one BLAS thread, when that call shape gives the library's own bits, else in
    turn: either way the result is the one-thread result bit for bit, and the library gets
    its thread count back."""
    from luatorch.tensor import blas

    split(1)
    gx1, gc1 = _conv_grad_input(w_shape, x_shape, k, p)
    split(3)
    entered = []
    real = blas.frames_apart

    def watch(plan):
        region = real(plan)
        entered.append(region is not None)
        return region

    blas.frames_apart = watch
    try:
        gx3, gc3 = _conv_grad_input(w_shape, x_shape, k, p)
    finally:
        blas.frames_apart = real
    # (on 2 cores the first three shapes are exact, their frames ran apart; the last is not)
    assert len(entered) == 1
    assert gx3.tobytes() == gx1.tobytes() and gc3.tobytes() == gc1.tobytes()
    backend = blas._backend
    if blas.BACKEND == "system" and backend.threads:
        assert backend.lib.openblas_get_num_threads() == backend.threads


def test_thread_invariant_probe_tells_the_truth() -> None:
    """The probe's verdict is the one a direct comparison of the two thread counts gives, it
    is cached, and the library gets its own thread count back."""
    from luatorch.tensor import blas

    backend = blas._backend
    if blas.BACKEND != "system":
        assert blas.frames_apart(blas.gemm_frames_plan(*_frames_operands(2))) is None
        return
    for m in (37, 100, 784):
        c, alpha, a, b, beta = _frames_operands(m)
        plan = blas.gemm_frames_plan(c, alpha, a, b, beta)
        verdict = backend.thread_invariant(*plan.call)
        assert backend.thread_invariant(*plan.call) is verdict
        results = []
        for n in (backend.threads, 1):
            backend.lib.openblas_set_num_threads(n)
            try:
                out = c.copy()
                blas.gemm_frames(out, alpha, a, b, beta)
            finally:
                backend.lib.openblas_set_num_threads(backend.threads)
            results.append(out.tobytes())
        assert verdict == (results[0] == results[1] and backend.threads > 1)
        assert backend.lib.openblas_get_num_threads() == backend.threads


def _frames_operands(m: int) -> tuple:
    rng = np.random.default_rng(m)
    c = rng.standard_normal((2, 64, m))
    a = np.broadcast_to(rng.standard_normal((64, 800)), (2, 64, 800))
    return c, 1, a, rng.standard_normal((2, 800, m)), 1

"""The up-sampling gradients' fast forms add in THNN's order: the same bits as the plain
loops they replace (nearest: offset after offset; linear: contribution after contribution)."""

from __future__ import annotations

from itertools import product

import numpy as np
import pytest

from luatorch.runtime import Runtime
from luatorch.tensor import libm
from luatorch.thnn.pool import linear_grad, nearest_grad


def nearest_by_offsets(g: np.ndarray, n: int, s: int) -> np.ndarray:
    lead = g.shape[:-n]
    size = tuple(v // s for v in g.shape[-n:])
    gi = np.zeros(lead + size, dtype=g.dtype)
    for offsets in product(range(s), repeat=n):
        gi += g[(Ellipsis,) + tuple(slice(o, None, s) for o in reversed(offsets))]
    return gi


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("n,s", [(2, 2), (2, 3), (3, 2), (3, 4)])
def test_nearest_gradient_adds_offset_after_offset(dtype, n, s):
    rng = np.random.default_rng(n * 10 + s)
    size = tuple(int(v) for v in rng.integers(2, 5, size=n))
    g = rng.standard_normal((2, 3) + tuple(v * s for v in size)) * 10.0 ** rng.uniform(-6, 6)
    g = g.astype(dtype)
    g[0, 0] = -0.0  # a plane of -0 sums to +0 from THNN's zeroed gradInput
    got = nearest_grad(g, n, s)
    assert got.tobytes() == nearest_by_offsets(g, n, s).tobytes()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("size,osize", [((3, 4), (7, 9)), ((2, 3, 2), (5, 7, 6)), ((4,), (11,))])
def test_linear_gradient_loop_equals_the_grouped_numpy_form(dtype, size, osize, monkeypatch):
    Runtime()  # installs the LuaJIT loops on this thread
    rng = np.random.default_rng(len(size))
    g = rng.standard_normal((2,) + osize).astype(dtype)
    with_loop = linear_grad(g, size)
    monkeypatch.setattr(libm._local, "loop", None)
    assert with_loop.tobytes() == linear_grad(g, size).tobytes()

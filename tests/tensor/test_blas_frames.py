"""blas.gemm_frames: one GEMM per frame, with the bits of calling blas.gemm frame by frame.

THNN's convolutions multiply each batch item separately (the product's bits depend on the call's
shape); gemm_frames decides TH's call shape once and loops over the frames' addresses. Whatever
the layouts (row- or column-major, a zero-stride stack sharing one matrix, a destination every
frame adds into, operands that need contiguous copies), it must give what the frame-by-frame
calls give.
"""

from __future__ import annotations

import numpy as np
import pytest

from luatorch.tensor import blas


def _stack(m: np.ndarray, frames: int) -> np.ndarray:
    return np.lib.stride_tricks.as_strided(m, (frames,) + m.shape, (0,) + m.strides)


def _case(seed: int, dtype: type, which: int) -> tuple:
    """(name, c, a, b, alpha, beta): the same arrays for the same seed."""
    rng = np.random.default_rng(seed)
    F, m, n, k = 4, 5, 7, 6

    def r(*shape: int) -> np.ndarray:
        return rng.standard_normal(shape).astype(dtype)

    cols = r(k, F * n)  # a column buffer: frame f is cols[:, f*n:(f+1)*n]
    frames = np.lib.stride_tricks.as_strided(
        cols, (F, k, n), (n * cols.strides[1], cols.strides[0], cols.strides[1])
    )
    cases = [
        # y[f] = w @ cols_f + y[f] (forward, beta 1)
        lambda: ("forward", r(F, m, n), _stack(r(m, k), F), frames, 1.0, 1.0),
        # gradient of the input: transposed shared weight, beta 0
        lambda: ("grad_input", r(F, k, n), _stack(r(m, k).T, F), r(F, m, n), 1.0, 0.0),
        # one destination accumulating every frame's product (accGradParameters)
        lambda: (
            "grad_weight",
            _stack(r(m, k), F),
            r(F, m, n),
            frames.transpose(0, 2, 1),
            0.5,
            1.0,
        ),
        # column-major destinations
        lambda: ("fortran", r(F, n, m).transpose(0, 2, 1), r(F, m, k), r(F, k, n), 1.0, 1.0),
        # operands neither row- nor column-major (contiguous copies: frame by frame)
        lambda: (
            "strided",
            r(F, m, n),
            r(F, m, 2 * k)[:, :, ::2],
            r(F, 2 * k, n)[:, ::2],
            2.0,
            1.0,
        ),
        # a destination neither row- nor column-major (a column-major copy)
        lambda: ("strided_c", r(F, m, 2 * n)[:, :, ::2], r(F, m, k), r(F, k, n), 1.0, 0.5),
    ]
    return cases[which]()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("which", range(6))
def test_frames_give_the_frame_by_frame_bits(dtype: type, which: int) -> None:
    name, c1, a1, b1, alpha, beta = _case(which, dtype, which)
    _, c2, a2, b2, _, _ = _case(which, dtype, which)
    for f in range(c1.shape[0]):
        blas.gemm(c1[f], alpha, a1[f], b1[f], beta)
    blas.gemm_frames(c2, alpha, a2, b2, beta)
    assert np.array_equal(c1, c2), name
    assert not np.array_equal(c1, _case(which, dtype, which)[1]), "nothing was computed"

"""Kernels never depend on what memory held before: a buffer they reuse or a block numpy hands
out again may hold anything.

Found through tests/runtime/test_threads.py: after a long optim.Logger:plot loop earlier in the
process, runtimes computed other losses than in a fresh process (with any BLAS and thread count):
Linear's gradBias read a vector of ones that was only checked by its first element, and a freed
block starting with 1.0 kept its old contents after it.
"""

from __future__ import annotations

import threading

import numpy as np

from luatorch.runtime import Runtime
from luatorch.tensor.core import Tensor
from luatorch.thnn import linear


def tensor(a: np.ndarray) -> Tensor:
    t = Tensor("Double")
    t.resize(a.shape)
    t.arr[...] = a
    return t


def in_fresh_thread(fn) -> list:
    """fn() on a new thread (per-thread scratch buffers start empty there); its result."""
    out: list = []
    th = threading.Thread(target=lambda: out.append(fn()))
    th.start()
    th.join(60)
    return out


def test_linear_grad_bias_after_a_freed_block_starting_with_one() -> None:
    rng = np.random.default_rng(0)
    g = rng.standard_normal((16, 5))
    x = rng.standard_normal((16, 30))

    def run() -> np.ndarray:
        gw, gb = tensor(np.zeros((5, 30))), tensor(np.zeros(5))
        gt, xt = tensor(g), tensor(x)
        junk = np.full(16, 5.0)  # numpy caches small freed blocks: the next one is this
        junk[0] = 1.0
        del junk
        linear.Linear_accGradParameters(xt, gt, gw, gb, 1.0)
        return gb.arr.copy()

    (gb,) = in_fresh_thread(run)
    # gradBias:addmv(1, gradOutput:t(), ones): gemv's sums, close to numpy's column sums
    np.testing.assert_allclose(gb, g.sum(0), rtol=1e-12)


def test_linear_grad_bias_over_growing_and_shrinking_batches() -> None:
    rt = Runtime(write=lambda s: None)
    sums = rt.execute(
        """
        torch.manualSeed(3)
        local m = nn.Linear(7, 3)
        local out = {}
        for _, n in ipairs({2, 40, 5, 64, 1, 33}) do
           local x, g = torch.randn(n, 7), torch.randn(n, 3)
           m:zeroGradParameters()
           m:forward(x)
           m:backward(x, g)
           out[#out + 1] = (m.gradBias - g:sum(1):view(3)):abs():max()
        end
        return table.concat(out, ' ')
        """.replace("torch.manualSeed(3)", "require 'nn'\ntorch.manualSeed(3)")
    )[0]
    assert all(float(v) < 1e-12 for v in sums.split()), sums

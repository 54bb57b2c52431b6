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


def test_linear_grad_weight_with_one_grad_output_buffer_changing() -> None:
    # accGradParameters keeps one transposed view of gradOutput while gradOutput keeps its
    # geometry and storage: the buffer refilled, resized, set to another storage and narrowed
    # (a non-contiguous gradOutput) gives the gradients of fresh views, bit for bit
    rt = Runtime(write=lambda s: None)
    diffs = rt.execute(
        """
        require 'nn'
        torch.manualSeed(5)
        local m = nn.Linear(6, 4)
        local g = torch.Tensor()
        local out = {}
        local function check(x)
           m.gradWeight:zero(); m.gradBias:zero()
           m:accGradParameters(x, g, 0.5)
           local gw = torch.zeros(4, 6):addmm(0.5, g:t(), x)
           local gb = torch.zeros(4):addmv(0.5, g:t(), torch.ones(x:size(1)))
           out[#out + 1] = torch.equal(m.gradWeight, gw) and torch.equal(m.gradBias, gb)
              and 'same' or 'differ'
        end
        g:resize(5, 4):normal(); check(torch.randn(5, 6))
        g:normal(); check(torch.randn(5, 6))
        g:resize(9, 4):normal(); check(torch.randn(9, 6))
        g:set(torch.randn(9, 4)); check(torch.randn(9, 6))
        g:set(torch.randn(9, 8):narrow(2, 3, 4)); check(torch.randn(9, 6))
        return table.concat(out, ' ')
        """
    )[0]
    assert diffs == "same same same same same"

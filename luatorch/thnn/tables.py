"""Kernels of nn's table layers that do more than copy tensors around.

MixtureTable: y = sum_i g_i * e_i, with the gater g (n, or B x n) weighting the expert outputs e_i
(a table of tensors, or one tensor holding the experts along dimension dim).
"""

from __future__ import annotations

import numpy as np

from ..tensor.core import Tensor, TorchError
from ._util import store


def _weight(gater: np.ndarray, i: int, ndim: int) -> np.ndarray:
    """Column i of the gater, shaped to broadcast over an expert output of ndim dimensions."""
    if gater.ndim == 1:
        return gater[i]
    return gater[:, i].reshape((-1,) + (1,) * (ndim - 1))


def MixtureTable_accExpert(gater: Tensor, expert: Tensor, output: Tensor, i: int) -> None:
    """output (+)= g_i * e_i; expert number i is 1-based and the first one resets output."""
    g = gater.arr
    e = expert.arr
    if g.ndim == 2 and e.shape[0] != g.shape[0]:
        raise TorchError("expert and gater batch sizes differ")
    value = _weight(g, i - 1, e.ndim) * e
    if i == 1:
        store(output, value)
    else:
        if output.arr.shape != value.shape:
            raise TorchError("expert outputs must all have the same size")
        output.arr[...] += value


def MixtureTable_gradExpert(
    gater: Tensor, expert: Tensor, gradOutput: Tensor, gradGater: Tensor, gradExpert: Tensor, i: int
) -> None:
    """Gradients for expert i: its gater column (written into gradGater) and its input."""
    g = gater.arr
    e = expert.arr
    go = gradOutput.arr
    if i == 1:
        store(gradGater, np.zeros(g.shape))
    if g.ndim == 1:
        gradGater.arr[i - 1] = (go * e).sum()
    else:
        gradGater.arr[:, i - 1] = (go * e).reshape(e.shape[0], -1).sum(1)
    store(gradExpert, _weight(g, i - 1, e.ndim) * go)


def _gview(g: np.ndarray, experts: np.ndarray, dim: int) -> np.ndarray:
    shape = [1] * experts.ndim
    if g.ndim == 1:
        shape[dim - 1] = g.shape[0]
    else:
        shape[0] = g.shape[0]
        shape[dim - 1] = g.shape[1]
    return g.reshape(shape)


def MixtureTable_updateOutput(gater: Tensor, experts: Tensor, output: Tensor, dim: int) -> None:
    e = experts.arr
    if not 1 <= dim <= e.ndim:
        raise TorchError("expert dimension out of range")
    store(output, (_gview(gater.arr, e, dim) * e).sum(axis=dim - 1))


def MixtureTable_updateGradInput(
    gater: Tensor,
    experts: Tensor,
    gradOutput: Tensor,
    gradGater: Tensor,
    gradExperts: Tensor,
    dim: int,
) -> None:
    g = gater.arr
    e = experts.arr
    go = np.expand_dims(gradOutput.arr, dim - 1)
    store(gradExperts, _gview(g, e, dim) * go)
    prod = go * e
    if g.ndim == 1:
        axes = tuple(a for a in range(e.ndim) if a != dim - 1)
    else:
        axes = tuple(a for a in range(e.ndim) if a not in (0, dim - 1))
    store(gradGater, prod.sum(axis=axes).reshape(g.shape))

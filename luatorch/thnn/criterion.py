"""Criterions: the loss is returned as a number, gradients are written in place.

MSE: loss = sum((x - t)^2) [/ n]      dx = 2 (x - t) [/ n]
"""

from __future__ import annotations

import numpy as np

from ..tensor.core import Tensor, TorchError
from ._util import resize_as


def _same_numel(input: Tensor, target: Tensor) -> np.ndarray:
    if input.nelement() != target.nelement():
        raise TorchError("input and target size mismatch")
    t = target.arr
    return t.reshape(input.size) if t.shape != input.size else t


def MSECriterion_updateOutput(input: Tensor, target: Tensor, sizeAverage: bool) -> float:
    d = input.arr - _same_numel(input, target)
    loss = float(np.dot(d.reshape(-1), d.reshape(-1)))
    if sizeAverage:
        loss /= input.nelement()
    return loss


def MSECriterion_updateGradInput(
    input: Tensor, target: Tensor, gradInput: Tensor, sizeAverage: bool
) -> None:
    norm = 2.0 / input.nelement() if sizeAverage else 2.0
    out = resize_as(gradInput, input)
    np.copyto(out, norm * (input.arr - _same_numel(input, target)), casting="unsafe")

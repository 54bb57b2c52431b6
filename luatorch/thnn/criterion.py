"""Criterions: the loss is returned as a number, gradients are written in place.

MSE: loss = sum((x - t)^2) [/ n]      dx = 2 (x - t) [/ n]
"""

from __future__ import annotations

import numpy as np

from ..tensor import accreal
from ..tensor.core import Tensor
from ._util import check_nelement, resize_as


def _same_numel(input: Tensor, target: Tensor) -> np.ndarray:
    check_nelement(input, target, "input", "target")
    t = target.arr
    return t.reshape(input.size) if t.shape != input.size else t


def MSECriterion_updateOutput(input: Tensor, target: Tensor, sizeAverage: bool) -> float:
    # THNN: ``real sum`` of z*z in element order, then divided in real
    d = input.arr - _same_numel(input, target)
    real = d.dtype.type
    loss = accreal.seq(d * d, None, d.dtype) if d.size else real(0)
    if sizeAverage:
        loss = real(loss / real(input.nelement()))
    return float(loss)


def MSECriterion_updateGradInput(
    input: Tensor, target: Tensor, gradInput: Tensor, sizeAverage: bool
) -> None:
    x = input.arr
    # THNN: norm = 2./((real)n) computed in double, stored as real
    norm = x.dtype.type(2.0 / float(x.dtype.type(input.nelement())) if sizeAverage else 2.0)
    out = resize_as(gradInput, input)
    np.copyto(out, norm * (x - _same_numel(input, target)), casting="unsafe")

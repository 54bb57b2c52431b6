"""Small helpers shared by the kernels."""

from __future__ import annotations

import numpy as np

from ..tensor.core import Tensor, TorchError
from ._grid import sizes

sz = sizes  # Torch's "[a x b]" size text, under the short name the kernels use


def store(out: Tensor, value: np.ndarray) -> Tensor:
    """Resize out to value's shape (keeping its storage when it fits) and copy value in."""
    if out.size != value.shape:
        out.resize(value.shape)
    if value.size:
        np.copyto(out.arr, value, casting="unsafe")
    return out


def resize_as(out: Tensor, like: Tensor) -> np.ndarray:
    if out.size != like.size:
        out.resize(like.size)
    return out.arr


def check_shape(a: Tensor, b: Tensor, a_name: str, b_name: str) -> None:
    """THNN_CHECK_SHAPE: the sizes must be equal (the element counts are not enough)."""
    if a.size != b.size:
        raise TorchError(
            f"{a_name} and {b_name} shapes do not match: {a_name} {sz(a)}, {b_name} {sz(b)}"
        )


def check_nelement(a: Tensor, b: Tensor, a_name: str, b_name: str) -> None:
    """THNN_CHECK_NELEMENT: the element counts must be equal, the shapes may differ."""
    na, nb = a.nelement(), b.nelement()
    if na != nb:
        raise TorchError(
            f"{a_name} and {b_name} have different number of elements: {a_name}{sz(a)} has "
            f"{na} elements, while {b_name}{sz(b)} has {nb} elements"
        )


def check_dims(t: Tensor, allowed: tuple[int, ...], what: str) -> None:
    if t.dim() not in allowed:
        raise TorchError(what)

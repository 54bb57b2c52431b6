"""torch.Tester's tensor comparison in one call (``torch._py.tester_maxAbsDiff``).

Torch7's Tester measures two tensors' distance as ``a:clone():add(-1, b):abs():max()``: four
calls into the runtime and a copy per assertion, which dominates test files asserting element by
element (nn's PixelShuffle test makes ~150k such assertions). This computes the same number
with the same arithmetic in the tensors' own type: ``a + (-1) * b`` is ``a - b`` exactly, abs
and max are exact, and a NaN anywhere makes the result NaN as TH's max does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..tensor.core import Tensor
from ..tensor.math import like

# the types whose add, abs and max Torch7 defines (Byte, Char and Short are compared as doubles
# by the Tester itself)
_TYPES = {np.dtype(np.float64), np.dtype(np.float32), np.dtype(np.int64), np.dtype(np.int32)}


def max_abs_diff(a: Tensor, b: Tensor) -> float | int | None:
    """max(|a - b|) over a's elements, b taken in a's shape; None when the Tester's own Lua
    path must decide (other types, mixed types, no elements)."""
    if a.ttype != b.ttype or not a.size or a.nelement() != b.nelement():
        return None
    x = a.arr
    if x.dtype not in _TYPES or x.size == 0:
        return None
    with np.errstate(all="ignore"):
        d = np.abs(x - like(a, b)).max()
    return float(d) if x.dtype.kind == "f" else int(d)


def exports(bindings: Any) -> dict[str, Callable[..., Any]]:
    return {"tester_maxAbsDiff": max_abs_diff}

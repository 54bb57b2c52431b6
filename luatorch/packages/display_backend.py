"""Small helpers for the Lua ``display`` package: base64 of an encoded image held in a
ByteTensor or of a file's bytes, for the data URLs of its HTML page."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import numpy as np

from ..tensor.core import Tensor, TorchError


def exports(bindings: Any) -> dict[str, Callable[..., Any]]:
    """Functions for lua/display."""

    def b64_tensor(t: Tensor) -> str:
        return base64.b64encode(np.ascontiguousarray(t.arr, dtype=np.uint8).tobytes()).decode()

    def b64_file(path: str) -> str:
        try:
            with open(path, "rb") as f:
                return base64.b64encode(f.read()).decode()
        except OSError as e:
            raise TorchError(f"display: cannot read {path} ({e.strerror})") from None

    return {"display_b64_tensor": b64_tensor, "display_b64_file": b64_file}

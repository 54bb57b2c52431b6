"""Lua arguments as Python values: sizes, numbers (lua_tonumber's rules), nested tables."""

from __future__ import annotations

from typing import Any

import numpy as np
from lupa import luajit21

from ...tensor.core import Storage, TorchError

lua_type = luajit21.lua_type


def is_table(v: Any) -> bool:
    return lua_type(v) == "table"


def _sz(size: tuple[int, ...]) -> str:
    return "x".join(str(s) for s in size)


def pynum(v: Any) -> float | int:
    """numpy scalars must leave as Python numbers (they would arrive in Lua as userdata)."""
    if isinstance(v, np.floating):
        return float(v)
    if isinstance(v, (np.integer, np.bool_)):
        return int(v)
    return v


class ArgumentsMixin:
    """Reading Lua arguments: sizes, numbers, nested tables of numbers."""

    def sizes_from(self, args: tuple, fname: str) -> tuple[int, ...]:
        """Sizes given as numbers, a LongStorage or a table of numbers."""
        if len(args) == 1 and isinstance(args[0], Storage):
            return tuple(int(x) for x in args[0].data)
        if len(args) == 1 and is_table(args[0]):
            return tuple(int(args[0][i]) for i in range(1, len(args[0]) + 1))
        out = []
        for i, a in enumerate(args):
            if type(a) not in (int, float):
                raise TorchError(f"bad argument #{i + 1} to '{fname}' (number expected)")
            out.append(int(a))
        return tuple(out)

    def lua_number(self, v: Any) -> float | int | None:
        """v as lua_tonumber reads it (numeric strings such as '2.5' or '0x10' included:
        Torch's table constructors accept what CSV readers produce), None if not a number."""
        if type(v) is int or type(v) is float:
            return v
        if type(v) is str or type(v) is bytes:
            if self._tonumber is None:
                self._tonumber = self.lua.eval("tonumber")
            return self._tonumber(v)
        return None

    def _is_neg_zero(self, t: Any, i: int) -> bool:
        f = getattr(self, "_neg_zero_fn", None)
        if f is None:
            f = self._neg_zero_fn = self.lua.eval(
                "function(t, i) local v = tonumber(t[i]) return v == 0 and 1 / v < 0 end"
            )
        return bool(f(t, i))

    def table_values(self, tbl: Any) -> tuple[np.ndarray, tuple[int, ...]]:
        """A nested Lua table of numbers as a flat float64 array and its shape."""
        # Torch7's constructor: the sizes follow the first elements down; then every table on
        # the way must have its level's size and the last level numbers only
        shape: list[int] = []
        node = tbl
        while is_table(node) and len(node) > 0:
            shape.append(len(node))
            node = node[1]
        flat: list[float] = []
        last = len(shape) - 1

        def walk(t: Any, depth: int) -> None:
            if not is_table(t):
                raise TorchError("invalid tensor definition")
            if len(t) != shape[depth]:
                raise TorchError("invalid tensor sizes")
            for i in range(1, shape[depth] + 1):
                v = t[i]
                if depth < last:
                    walk(v, depth + 1)
                    continue
                x = self.lua_number(v)
                if x is None:
                    raise TorchError("invalid element (not a number)")
                if x == 0 and type(x) is int and self._is_neg_zero(t, i):
                    x = -0.0  # lupa hands an integral double over as an int: -0 became 0
                flat.append(x)

        if shape:
            walk(tbl, 0)
        if not flat:
            return np.empty(0), ()
        return np.array(flat, dtype=np.float64), tuple(shape)

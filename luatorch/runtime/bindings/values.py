"""Tensor values from Lua: fill, copy, conversion, printing, element access and indexing."""

from __future__ import annotations

from typing import Any

from lupa import luajit21

from ...tensor import math as tmath
from ...tensor import printing
from ...tensor.core import (
    Storage,
    Tensor,
    TorchError,
    canonical_type,
    cast_copy,
    new_tensor,
    same_type,
)
from ...tensor.dispatch import _REAL_WORDS, REGISTRY, describe_args
from ...tensor.indexing import masked_copy, masked_fill, masked_select
from .arguments import is_table, pynum


def _tolist(v: Any) -> Any:
    return v


def _lua_type(v: Any) -> str:
    """type(v) as Lua names it, for a value that came from Lua."""
    if v is None:
        return "nil"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, (str, bytes)):
        return "string"
    if isinstance(v, (Tensor, Storage)):
        return "userdata"
    return luajit21.lua_type(v) or "userdata"


_INTEGRAL = frozenset(("Byte", "Char", "Short", "Int", "Long"))
_DIGITS = "0123456789abcdef"


def strtol(text: str | bytes) -> int:
    """C's strtol(text, NULL, 0): the integer at the start of text (0x: hexadecimal, a leading
    0: octal), 0 when there is none. Torch reads a string given as an integer tensor's value so
    (luaG_checkreal)."""
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    s = text.lstrip(" \t\n\v\f\r")
    sign = -1 if s[:1] == "-" else 1
    if s[:1] in ("+", "-"):
        s = s[1:]
    base = 10
    if s[:2] in ("0x", "0X") and s[2:3].lower() in tuple(_DIGITS):
        base, s = 16, s[2:]
    elif s[:1] == "0":
        base = 8
    digits = ""
    for c in s:
        if c.lower() not in _DIGITS[:base]:
            break
        digits += c
    return sign * int(digits, base) if digits else 0


class ValuesMixin:
    """Values: fill, zero, copy, conversion, printing, element access and indexing, max/min along a
    dimension.
    """

    def l_fill(self, t: Tensor, v: Any) -> Any:
        if type(v) not in (int, float):
            n = self.lua_number(v)  # (cwrap's number: a numeric string is one)
            if n is None:
                raise TorchError(
                    f"invalid arguments: {describe_args((t, v))} \nexpected arguments: "
                    f"*{t.ttype}Tensor* {_REAL_WORDS.get(t.ttype, 'number')}"
                )
            v = n
        return self.wrap(tmath.fill(t, v))

    def l_zero(self, t: Tensor) -> Any:
        return self.wrap(tmath.zero(t))

    def l_copy(self, t: Tensor, src: Any) -> Any:
        if not isinstance(src, Tensor):
            raise TorchError("bad argument #2 to 'copy' (torch.*Tensor expected)")
        return self.wrap(tmath.copy(t, src))

    def l_totable(self, t: Tensor) -> Any:
        return self.lua.table_from(_tolist(t.arr.tolist()) if t.size else [], recursive=True)

    def l_tostring(self, t: Tensor) -> str:
        return printing.format_tensor(t.arr if t.size else None, t.typename)

    def l_storage_tostring(self, s: Storage) -> str:
        return printing.format_storage(s.data, s.typename)

    def l_convert(self, t: Tensor, ttype: str) -> Any:
        ttype = canonical_type(ttype)
        if same_type(t.ttype, ttype):
            return self.wrap(t)
        if not t.size:
            return self.wrap(Tensor(ttype))
        out = new_tensor(ttype, t.size)
        cast_copy(out.arr, t.arr)
        return self.wrap(out)

    def l_index_number(self, t: Tensor, i: Any) -> Any:
        size = t.size
        if not size:
            raise TorchError("bad argument #1 to '?' (empty tensor)")
        i = int(i)
        n = size[0]
        if i < 0:
            i += n + 1
        if not 1 <= i <= n:
            raise TorchError("bad argument #2 to '?' (out of range)")
        if len(size) == 1:
            return pynum(t.storage.data[t.offset + (i - 1) * t.stride[0]])
        return self.wrap(t.select(0, i - 1))

    def _checkreal(self, ttype: str, v: Any) -> float | int | None:
        """luaG_checkreal: an integer type reads any string with strtol, the others a numeric
        string as Lua does; None for what it rejects."""
        if type(v) is int or type(v) is float:
            return v
        if ttype in _INTEGRAL and (type(v) is str or type(v) is bytes):
            return strtol(v)
        return self.lua_number(v)

    def l_newindex_number(self, t: Tensor, i: Any, v: Any) -> None:
        size = t.size
        if not size:
            raise TorchError("bad argument #1 to '?' (empty tensor)")
        i = int(i)
        n = size[0]
        if i < 0:
            i += n + 1
        if not 1 <= i <= n:
            raise TorchError("bad argument #2 to '?' (out of range)")
        tv = type(v)
        got = _lua_type(v)
        if tv is not float and tv is not int and tv is not Tensor:
            if self.lua_number(v) is not None:  # lua_isnumber: numeric strings are numbers
                # (a vector's element is read by luaG_checkreal, a slice's fill by tonumber)
                v = self._checkreal(t.ttype, v) if len(size) == 1 else self.lua_number(v)
            tv = type(v)
        if tv is float or tv is int:
            if len(size) == 1:
                t.storage.data[t.offset + (i - 1) * t.stride[0]] = tmath.real(t.ttype, v)
            else:
                tmath.fill(t.select(0, i - 1), v)
        elif tv is Tensor:
            tmath.copy(t.narrow(0, i - 1, 1), v)
        else:
            raise TorchError(f"bad argument #3 to '?' (torch.*Tensor expected, got {got})")

    def _walk_key(self, t: Tensor, key: Any, fname: str) -> tuple[Tensor, int | None]:
        """Torch's table index: numbers select (a number on a 1-D view ends the walk at that
        element), ``{a, b}``/``{a}``/``{}`` narrow. Returns the view and, when the walk ended on
        one element, its storage position."""
        nd = t.dim()
        n = len(key)
        if n > nd:
            raise TorchError(f"bad argument #2 to '{fname}' (too many indices provided)")
        v = t
        cdim = 0
        for k in range(1, nd + 1):
            e = key[k]
            te = type(e)
            if te is int or te is float:
                size = v.size[cdim]
                z = int(e) - 1
                if z < 0:
                    z += size + 1
                if not 0 <= z < size:
                    raise TorchError(f"bad argument #2 to '{fname}' (index out of bound)")
                if v.dim() == 1:
                    return v, v.offset + z * v.stride[0]
                v = v.select(cdim, z)
            elif is_table(e):
                size = v.size[cdim]
                start, end = 0, size - 1
                a = e[1]
                if type(a) in (int, float):
                    start = int(a) - 1
                    end = start
                if start < 0:
                    start += size + 1
                if not 0 <= start < size:
                    raise TorchError(f"bad argument #2 to '{fname}' (start index out of bound)")
                b = e[2]
                if type(b) in (int, float):
                    end = int(b) - 1
                if end < 0:
                    end += size + 1
                if not 0 <= end < size:
                    raise TorchError(f"bad argument #2 to '{fname}' (end index out of bound)")
                if end < start:
                    raise TorchError(
                        f"bad argument #2 to '{fname}' (end index must be greater "
                        "or equal to start index)"
                    )
                v = v.narrow(cdim, start, end - start + 1)
                cdim += 1
            else:
                break
        return v, None

    def _storage_key(self, t: Tensor, key: Storage, fname: str) -> int:
        idx = [int(x) for x in key.data]
        if len(idx) != t.dim():
            raise TorchError(f"bad argument #2 to '{fname}' (invalid size)")
        pos = t.offset
        for d, z in enumerate(idx):
            z -= 1
            if z < 0:
                z += t.size[d] + 1
            if not 0 <= z < t.size[d]:
                raise TorchError(f"bad argument #2 to '{fname}' (index out of bound)")
            pos += z * t.stride[d]
        return pos

    def l_index_table(self, t: Tensor, key: Any) -> Any:
        if isinstance(key, Tensor):
            if key.ttype != "Byte":
                raise TorchError("bad argument #2 to '?' (torch.ByteTensor expected)")
            return self.wrap(masked_select(new_tensor(t.ttype), t, key))
        if isinstance(key, Storage):
            if key.ttype != "Long":
                raise TorchError("bad argument #2 to '?' (torch.LongStorage expected)")
            return pynum(t.storage.data[self._storage_key(t, key, "?")])
        if not is_table(key):
            raise TorchError("bad argument #2 to '?' (number or table expected)")
        v, pos = self._walk_key(t, key, "?")
        if pos is not None:
            return pynum(t.storage.data[pos])
        if v is t:
            # Torch7 answers with a new tensor even when nothing narrowed (x[{}] ~= x)
            v = Tensor(t.ttype, t.storage, t.offset, tuple(t.size), tuple(t.stride))
        return self.wrap(v)

    def l_newindex_table(self, t: Tensor, key: Any, value: Any) -> None:
        # Tensor.c's __newindex__: the key first, the value as each kind of key reads it
        got = _lua_type(value)
        real = self._checkreal(t.ttype, value)  # what luaG_checkreal reads
        if type(value) not in (int, float, Tensor):
            num = self.lua_number(value)  # lua_isnumber: numeric strings are numbers
            if num is not None:
                value = num
        tv = type(value)
        isnum = tv is int or tv is float
        if isinstance(key, Tensor):
            if key.ttype != "Byte":
                raise TorchError("bad argument #2 to '?' (torch.ByteTensor expected)")
            if isnum:
                masked_fill(t, key, real)
            elif tv is Tensor and value.ttype == t.ttype:
                masked_copy(t, key, value)
            else:
                raise TorchError(f"number or {t.typename} expected")
            return
        if isinstance(key, Storage):
            if real is None:
                raise TorchError(f"bad argument #3 to '?' (number expected, got {got})")
            pos = self._storage_key(t, key, "?")
            t.storage.data[pos] = tmath.real(t.ttype, real)
            return
        if not is_table(key):
            raise TorchError("bad argument #2 to '?' (number or table expected)")
        v, pos = self._walk_key(t, key, "?")
        if pos is not None:
            if real is None:
                raise TorchError(f"bad argument #3 to '?' (number expected, got {got})")
            t.storage.data[pos] = tmath.real(t.ttype, real)
            return
        if isnum:
            tmath.fill(v, value)
        elif tv is Tensor:
            tmath.copy(v, value)
        else:
            raise TorchError(f"bad argument #3 to '?' (torch.*Tensor expected, got {got})")

    def l_max_dim(self, name: str, *args: Any) -> Any:
        """max/min along a dimension: (values, indices) with optional result tensors."""
        return self.wrap(REGISTRY[name].call_function(args))

"""Tensor values from Lua: fill, copy, conversion, printing, element access and indexing."""

from __future__ import annotations

from typing import Any

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
from ...tensor.dispatch import REGISTRY
from ...tensor.indexing import masked_copy, masked_fill, masked_select
from .arguments import is_table, pynum


def _tolist(v: Any) -> Any:
    return v


class ValuesMixin:
    """Values: fill, zero, copy, conversion, printing, element access and indexing, max/min along a
    dimension.
    """

    def l_fill(self, t: Tensor, v: Any) -> Any:
        if type(v) not in (int, float):
            raise TorchError("bad argument #2 to 'fill' (number expected)")
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
        if tv is float or tv is int:
            if len(size) == 1:
                t.storage.data[t.offset + (i - 1) * t.stride[0]] = tmath.real(t.ttype, v)
            else:
                tmath.fill(t.select(0, i - 1), v)
        elif tv is Tensor:
            tmath.copy(t.narrow(0, i - 1, 1), v)
        else:
            raise TorchError("bad argument #3 to '?' (number or tensor expected)")

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
        tv = type(value)
        isnum = tv is int or tv is float
        if not isnum and tv is not Tensor:
            raise TorchError("bad argument #3 to '?' (number or tensor expected)")
        if isinstance(key, Tensor):
            if key.ttype != "Byte":
                raise TorchError("bad argument #2 to '?' (torch.ByteTensor expected)")
            if isnum:
                masked_fill(t, key, value)
            else:
                masked_copy(t, key, value)
            return
        if isinstance(key, Storage):
            pos = self._storage_key(t, key, "?")
            if not isnum:
                raise TorchError("bad argument #3 to '?' (number expected)")
            t.storage.data[pos] = tmath.real(t.ttype, value)
            return
        if not is_table(key):
            raise TorchError("bad argument #2 to '?' (number or table expected)")
        v, pos = self._walk_key(t, key, "?")
        if pos is not None:
            if isnum:
                t.storage.data[pos] = tmath.real(t.ttype, value)
            else:
                tmath.copy(Tensor(t.ttype, t.storage, pos, (1,), (1,)), value)
            return
        if isnum:
            tmath.fill(v, value)
        else:
            tmath.copy(v, value)

    def l_max_dim(self, name: str, *args: Any) -> Any:
        """max/min along a dimension: (values, indices) with optional result tensors."""
        return self.wrap(REGISTRY[name].call_function(args))

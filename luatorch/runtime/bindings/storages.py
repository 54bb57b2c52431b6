"""Storage methods from Lua."""

from __future__ import annotations

from typing import Any

from ...tensor import math as tmath
from ...tensor.core import Storage, TorchError, canonical_type, cast_copy
from ..errors import lua_type_name
from .arguments import pynum


class StorageMixin:
    """Storage methods: size, element get/set, resize, fill, copy, totable, conversion."""

    def l_storage_size(self, s: Storage) -> int:
        return s.size()

    def l_storage_get(self, s: Storage, i: Any) -> Any:
        i = int(i)
        if not 1 <= i <= s.size():
            # (Torch7's Storage.c; its __index reaches it through C: '?', no line)
            raise TorchError("bad argument #2 to '?' (out of bounds)")
        return pynum(s.data[i - 1])

    def l_storage_set(self, s: Storage, i: Any, v: Any) -> None:
        i = int(i)
        if not 1 <= i <= s.size():
            raise TorchError("bad argument #2 to '?' (out of bounds)")
        if type(v) not in (int, float):
            n = self._checkreal(s.ttype, v)  # (luaG_checkreal: strtol or tonumber)
            if n is None:
                got = "no value" if v is None else lua_type_name(type(v).__name__)
                raise TorchError(f"bad argument #3 to '?' (number expected, got {got})")
            v = n
        s.data[i - 1] = tmath.real(s.ttype, v)

    def l_storage_resize(self, s: Storage, n: Any = None, *_extra: Any) -> Any:
        # Torch ignores arguments after the size
        if type(n) not in (int, float):
            raise TorchError("bad argument #1 to 'resize' (number expected)")
        s.resize(int(n))
        return self.wrap(s)

    def l_storage_fill(self, s: Storage, v: Any) -> Any:
        s.data[:] = tmath.real(s.ttype, v)
        return self.wrap(s)

    def l_storage_copy(self, s: Storage, src: Any) -> Any:
        data = src.data if isinstance(src, Storage) else src.arr.reshape(-1)
        if data.shape[0] != s.size():
            raise TorchError("size mismatch")
        cast_copy(s.data, data)
        return self.wrap(s)

    def l_storage_totable(self, s: Storage) -> Any:
        return self.lua.table_from(s.data.tolist())

    def l_storage_convert(self, s: Storage, ttype: str) -> Any:
        ttype = canonical_type(ttype)
        out = Storage(ttype, size=s.size())
        cast_copy(out.data, s.data)
        return self.wrap(out)

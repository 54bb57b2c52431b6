"""Runtime-wide settings and clocks."""

from __future__ import annotations

import time
from typing import Any

from ...tensor.core import Storage, Tensor, TorchError
from ..errors import lua_type_name


class SettingsMixin:
    """Runtime-wide settings and clocks: typename, default tensor type, thread count, timers."""

    def l_typename_of(self, v: Any) -> Any:
        if isinstance(v, (Tensor, Storage)):
            return v.typename
        return None

    def l_set_default_type(self, ttype: str) -> None:
        self.default_type = ttype

    def l_set_num_threads(self, n: Any) -> None:
        from ...tensor import threadpool

        if type(n) not in (int, float):
            got = "no value" if n is None else lua_type_name(type(n).__name__)
            raise TorchError(f"bad argument #1 to 'setnumthreads' (number expected, got {got})")
        self.num_threads = max(1, int(n))
        threadpool.use_num_threads(self.num_threads)

    def l_get_num_threads(self) -> int:
        from ...tensor import threadpool

        return self.num_threads if self.num_threads is not None else threadpool.get_num_threads()

    def l_blas_ffi(self) -> tuple[str, int] | None:
        """The BLAS library and the mutex LuaJIT's FFI calls share with Python (tensor/blas.py's
        ffi_binding; None: Lua leaves BLAS to Python)."""
        from ...tensor import blas

        return blas.ffi_binding()

    def l_wall_time(self) -> float:
        return time.perf_counter()

    def l_real_time(self) -> float:
        """gettimeofday as TH reads it: seconds since the epoch, to the microsecond."""
        sec, usec = divmod(time.time_ns() // 1000, 1_000_000)
        return sec + usec / 1000000.0

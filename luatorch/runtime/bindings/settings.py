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

    def l_native_pool(self) -> tuple[int, int, int]:
        """(the native pool's address, pool_run's address, elements from which a split uses the
        worker, started now) for Lua's large element-wise calls (torch/apply.lua); zeros:
        not available here (tensor/native.py)."""
        from ...tensor import native

        c = native.code()
        if c is None:
            return 0, 0, 0
        c.start_worker()
        return c.pool_at, c.at["pool_run"], 2 * native.SPLIT_MIN

    def l_native_exp(self) -> tuple[int, int]:
        """(vexp's constants, the C library's exp) for the exp jobs Lua posts on the native
        pool (torch/apply.lua); zeros: vexp is not used here (tensor/vexp.py)."""
        from ...tensor import vexp

        return vexp.lua_job() or (0, 0)

    def l_vexp_fn(self) -> tuple[int, int, int, int]:
        """(vexp's address, its constants' address, the C library's exp address, vsigmoid's
        address) for Lua's own calls of the vectorised exp and sigmoid (nn/kernels.lua's
        Sigmoid and LogSoftMax); zeros: not available here (tensor/vexp.py: loaded and
        checked against the C library on the first call)."""
        from ...tensor import native, vexp

        job = vexp.lua_job()
        c = native.code()
        if job is None or c is None:
            return 0, 0, 0, 0
        return c.at["vexp"], job[0], job[1], c.at["vsigmoid"]

    def l_vtanh_fn(self) -> tuple[int, int]:
        """(vtanh's address, the C library's tanh address) for Lua's own calls of the
        vectorised tanh and its pool jobs (nn/kernels.lua's Tanh, torch/apply.lua's x:tanh());
        zeros: not available here (tensor/vtanh.py: loaded and checked against the C library
        on the first call)."""
        from ...tensor import vtanh

        return vtanh.lua_fn() or (0, 0)

    def l_wall_time(self) -> float:
        return time.perf_counter()

    def l_real_time(self) -> float:
        """gettimeofday as TH reads it: seconds since the epoch, to the microsecond."""
        sec, usec = divmod(time.time_ns() // 1000, 1_000_000)
        return sec + usec / 1000000.0

"""tanh over double arrays with the C library's bits, four elements an instruction.

TH's Tanh (nn's Tanh_updateOutput, x:tanh(), torch.tanh) calls the C library's ``tanh`` once
per element: glibc's is fdlibm's tanh over its expm1, 12-20 ns an element here. Both are plain
IEEE double operations, so doing them four lanes at a time gives the same bits:
scripts/native/vtanh.c does that with AVX2 and FMA, the multiply-adds fused exactly where
glibc's FMA build of expm1 (the one its ifunc picks on such a CPU) fuses them. Groups of four
holding an infinity or a NaN, and the last elements short of four, go to the C library's tanh.

The machine code (native.py) is used only after it has given the same bits as this process's
C library on a sample that tells glibc's FMA build from its plain one and visits every branch
(another libm, an older glibc or the build without FMA then keep the element-by-element
path). LUATORCH_VTANH=0 turns it off.
"""

from __future__ import annotations

import ctypes
import threading
from typing import Any

import numpy as np

from . import native

# inputs on which tanh over expm1 built without FMA rounds differently from its FMA build
# (both forms of vtanh.c over 2e6 uniform draws in each of a few ranges)
_TELLING = (
    "0x1.311d6de364103p-3 -0x1.24b465934f86bp-3 -0x1.e70cca445c861p-4 -0x1.dbe0904cf037ep-5 "
    "-0x1.2e4b5f6d0d6a4p-3 -0x1.021fcaad2d82cp-3 0x1.0e1e23e1092e2p-1 -0x1.939378d058d78p-3 "
    "0x1.1e98084f919c6p-1 0x1.b31606778e5b4p-1 -0x1.884c02bb5a015p+0 0x1.c6ce7c441c558p-1 "
    "-0x1.01b51aaba31c0p-1 0x1.d3db0409e0ae0p-1 0x1.192d8619db2b7p+0 0x1.419f47c7e406bp+0 "
    "0x1.81bd263f38b89p+0 0x1.ec99ffb4eb35fp+0 0x1.a399be4998cc1p+1 -0x1.7f6b94754513p+1 "
    "-0x1.2bf40ba4b37dp+1 -0x1.9eeea51c41e1p+0"
)

_lock = threading.Lock()
_state: Any = None  # None: not tried yet; False: unavailable; else _Kernel


def edges() -> np.ndarray:
    """Each branch's boundaries in glibc's tanh and expm1 and a few ulps either side: its
    thresholds on the high word of |x| (2^-55, 1, 22, inf) and of expm1's argument 2|x|
    (about ln2 / 2, 1.5 ln2, 56 ln2) and where expm1's k changes ((k +- 1/2) ln2, k to 64),
    both signs."""
    ln2 = 0.6931471805599453
    words = [0x3C800000, 0x3FF00000, 0x40360000, 0x7FF00000]
    halves = [0x3FD62E43, 0x3FF0A2B2, 0x4043687A]  # expm1's, on 2|x|
    points = [float(np.uint64(w << 32).view(np.float64)) for w in words]
    points += [float(np.uint64(w << 32).view(np.float64)) / 2 for w in halves]
    points += [abs(k + h) * ln2 / 2 for k in range(-4, 65) for h in (-0.5, 0.5)]
    out = []
    for p in points:
        lo = hi = p
        out.append(p)
        for _ in range(4):
            lo, hi = np.nextafter(lo, 0.0), np.nextafter(hi, np.inf)
            out += [lo, hi]
    x = np.array(out)
    return np.concatenate([x, -x])


class _Kernel:
    def __init__(self, code: Any) -> None:
        from .blas import _library

        libm = ctypes.CDLL(_library("m", "libm.so.6") or "libm.so.6")
        self.code = code
        self.fn = code.at["vtanh"]
        self.c_tanh = ctypes.cast(libm.tanh, ctypes.c_void_p).value
        vp, lg = ctypes.c_void_p, ctypes.c_long
        self.call = ctypes.CFUNCTYPE(None, lg, vp, vp, vp, vp)(self.fn)

    def run(self, n: int, dst: int, src: int) -> None:
        self.call(n, dst, src, None, self.c_tanh)

    def agrees(self) -> bool:
        """Same bits as the C library's tanh on inputs that tell its builds apart, on every
        branch's boundaries, on a spread of ordinary inputs and on the special cases."""

        spread = native.spread
        x = np.concatenate([
            np.array([float.fromhex(v) for v in _TELLING.split()]), edges(),
            spread(-0.2, 0.2, 2048), spread(-3.0, 3.0, 4096), spread(-25.0, 25.0, 1024),
            spread(-1e-16, 1e-16, 64),
            np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 5e-324, -5e-324, 2.2250738585072014e-308,
                      1e308, -1e308, 0.5, -0.5, 1e-300]),
        ])  # fmt: skip
        return native.same_as_c(self.run, self.c_tanh, x)


def _kernel() -> _Kernel | None:
    global _state
    if _state is None:
        with _lock:
            if _state is None:  # assigned once: other threads read _state without the lock
                _state = native.load_checked("LUATORCH_VTANH", "vtanh", _Kernel)
    return _state or None


def available() -> bool:
    """Whether the vectorised tanh runs in this process (loaded and checked on first call)."""
    return _kernel() is not None


def tanh_into(src: np.ndarray, dst: np.ndarray) -> bool:
    """dst = tanh(src) with the C library's bits, src and dst float64 C-contiguous of one
    shape (the same array or apart); split over two threads when large (native.py). False
    (nothing done) when the kernel is not available."""
    k = _kernel()
    if k is None:
        return False
    job = native.Job(native.KINDS["tanh_d"], 0, 0, dst.ctypes.data, src.ctypes.data, None,
                     None, k.c_tanh)  # fmt: skip
    return native.run(job, src.size)


def lua_fn() -> tuple[int, int] | None:
    """(vtanh's address, the C library's tanh address) for Lua's own calls and pool jobs, or
    None when the kernel is not available."""
    k = _kernel()
    return None if k is None else (k.fn, k.c_tanh)

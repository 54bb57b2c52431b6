"""exp over large double arrays with the C library's bits, four elements an instruction.

TH computes a DoubleTensor's exp by calling the C library's ``exp`` per element: about 4.5 ns
an element here, where PyTorch's vectorised exp takes 1.7 (and rounds differently). glibc's
exp (2.28 on) is a table-driven algorithm in plain IEEE double operations, so the same
operations done four lanes at a time give the same bits: scripts/native/vexp.c does that with
AVX2 and FMA, the multiply-adds fused exactly where glibc's FMA build fuses them; inputs off
its main path (|x| < 2^-54, |x| >= 512, inf, nan) are handed to the C library's exp itself.
Measured on the 2-core AMD EPYC guest, 1e6 doubles on one thread: 0.79 ms against the
C library's 4.2-4.5 ms and PyTorch's 1.61 ms (minimums, one process).

The function is machine code (native.py), used only where it can be checked: after it has
given the same bits as this process's C library on a sample that tells glibc's FMA build from
its plain one (another libm, an older glibc or the build without FMA then keep the
element-by-element path). Large arrays are split with native.py's worker thread.
LUATORCH_VEXP=0 turns it off.
"""

from __future__ import annotations

import ctypes
import math
import struct
import threading
from typing import Any

import numpy as np

from . import native

# invln2N, negln2hiN, negln2loN, the polynomial's C2..C5, shift: glibc's __exp_data (from Arm's
# optimized-routines) for a 128-entry table and a degree-5 polynomial, as bits
_CONSTS = (
    0x40671547652B82FE, 0xBF762E42FEFA0000, 0xBD0CF79ABC9E3B3A, 0x3FDFFFFFFFFFFDBD,
    0x3FC555555555543C, 0x3FA55555CF172B91, 0x3F81111167A4D017, 0x4338000000000000,
)  # fmt: skip

# inputs on which glibc's exp built without FMA rounds differently from its FMA build (found
# by running both forms of the algorithm over 2e6 uniform draws in [-20, 20])
_TELLING = (
    "-0x1.8d643bda8a71cp+3 0x1.f9ce2edd13488p+2 0x1.1a261e1d28674p+4 0x1.25592e153373cp+4 "
    "0x1.2deef64969872p+4 -0x1.a88038a9bc380p+2 0x1.16df51f153814p+4 0x1.2301641e7aaa8p+2 "
    "0x1.b2d275e78e5d0p+3 -0x1.c14455a68f13ap+3 -0x1.ce14bd41489aap+3 0x1.f5b9436757f00p+2 "
    "0x1.8cb678ffbeaa8p+3 -0x1.1a7f7b7e68f0cp+4 -0x1.9006607439594p+3 -0x1.95a3eba3ab52cp+2 "
    "0x1.1a21ffc674300p+3 0x1.4931e7c035da0p+0 0x1.1f892356f044cp+2 -0x1.63abbb577a297p+3 "
    "0x1.2a51c8d3ef7c2p+3 0x1.7ae966c0dd4d0p+3 0x1.b1f38941ba310p+3 0x1.4bcce16a52054p+3"
)

_lock = threading.Lock()
_state: Any = None  # None: not tried yet; False: unavailable; else _Kernel


def _bits(x: float) -> int:
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def _root(k: int, bits: int) -> int:
    """floor(2^(k/128) * 2^bits): seven integer square roots of 2^(k + 128 bits), each exact
    (floor(sqrt(floor(y))) is floor(sqrt(y))); 36 ms for the table where Newton's method on
    the 128th root took 560 (both once per process, at the first exp that uses the table)."""
    x = 1 << (k + 128 * bits)
    for _ in range(7):
        x = math.isqrt(x)
    return x


def table() -> np.ndarray:
    """The 256 words of glibc's table: for k < 128, the tail t_k and the bits of h_k minus
    k << 45, where h_k is 2^(k/128) rounded to double and t_k = (2^(k/128) - h_k) / h_k
    rounded (the same words as glibc's, computed here from their definition: 2^(k/128) to 200
    bits, then Python's correctly rounded integer divisions)."""
    bits = 200
    words = []
    for k in range(128):
        exact = _root(k, bits)
        h = exact / (1 << bits)
        num, den = h.as_integer_ratio()
        tail = (exact * den - (num << bits)) / (num << bits)
        words += [_bits(tail), _bits(h) - (k << 45)]
    return np.array(words, dtype=np.uint64)


class _Kernel:
    def __init__(self, code: Any) -> None:
        from .blas import _library

        libm = ctypes.CDLL(_library("m", "libm.so.6") or "libm.so.6")
        self.code = code
        self.c_exp = ctypes.cast(libm.exp, ctypes.c_void_p).value
        self.consts = np.concatenate([np.array(_CONSTS, dtype=np.uint64), table()])
        self.consts_at = self.consts.ctypes.data

    def run(self, n: int, dst: int, src: int) -> None:
        self.code.vexp(n, dst, src, self.consts_at, self.c_exp)

    def agrees(self) -> bool:
        """Same bits as the C library's exp on inputs that tell its builds apart, on a spread
        of ordinary ones and on the special cases."""

        spread = native.spread
        x = np.concatenate([
            np.array([float.fromhex(v) for v in _TELLING.split()]),
            spread(-20.0, 20.0, 4096), spread(-745.5, 710.0, 1024),
            spread(0.0, 1.0, 1024), spread(-1e-16, 1e-16, 64),
            np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 5e-324, -5e-324, 2.0**-54,
                      -(2.0**-54), 2.0**-55, 512.0, -512.0, 511.99999, 709.78, 709.79,
                      -708.4, -745.1, -745.2, 1e308, -1e308]),
        ])  # fmt: skip
        return native.same_as_c(self.run, self.c_exp, x)


def _kernel() -> _Kernel | None:
    global _state
    if _state is None:
        with _lock:
            if _state is None:  # assigned once: other threads read _state without the lock
                _state = native.load_checked("LUATORCH_VEXP", "vexp", _Kernel)
    return _state or None


def available() -> bool:
    """Whether the vectorised exp runs in this process (loaded and checked on first call)."""
    return _kernel() is not None


def exp_into(src: np.ndarray, dst: np.ndarray) -> bool:
    """dst = exp(src) with the C library's bits, src and dst float64 C-contiguous of one shape
    (the same array or apart); split over two threads when large (native.py). False (nothing
    done) when the kernel is not available."""
    k = _kernel()
    if k is None:
        return False
    job = native.Job(native.KINDS["exp_d"], 0, 0, dst.ctypes.data, src.ctypes.data, None,
                     k.consts_at, k.c_exp)  # fmt: skip
    return native.run(job, src.size)


def sigmoid_into(src: np.ndarray, dst: np.ndarray) -> bool:
    """dst = 1 / (1 + exp(-src)) (TH_sigmoid) with the C library's exp, as exp_into takes its
    arrays (vsigmoid in scripts/native/vexp.c). False (nothing done) when not available."""
    k = _kernel()
    if k is None:
        return False
    job = native.Job(native.KINDS["sigmoid_d"], 0, 0, dst.ctypes.data, src.ctypes.data, None,
                     k.consts_at, k.c_exp)  # fmt: skip
    return native.run(job, src.size)


def lua_job() -> tuple[int, int] | None:
    """(constants address, the C library's exp address) for a job Lua posts itself, or None
    when the kernel is not available."""
    k = _kernel()
    return None if k is None else (k.consts_at, k.c_exp)

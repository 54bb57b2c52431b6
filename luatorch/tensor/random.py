"""Torch7's default random generator (``THRandom.c``), bit for bit, on Python's MT19937.

The engine is the standard 32-bit Mersenne Twister. ``manual_seed(s)`` runs ``init_genrand`` on
``s & 0xffffffff``; the engine (``_MT19937``: Python's own ``random.Random``, whose state is set
word for word) then yields exactly Torch's tempered words ``w``.
Every distribution is built from those words as in Torch7:

* ``u = w * 2**-32`` (one word per double, never numpy's 53-bit doubles);
* ``uniform(a, b) = u * (b - a) + a``;
* ``normal`` is Box-Muller with a one-value cache: with the cache empty draw ``x = u``, ``y = u``,
  ``rho = sqrt(-2 log(1 - y))``, keep ``(x, y, rho)`` and return ``rho cos(2 pi x) std + mean``;
  with the cache full empty it and return ``rho sin(2 pi x) std + mean``;
* ``exponential(l) = (-1 / l) log(1 - u)``, ``cauchy(m, s) = m + s tan(pi (u - 0.5))``,
  ``geometric(p) = (int)(log(1 - u) / log(p)) + 1``, ``bernoulli(p) = [u <= p]``,
  ``log_normal(m, s) = exp(normal(log(m^2 / sqrt(s^2 + m^2)), sqrt(log(s^2 / m^2 + 1))))``.

Bit-exactness: products, sums, quotients and ``sqrt`` are correctly rounded IEEE operations, so
numpy computes them exactly as C does (same operation order, no fused multiply-add). The
transcendental functions are not: numpy's SIMD ``log``/``exp``/``tan`` differ from the C library
by one ulp on 0.35% / 4.6% / 0.5% of inputs here. ``log``, ``exp`` and ``tan`` therefore go
through Python's ``math`` (the C library), mapped over the array; ``cos``/``sin`` use numpy only
once a self-check shows that numpy's are the C library's (see ``_np_trig_is_libm``).

Errors are raised as ``ValueError`` carrying Torch's message.
"""

from __future__ import annotations

import math
import os
import random as _pyrandom
import struct
import threading
import time
from dataclasses import dataclass

import numpy as np

from . import libm
from .core import TorchError

__all__ = ["STATE_SIZE", "Generator", "GeneratorState", "default_generator"]

_N = 624  # MT19937 state words
_MASK32 = 0xFFFFFFFF
_MASK64 = 0xFFFFFFFFFFFFFFFF
_TWO_M32 = 1.0 / 4294967296.0  # 2**-32, exact
_TWO_PI = 2.0 * math.pi  # C folds ``2.*M_PI*x`` to ``(2*M_PI) * x``: the same double
_EXP_MAX = 709.782712893384  # math.exp(x) overflows (raises) above log(DBL_MAX)
_INT_MIN = -(2**31)

# ``sizeof(THGenerator)`` on LP64: seed u64, left i32, seeded i32, next u64, state u64[624],
# normal_x/normal_y/normal_rho f64, normal_is_valid i32 (+4 bytes of padding).
_HEAD = struct.Struct("<QiiQ")
_TAIL = struct.Struct("<dddi4x")
STATE_SIZE = _HEAD.size + 8 * _N + _TAIL.size  # 5048 bytes, as torch.getRNGState():size()


class ArgCheck(TorchError, ValueError):
    """TH's THArgCheck in THRandom.c and TensorMath.lua: argument n of the C function ('?')."""

    def __init__(self, argn: int, words: str) -> None:
        super().__init__(f"bad argument #{argn} to '?' ({words})")


def _to_signed64(v: int) -> int:
    """Reinterpret ``v mod 2**64`` as a C ``long``."""
    v &= _MASK64
    return v - (1 << 64) if v >= 1 << 63 else v


def _init_genrand(seed32: int) -> np.ndarray:
    """MT19937 ``init_genrand``: ``s[0] = seed``, ``s[j] = 1812433253 (s[j-1] ^ s[j-1] >> 30) + j``.

    All arithmetic is mod 2**32.
    """
    key = [0] * _N
    s = seed32 & _MASK32
    key[0] = s
    for j in range(1, _N):
        s = (1812433253 * (s ^ (s >> 30)) + j) & _MASK32
        key[j] = s
    return np.array(key, dtype=np.uint32)


class _MT19937:
    """The raw MT19937 stream (tempered 32-bit words) of a settable state.

    Python's ``random.Random`` is this generator, in C, with its state open to ``setstate``.
    numpy's ``numpy.random.MT19937`` gives the same words (its raw draws are faster; tensor
    fills measured the same), but importing ``numpy.random`` costs 6 MB of resident memory in
    every process, OpenSSL included (through ``secrets``).
    """

    __slots__ = ("_r",)

    def __init__(self) -> None:
        self._r = _pyrandom.Random(0)

    def set(self, key: np.ndarray, pos: int) -> None:
        """State words key (624 uint32) and position pos (624: twist before the next word)."""
        self._r.setstate((3, (*key.tolist(), int(pos)), None))

    def get(self) -> tuple[np.ndarray, int]:
        words = self._r.getstate()[1]
        return np.array(words[:_N], dtype=np.uint32), int(words[_N])

    def word(self) -> int:
        return self._r.getrandbits(32)

    def words(self, n: int) -> np.ndarray:
        """n successive words as a uint32 array: one call to getrandbits(32 n) draws them in
        order, the first in the lowest bits."""
        if n <= 0:
            return np.zeros(0, dtype=np.uint32)
        return np.frombuffer(self._r.getrandbits(32 * n).to_bytes(4 * n, "little"), "<u4")

    def fill(self, out: np.ndarray, scale: float | None = None) -> np.ndarray:
        """The 1-D array out filled with the next out.size words (times scale: exact in
        float64 for a power of two), drawn a block at a time: a fill of n words then holds
        about its result alone, where drawing them at once held 8 more bytes a word."""
        for i in range(0, out.shape[0], _FILL_BLOCK):
            part = out[i : i + _FILL_BLOCK]
            if scale is None:
                np.copyto(part, self.words(part.shape[0]))
            else:
                np.multiply(self.words(part.shape[0]), scale, out=part)
        return out


_FILL_BLOCK = 1 << 16  # words per block of _MT19937.fill
# values per block of Generator.uniform_into / normal_into (an even number: normal pairs)
_DRAW_BLOCK = 1 << 13


# --- C library maths, element by element -----------------------------------------------------


def _clog(x: float) -> float:
    """C ``log``: -inf at 0, nan below 0 (Python's math raises instead)."""
    if x > 0.0 or math.isnan(x):
        return math.log(x)
    return -math.inf if x == 0.0 else math.nan


def _cexp(x: float) -> float:
    """C ``exp``: +inf on overflow (Python's math raises instead)."""
    return math.inf if x > _EXP_MAX else math.exp(x)


def _csqrt(x: float) -> float:
    """C ``sqrt``: nan below 0."""
    return math.sqrt(x) if x >= 0.0 else math.nan


def _map(fn, a: np.ndarray) -> np.ndarray:
    """Apply a scalar ``math`` function to a float64 array (the fastest exact route measured)."""
    return np.fromiter(map(fn, a.tolist()), dtype=np.float64, count=a.size)


# numpy's float64 cos/sin call the C library on this build (same results on 2e7 arguments, and
# libm's speed), unlike its SIMD log/exp/tan. That is numpy's choice, not a guarantee, so the
# fast path is taken only after numpy agrees with ``math`` on 2**15 arguments; small fills and
# any disagreement use ``math``. ``None``: not checked yet.
_NP_TRIG_IS_LIBM: bool | None = None
_NP_TRIG_MIN = 256  # fills shorter than this always use math


def _np_trig_is_libm() -> bool:
    global _NP_TRIG_IS_LIBM
    if _NP_TRIG_IS_LIBM is None:
        mt = _MT19937()
        mt.set(_init_genrand(20240601), _N)
        agree = True
        for _ in range(8):  # 2**15 arguments, 4096 at a time: little memory for a check
            t = _TWO_PI * (mt.words(1 << 12) * _TWO_M32)
            agree = agree and bool(
                np.array_equal(np.cos(t), _map(math.cos, t))
                and np.array_equal(np.sin(t), _map(math.sin, t))
            )
        _NP_TRIG_IS_LIBM = agree
    return _NP_TRIG_IS_LIBM


def _cos_array(t: np.ndarray) -> np.ndarray:
    if t.size >= _NP_TRIG_MIN and _np_trig_is_libm():
        return np.cos(t)
    return _map(math.cos, t)


def _sin_array(t: np.ndarray) -> np.ndarray:
    if t.size >= _NP_TRIG_MIN and _np_trig_is_libm():
        return np.sin(t)
    return _map(math.sin, t)


def _exp_array(a: np.ndarray) -> np.ndarray:
    if a.size and bool(np.all(a <= _EXP_MAX)):
        return _map(math.exp, a)
    return _map(_cexp, a)


def _int_trunc(r: np.ndarray) -> np.ndarray:
    """C ``(int)r`` on x86-64: truncation, and INT_MIN for anything out of range or nan."""
    ok = (r > -2147483649.0) & (r < 2147483648.0)
    out = np.full(r.shape, _INT_MIN, dtype=np.int64)
    out[ok] = np.trunc(r[ok]).astype(np.int64)
    return out


def _int_trunc1(r: float) -> int:
    return int(r) if -2147483649.0 < r < 2147483648.0 else _INT_MIN


def _check_std(std: float) -> None:
    if not std > 0:
        raise ArgCheck(2, "standard deviation must be strictly positive")


# --- saved state ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GeneratorState:
    """A snapshot of a :class:`Generator`, with the fields of Torch7's ``THGenerator``.

    ``key`` is the 624-word MT state (little-endian uint32 bytes). ``left``/``next`` follow
    THRandom.c: after ``k`` words drawn from a freshly twisted block ``next = k`` and
    ``left = 625 - k``; ``left == 1`` means the block must be twisted before the next word (right
    after seeding ``next`` is 0). ``to_bytes``/``from_bytes`` give Torch's 5048-byte layout used by
    ``torch.getRNGState()`` / ``torch.setRNGState()``.
    """

    initial_seed: int
    left: int
    next: int
    key: bytes
    normal_x: float = 0.0
    normal_y: float = 0.0
    normal_rho: float = 0.0
    normal_is_valid: bool = False

    def to_bytes(self) -> bytes:
        """The state as the bytes of a C ``THGenerator`` (x86-64 Linux)."""
        words = np.frombuffer(self.key, dtype="<u4").astype("<u8")
        return (
            _HEAD.pack(self.initial_seed & _MASK64, self.left, 1, self.next)
            + words.tobytes()
            + _TAIL.pack(self.normal_x, self.normal_y, self.normal_rho, int(self.normal_is_valid))
        )

    @classmethod
    def from_bytes(cls, data: bytes | bytearray | memoryview | np.ndarray) -> GeneratorState:
        """Parse Torch's ``THGenerator`` bytes, with ``THGenerator_isValid``'s checks."""
        if isinstance(data, np.ndarray):
            raw = np.ascontiguousarray(data, dtype=np.uint8).tobytes()
        else:
            raw = bytes(data)
        if len(raw) != STATE_SIZE:
            raise ValueError("RNG state is wrong size")
        seed, left, seeded, nxt = _HEAD.unpack_from(raw, 0)
        if not (seeded == 1 and 0 < left <= _N and nxt <= _N):
            raise ValueError("Invalid RNG state")
        words = np.frombuffer(raw, dtype="<u8", count=_N, offset=_HEAD.size)
        x, y, rho, valid = _TAIL.unpack_from(raw, _HEAD.size + 8 * _N)
        key = (words & _MASK32).astype("<u4").tobytes()
        return cls(_to_signed64(seed), left, nxt, key, x, y, rho, bool(valid))


# --- the generator ----------------------------------------------------------------------------


class Generator:
    """Torch7's ``THGenerator``: MT19937 plus the Box-Muller cache.

    Scalar methods return Python numbers; ``*_array`` methods return a new float64 (or int64)
    array of ``n`` values drawn exactly as ``n`` successive scalar calls would, i.e. as a tensor
    fill in row-major order. The caller casts to the tensor's type (a FloatTensor stores the
    double rounded to float32).
    """

    def __init__(self, seed: int | None = None) -> None:
        self._bg = _MT19937()
        self._initial_seed = 0
        self._seeded_key = b""
        self._normal_valid = False
        self._normal_x = 0.0
        self._normal_y = 0.0
        self._normal_rho = 0.0
        if seed is None:
            self.seed()
        else:
            self.manual_seed(seed)

    # -- seeding and state -------------------------------------------------------------------

    def manual_seed(self, seed: int) -> None:
        """``torch.manualSeed``: ``init_genrand(seed & 0xffffffff)``; empties the normal cache."""
        seed = int(seed)
        key = _init_genrand(seed)
        self._bg.set(key, _N)
        self._seeded_key = key.tobytes()
        self._initial_seed = _to_signed64(seed)
        self._normal_valid = False
        self._normal_x = self._normal_y = self._normal_rho = 0.0

    def seed(self) -> int:
        """``torch.seed``: seed from ``/dev/urandom`` (the time if unavailable); return the seed.

        Torch7 uses all 64 bits of an ``unsigned long``; here the seed keeps 53 bits so that it
        survives the trip through a Lua number and ``manual_seed(seed())`` reproduces the stream.
        """
        try:
            s = int.from_bytes(os.urandom(8), "little") & ((1 << 53) - 1)
        except NotImplementedError:  # pragma: no cover - no entropy source
            s = int(time.time())
        self.manual_seed(s)
        return s

    def initial_seed(self) -> int:
        """``torch.initialSeed``: the last seed, as a C ``long``."""
        return self._initial_seed

    def get_state(self) -> GeneratorState:
        """A snapshot of the whole generator (MT words, position, normal cache, seed)."""
        words, pos = self._bg.get()
        key = words.astype("<u4").tobytes()
        if pos >= _N:
            left, nxt = 1, (0 if key == self._seeded_key else _N)
        else:
            left, nxt = _N - pos + 1, pos
        return GeneratorState(
            self._initial_seed,
            left,
            nxt,
            key,
            self._normal_x,
            self._normal_y,
            self._normal_rho,
            self._normal_valid,
        )

    def set_state(self, state: GeneratorState | bytes | bytearray | np.ndarray) -> None:
        """Restore a :meth:`get_state` snapshot (or Torch's ``THGenerator`` bytes)."""
        if not isinstance(state, GeneratorState):
            state = GeneratorState.from_bytes(state)
        if not (0 < state.left <= _N and 0 <= state.next <= _N) or len(state.key) != 4 * _N:
            raise ValueError("Invalid RNG state")
        key = np.frombuffer(state.key, dtype="<u4").astype(np.uint32)
        pos = _N if state.left == 1 else state.next
        self._bg.set(key, pos)
        self._initial_seed = state.initial_seed
        self._seeded_key = key.tobytes() if (state.left == 1 and state.next == 0) else b""
        self._normal_valid = bool(state.normal_is_valid)
        self._normal_x = float(state.normal_x)
        self._normal_y = float(state.normal_y)
        self._normal_rho = float(state.normal_rho)

    def copy(self) -> Generator:
        """An independent generator in the same state."""
        new = Generator.__new__(Generator)
        new._bg = _MT19937()
        new.set_state(self.get_state())
        return new

    def __copy__(self) -> Generator:
        return self.copy()

    def __deepcopy__(self, memo: dict) -> Generator:
        return self.copy()

    # -- words --------------------------------------------------------------------------------

    def _words(self, n: int) -> np.ndarray:
        """``n`` raw tempered 32-bit words as int64."""
        return self._bg.fill(np.empty(max(int(n), 0), dtype=np.int64))

    def _uniforms(self, n: int) -> np.ndarray:
        """``n`` values ``w * 2**-32`` (exact), float64."""
        return self._bg.fill(np.empty(max(int(n), 0), dtype=np.float64), _TWO_M32)

    def _u(self) -> float:
        return self._bg.word() * _TWO_M32

    # -- scalar draws -------------------------------------------------------------------------

    def random(self) -> int:
        """``torch.random()``: the raw tempered 32-bit word ``w``."""
        return self._bg.word()

    def random_range(self, a: int, b: int) -> int:
        """``torch.random(a, b)`` = ``w % (b + 1 - a) + a``, uniform on ``[a, b]``."""
        a, b = int(a), int(b)
        m = _range_modulus(a, b)
        return _to_signed64(self._bg.word() % m + a)

    def random_upto(self, b: int) -> int:
        """``torch.random(b)`` = ``w % b + 1``, uniform on ``[1, b]``."""
        b = int(b)
        if not b > 0:
            raise ValueError("upper bound must be strictly positive")
        return _to_signed64(self._bg.word() % b + 1)

    def uniform(self, a: float = 0.0, b: float = 1.0) -> float:
        """``u * (b - a) + a`` with ``u = w / 2**32`` in ``[0, 1)``."""
        a, b = float(a), float(b)
        return self._u() * (b - a) + a

    def normal(self, mean: float = 0.0, std: float = 1.0) -> float:
        """Box-Muller with Torch's one-value cache (see the module docstring)."""
        mean, std = float(mean), float(std)
        _check_std(std)
        if self._normal_valid:
            self._normal_valid = False
            return self._normal_rho * math.sin(_TWO_PI * self._normal_x) * std + mean
        x = self._u()
        y = self._u()
        self._normal_x, self._normal_y = x, y
        self._normal_rho = math.sqrt(-2.0 * math.log(1.0 - y))
        self._normal_valid = True
        return self._normal_rho * math.cos(_TWO_PI * x) * std + mean

    def exponential(self, lambd: float) -> float:
        """``(-1 / lambda) * log(1 - u)``."""
        with np.errstate(all="ignore"):
            c = float(np.float64(-1.0) / np.float64(lambd))
        return c * math.log(1.0 - self._u())

    def cauchy(self, median: float = 0.0, sigma: float = 1.0) -> float:
        """``median + sigma * tan(pi * (u - 0.5))``."""
        median, sigma = float(median), float(sigma)
        return median + sigma * math.tan(math.pi * (self._u() - 0.5))

    def log_normal(self, mean: float = 1.0, std: float = 2.0) -> float:
        """``exp(normal(mean, std))``: log(x) ~ N(mean, std), ``std > 0`` (THRandom_logNormal).

        The normal draw shares the Box-Muller cache.
        """
        mean, std = float(mean), float(std)
        _check_log_normal_std(std)
        return _cexp(self.normal(mean, std))

    def geometric(self, p: float) -> int:
        """``(int)(log(1 - u) / log(p)) + 1``, ``0 < p < 1``."""
        p = float(p)
        _check_geometric(p)
        return _int_trunc1(math.log(1.0 - self._u()) / math.log(p)) + 1

    def bernoulli(self, p: float = 0.5) -> int:
        """``1 if u <= p else 0``, ``0 <= p <= 1``."""
        p = float(p)
        _check_bernoulli(p)
        return int(self._u() <= p)

    # -- vectorised fills ---------------------------------------------------------------------

    def raw_words(self, n: int) -> np.ndarray:
        """The next ``n`` raw words as uint32, as :meth:`random_array` draws them."""
        return self._bg.words(n)

    def random_array(self, n: int) -> np.ndarray:
        """``n`` raw words (int64). ``tensor:random()`` reduces them mod a per-type bound."""
        return self._words(n)

    def random_range_array(self, n: int, a: int, b: int) -> np.ndarray:
        """``n`` draws of ``torch.random(a, b)`` (int64)."""
        a, b = int(a), int(b)
        m = _range_modulus(a, b)
        w = self._words(n)
        with np.errstate(over="ignore"):
            if m > _MASK32:
                return w + np.int64(_to_signed64(a))
            return w % np.int64(m) + np.int64(_to_signed64(a))

    def random_upto_array(self, n: int, b: int) -> np.ndarray:
        """``n`` draws of ``torch.random(b)`` (int64)."""
        b = int(b)
        if not b > 0:
            raise ValueError("upper bound must be strictly positive")
        w = self._words(n)
        if b > _MASK32:
            return w + 1
        return w % np.int64(b) + 1

    def uniform_array(self, n: int, a: float = 0.0, b: float = 1.0) -> np.ndarray:
        """``n`` draws of :meth:`uniform`."""
        return self.uniform_into(np.empty(max(int(n), 0), dtype=np.float64), a, b)

    def uniform_into(self, out: np.ndarray, a: float = 0.0, b: float = 1.0) -> np.ndarray:
        """out (1-D, any float type) filled with successive draws of :meth:`uniform`, each
        computed in double and stored in out's type; returns out. A block at a time: a fill
        holds about its result alone (a separate double array as large left a hole in the
        C heap: 3 MB after LeNet's Linear(1600, 256) weights)."""
        a, b = float(a), float(b)
        if out.dtype == np.float64:
            self._bg.fill(out, _TWO_M32)
            out *= b - a  # in place: u * (b - a) + a, the same roundings, no temporaries
            out += a
            return out
        for lo in range(0, out.shape[0], _DRAW_BLOCK):
            u = self._uniforms(min(_DRAW_BLOCK, out.shape[0] - lo))
            u *= b - a
            u += a
            np.copyto(out[lo : lo + u.shape[0]], u, casting="unsafe")
        return out

    def normal_array(self, n: int, mean: float = 0.0, std: float = 1.0) -> np.ndarray:
        """``n`` draws of :meth:`normal`, using and leaving the Box-Muller cache as they would.

        A pending cached value comes first; then pairs ``(x, y)`` give ``cos`` then ``sin`` values;
        an odd tail leaves its pair in the cache.
        """
        return self.normal_into(np.empty(max(int(n), 0), dtype=np.float64), mean, std)

    def normal_into(self, out: np.ndarray, mean: float = 0.0, std: float = 1.0) -> np.ndarray:
        """out (1-D, any float type) filled as :meth:`normal_array` draws, each value computed
        in double and stored in out's type; returns out. Pairs are drawn a block at a time:
        the whole fill's temporaries (uniforms, logs as Python floats, cos and sin) held
        3.3 MB past a 1.5 MB randn, left as holes in the C heap."""
        mean, std = float(mean), float(std)
        _check_std(std)
        n = out.shape[0]
        if n <= 0:
            return out
        i = 0
        if self._normal_valid:
            self._normal_valid = False
            out[0] = self._normal_rho * math.sin(_TWO_PI * self._normal_x) * std + mean
            i = 1
        m = n - i
        if m == 0:
            return out
        k = (m + 1) // 2
        ns = m - k  # pairs whose sin is used: all but an odd tail's last
        for j0 in range(0, k, _DRAW_BLOCK // 2):
            j1 = min(k, j0 + _DRAW_BLOCK // 2)
            u = self._uniforms(2 * (j1 - j0))
            x = u[0::2]
            y = u[1::2]
            rho = np.sqrt(-2.0 * _map(math.log, 1.0 - y))
            t = _TWO_PI * x
            np.copyto(out[i + 2 * j0 : i + 2 * j1 : 2], rho * _cos_array(t) * std + mean)
            cnt = min(j1, ns) - j0
            if cnt > 0:
                np.copyto(
                    out[i + 2 * j0 + 1 : i + 2 * (j0 + cnt) : 2],
                    rho[:cnt] * _sin_array(t[:cnt]) * std + mean,
                )
        self._normal_x = float(x[-1])
        self._normal_y = float(y[-1])
        self._normal_rho = float(rho[-1])
        if ns < k:  # odd: the last pair's sin stays in the cache
            self._normal_valid = True
        return out

    def exponential_array(self, n: int, lambd: float) -> np.ndarray:
        """``n`` draws of :meth:`exponential`."""
        with np.errstate(all="ignore"):
            c = float(np.float64(-1.0) / np.float64(lambd))
        return c * _map(math.log, 1.0 - self._uniforms(n))

    def cauchy_array(self, n: int, median: float = 0.0, sigma: float = 1.0) -> np.ndarray:
        """``n`` draws of :meth:`cauchy`."""
        median, sigma = float(median), float(sigma)
        t = _map(math.tan, math.pi * (self._uniforms(n) - 0.5))
        return median + sigma * t

    def log_normal_array(self, n: int, mean: float = 1.0, std: float = 2.0) -> np.ndarray:
        """``n`` draws of :meth:`log_normal` (shares the normal cache)."""
        mean, std = float(mean), float(std)
        _check_log_normal_std(std)
        return _exp_array(self.normal_array(n, mean, std))

    def geometric_array(self, n: int, p: float) -> np.ndarray:
        """``n`` draws of :meth:`geometric` (int64)."""
        p = float(p)
        _check_geometric(p)
        r = _map(math.log, 1.0 - self._uniforms(n)) / math.log(p)
        return _int_trunc(r) + 1

    def bernoulli_array(self, n: int, p: float = 0.5) -> np.ndarray:
        """``n`` draws of :meth:`bernoulli` (int64 0/1)."""
        p = float(p)
        _check_bernoulli(p)
        return (self._uniforms(n) <= p).astype(np.int64)

    def bernoulli_array_p(self, p_values: np.ndarray) -> np.ndarray:
        """One :meth:`bernoulli` per probability, in row-major order; same shape as ``p_values``.

        As in Torch, the draws for the entries before an invalid probability are consumed before
        the error.
        """
        p = np.asarray(p_values, dtype=np.float64)
        flat = p.ravel()
        bad = ~((flat >= 0.0) & (flat <= 1.0))
        if bad.any():
            self._words(int(np.argmax(bad)))
            raise ArgCheck(1, "must be >= 0 and <= 1")
        return (self._uniforms(flat.size) <= flat).astype(np.int64).reshape(p.shape)

    # -- permutations and sampling ------------------------------------------------------------

    def randperm(self, n: int) -> np.ndarray:
        """``torch.randperm(n)`` (int64, values 1..n).

        ``r = [0, .., n-1]``; for ``i = 0 .. n-2``: ``z = w % (n - i)``, swap ``r[i]`` and
        ``r[i + z]``; then ``r + 1``.
        """
        n = int(n)
        if not n > 0:
            raise ValueError("must be strictly positive")
        if n > 1:
            z = self._words(n - 1) % np.arange(n, 1, -1, dtype=np.int64)
        else:
            z = np.zeros(0, np.int64)
        perm = np.arange(1, n + 1, dtype=np.int64)
        if libm.swap_in_turn(perm, z):
            return perm
        z = z.tolist()
        r = list(range(1, n + 1))
        for i, zi in enumerate(z):
            j = i + zi
            r[i], r[j] = r[j], r[i]
        return np.array(r, dtype=np.int64)

    def multinomial(
        self, probs: np.ndarray, n_sample: int, replacement: bool = False
    ) -> np.ndarray:
        """``torch.multinomial``: 1-based indices, shape ``(n_sample,)`` or ``(rows, n_sample)``.

        Per row (rows in order): ``cum`` = running double sum of the entries divided by the total;
        per sample ``cum[-1] = 1``, draw ``u`` and take the first slot with ``cum >= u`` (Torch's
        binary search); without replacement the drawn mass ``d = cum[s] - cum[s-1]`` is removed:
        ``cum[k] = ((cum[k] - d) if k >= s else cum[k]) / (1 - d)``.
        """
        p = np.asarray(probs)
        if p.ndim not in (1, 2):
            raise ValueError("prob_dist must be 1 or 2 dim")
        rows = p.reshape(1, -1) if p.ndim == 1 else p
        n_dist, n_cat = rows.shape
        n_sample = int(n_sample)
        if n_sample <= 0:
            raise ValueError("cannot sample n_sample < 0 samples")  # (TH's words)
        if not replacement and n_sample > n_cat:
            raise ValueError(
                "cannot sample n_sample > prob_dist:size(1) samples without replacement"
            )
        out = np.empty((n_dist, n_sample), dtype=np.int64)
        for i in range(n_dist):
            vals = rows[i].astype(np.float64)
            cum = np.cumsum(vals)  # sequential, as the C loop
            total = float(cum[-1]) if n_cat else 0.0
            if not total > 0:  # (TH checks the sum only)
                raise ValueError("invalid multinomial distribution (sum of probabilities <= 0)")
            if bool(np.any(vals < 0)):
                raise ValueError(
                    "invalid multinomial distribution (encountering probability entry < 0)"
                )
            cum /= total
            u = self._uniforms(n_sample)
            if replacement:
                cum[-1] = 1.0
                out[i] = _search_many(cum, u)
                continue
            for j in range(n_sample):
                cum[-1] = 1.0
                s = _search_one(cum, float(u[j]))
                out[i, j] = s
                if j < n_sample - 1:
                    prev = float(cum[s - 1]) if s else 0.0
                    d = float(cum[s]) - prev
                    with np.errstate(all="ignore"):
                        cum[s:] -= d
                        cum /= 1.0 - d
        out += 1
        return out[0] if p.ndim == 1 else out


def _check_geometric(p: float) -> None:
    if not (p > 0 and p < 1):
        raise ArgCheck(1, "must be > 0 and < 1")


def _check_bernoulli(p: float) -> None:
    if not (p >= 0 and p <= 1):
        raise ArgCheck(1, "must be >= 0 and <= 1")


def _check_log_normal_std(std: float) -> None:
    if not std > 0:
        raise ArgCheck(2, "standard deviation must be strictly positive")


def _range_modulus(a: int, b: int) -> int:
    """``b + 1 - a`` as C's ``unsigned long`` operand of ``%``."""
    if not b >= a:
        raise ArgCheck(2, "upper bound must be larger than lower bound")
    m = (b + 1 - a) & _MASK64
    if m == 0:
        raise ZeroDivisionError("random range covers all 2**64 values")
    return m


def _is_sorted(cum: np.ndarray) -> bool:
    """Non-decreasing and nan-free: then Torch's binary search is ``searchsorted(side='left')``."""
    return bool(np.all(cum[1:] >= cum[:-1])) and not bool(np.isnan(cum[0]))


def _bsearch(cum: list[float], u: float) -> int:
    """Torch's binary search, literally (also defined for unsorted or nan entries)."""
    lo, hi = 0, len(cum)
    while hi - lo > 0:
        mid = lo + (hi - lo) // 2
        if cum[mid] < u:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _search_one(cum: np.ndarray, u: float) -> int:
    if _is_sorted(cum):
        return int(np.searchsorted(cum, u, side="left"))
    return _bsearch(cum.tolist(), u)


def _search_many(cum: np.ndarray, u: np.ndarray) -> np.ndarray:
    if _is_sorted(cum):
        return np.searchsorted(cum, u, side="left").astype(np.int64)
    c = cum.tolist()
    return np.array([_bsearch(c, v) for v in u.tolist()], dtype=np.int64)


class _ThreadDefaultGenerator:
    """The default generator of the calling thread: the main thread's is the process's, another
    thread gets its own on first use. Two runtimes driven from two threads then draw from two
    streams, as two Torch processes would, instead of interleaving one (every attribute is
    forwarded; ``isinstance(default_generator, Generator)`` holds)."""

    __slots__ = ()

    def __getattr__(self, name: str) -> object:
        gen = getattr(_thread_generators, "gen", None)
        if gen is None:
            gen = (
                _process_generator
                if threading.current_thread() is threading.main_thread()
                else Generator()
            )
            _thread_generators.gen = gen
        return getattr(gen, name)

    @property
    def __class__(self) -> type:  # noqa: D105 - isinstance() sees a Generator
        return Generator


def use_default(gen: Generator | None) -> Generator | None:
    """Make gen the calling thread's default generator (a runtime's own, while it runs; None:
    the thread's default); returns the previous one, to restore."""
    prev = getattr(_thread_generators, "gen", None)
    _thread_generators.gen = gen
    return prev


# Torch7 seeds its default generator at start-up (THGenerator_new -> THRandom_seed).
_process_generator = Generator()
_thread_generators = threading.local()
default_generator = _ThreadDefaultGenerator()


def alias_setup(p: np.ndarray, dtype: np.dtype) -> tuple[np.ndarray, np.ndarray]:
    """THTensor_(multinomialAliasSetup): Walker's alias tables J and q, J as Lua sees it.

    TH keeps J 0-based with 0 also meaning "no alias"; cwrap adds 1 on return, so an entry
    without alias reads 1 (its q is 1: it is never aliased).
    """
    n = p.shape[0]
    q = (n * p).astype(dtype)
    jj = np.zeros(n, dtype=np.int64)
    small = [i for i in range(n) if n * p[i] < 1.0]
    large = [i for i in range(n) if not n * p[i] < 1.0]
    while small and large:
        lg, sm = large[-1], small[-1]
        jj[sm] = lg
        q[lg] -= dtype.type(1.0) - q[sm]
        if q[lg] < 1.0:
            small[-1] = lg
            large.pop()
        else:
            large[-1] = lg
            small.pop()
    if n and not q.min() > 0:
        raise TorchError("bad argument #2 to 'multinomialAliasSetup' (q_min is less than 0)")
    if n and q.max() > 1:
        q /= q.max()
    q[jj <= 0] = 1.0
    return jj + 1, q


def alias_draw(
    g: Generator, count: int, jj: np.ndarray, q: np.ndarray, out: np.ndarray | None = None
) -> np.ndarray:
    """THTensor_(multinomialAliasDraw) as Lua sees it.

    TH draws two uniforms per sample, in order: the bucket ``(long) (u * K)``, then the
    Bernoulli ``u <= q[bucket]`` that keeps the bucket (returned 1-based) or takes its alias.
    An alias comes back as TH's 0-based J entry (cwrap's -1 on J in, +1 on the output cancel
    out), one less than the class it names: Torch7 does so. The same stream is drawn here in
    blocks, two words per sample. The samples go into out when it is a contiguous int64 array
    of count elements (else into a new array); returns them.
    """
    k = jj.shape[0]
    if out is None or out.dtype != np.int64 or not out.flags.c_contiguous or out.size != count:
        out = np.empty(count, dtype=np.int64)
    out = out.reshape(-1)
    qd = q.astype(np.float64)
    block = 1 << 20
    # the LuaJIT loop draws a sample in a few ns, where numpy's steps take some 30 (a bucket
    # index k could round up to K from 2^21 buckets on: numpy's indexing checks it)
    if libm.has_loop() and 0 < k < 1 << 21 and np.abs(jj).max() < 2**53:
        meta = np.concatenate([[k], jj]).astype(np.float64)
        # words drawn in blocks of _FILL_BLOCK (larger draws are slower per word)
        step = _FILL_BLOCK // 2
        for start in range(0, count, step):
            n = min(step, count - start)
            libm.alias_samples(out[start : start + n], g.raw_words(2 * n), meta, qd)
        return out
    for start in range(0, count, block):
        n = min(block, count - start)
        u = g.uniform_array(2 * n).reshape(n, 2)
        r = (u[:, 0] * k).astype(np.int64)
        keep = u[:, 1] <= qd[r]
        out[start : start + n] = np.where(keep, r + 1, jj[r] - 1)
    return out

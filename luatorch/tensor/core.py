"""Torch7's Storage and Tensor on numpy.

A Storage is a flat 1-D numpy buffer. A Tensor is (storage, offset, size, stride), all 0-based in
Python, seen through a cached strided numpy view. Views share the storage exactly as in Torch, and
``resize`` follows TH's rules: it keeps the storage when it is large enough, grows it otherwise.

This module knows nothing of Lua.
"""

from __future__ import annotations

import numpy as np

from . import header

TYPE_NAMES = ("Double", "Float", "Long", "Int", "Short", "Char", "Byte")
DTYPES = {
    "Double": np.dtype(np.float64),
    "Float": np.dtype(np.float32),
    "Long": np.dtype(np.int64),
    "Int": np.dtype(np.int32),
    "Short": np.dtype(np.int16),
    "Char": np.dtype(np.int8),
    "Byte": np.dtype(np.uint8),
}
TYPE_OF_DTYPE = {dtype: name for name, dtype in DTYPES.items()}
# Type codes index the Lua-side prototype proxies: tensors 1..7, storages 8..14.
TENSOR_CODE = {name: i + 1 for i, name in enumerate(TYPE_NAMES)}
STORAGE_CODE = {name: i + 8 for i, name in enumerate(TYPE_NAMES)}
FLOAT_TYPES = ("Double", "Float")

# Buffers of this many bytes and more start on a 64-byte boundary (a cache line, an AVX-512
# vector), as PyTorch's allocator places them; glibc's malloc gives 16 bytes past one. Measured
# on the AMD EPYC guest, numpy's in-place multiply and add of 1e6 doubles, one thread: 183-188
# us on 0 or 32 mod 64, 203-219 on 16, 48 or 8 (minimums, one process).
ALIGN_FROM = 1 << 16


def _aligned(nbytes: int, zero: bool) -> np.ndarray:
    raw = (np.zeros if zero else np.empty)(nbytes + 64, np.uint8)
    skip = -raw.__array_interface__["data"][0] % 64
    return raw[skip : skip + nbytes]


def zeros(n: int, dtype: np.dtype) -> np.ndarray:
    """np.zeros(n, dtype), large ones aligned to 64 bytes."""
    nbytes = n * dtype.itemsize
    if nbytes < ALIGN_FROM:
        return np.zeros(n, dtype)
    return _aligned(nbytes, True).view(dtype)


def empty(shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """np.empty(shape, dtype) (C order), large ones aligned to 64 bytes."""
    n = 1
    for d in shape:
        n *= d
    nbytes = n * dtype.itemsize
    if nbytes < ALIGN_FROM:
        return np.empty(shape, dtype)
    return _aligned(nbytes, False).view(dtype).reshape(shape)


# Torch7's CPU HalfTensor is a storage type with geometry, copies and conversions but no maths
# (TensorMath.lua wraps nothing for it), so it stays out of TYPE_NAMES, whose types carry every
# method. Its codes follow cutorch's (see CUDA_TYPES below).
HALF = "Half"
DTYPES[HALF] = np.dtype(np.float16)
TYPE_OF_DTYPE[DTYPES[HALF]] = HALF
TENSOR_CODE[HALF] = 29
STORAGE_CODE[HALF] = 30


def cast_copy(dst: np.ndarray, src: np.ndarray) -> None:
    """dst[...] = src converted as TH's copy converts: into half through float (TH_float2half
    takes a float, so a double is rounded twice, as in C)."""
    if dst.dtype == np.float16 and src.dtype != np.float32 and src.dtype != np.float16:
        src = src.astype(np.float32)
    np.copyto(dst, src, casting="unsafe")


class TypeAlias(str):
    """A CPU element type under another name (cutorch's types on a CPU-only machine).

    It equals its CPU type's name ("Float" for "Cuda"), so dtypes, dispatch and kernels treat
    it as that type, and it travels with every tensor made from a tensor of its type; but it
    formats as its own name (``f"torch.{ttype}Tensor"`` is ``torch.CudaTensor``) and carries
    its own type codes, so Lua proxies, printing and serialization show the Cuda name.
    """

    def __new__(cls, cpu: str, name: str, tensor_code: int, storage_code: int) -> TypeAlias:
        self = super().__new__(cls, cpu)
        self.name = name
        self.tensor_code = tensor_code
        self.storage_code = storage_code
        return self

    def __str__(self) -> str:
        return self.name

    def __format__(self, spec: str) -> str:
        return format(self.name, spec)

    def __repr__(self) -> str:
        return f"TypeAlias({str.__str__(self)!r} as {self.name!r})"


# cutorch's type names and the CPU types they run as; codes follow the CPU ones (tensors 15..,
# storages 15 + len ..). Lua makes their proxy types when `require 'cutorch'` runs.
CUDA_TYPES = (
    ("Cuda", "Float"),
    ("CudaDouble", "Double"),
    ("CudaLong", "Long"),
    ("CudaInt", "Int"),
    ("CudaShort", "Short"),
    ("CudaChar", "Char"),
    ("CudaByte", "Byte"),
)
TYPE_ALIASES: dict[str, TypeAlias] = {
    name: TypeAlias(cpu, name, 15 + i, 15 + len(CUDA_TYPES) + i)
    for i, (name, cpu) in enumerate(CUDA_TYPES)
}


# type code -> type name (a TypeAlias for cutorch's): views made in Lua know only the code
TTYPE_OF_CODE: dict[int, str] = {code: name for name, code in TENSOR_CODE.items()}
TTYPE_OF_CODE.update({a.tensor_code: a for a in TYPE_ALIASES.values()})


def canonical_type(ttype: str) -> str:
    """A type name from Lua as the tensor library knows it ("Cuda" -> its TypeAlias)."""
    return TYPE_ALIASES.get(ttype, ttype)


def same_type(a: str, b: str) -> bool:
    """True when two type names are the same torch type (FloatTensor is not CudaTensor)."""
    return a == b and str(a) == str(b)


class TorchError(Exception):
    """An error with a message in Torch's words; the bindings raise it as a Lua error."""


class TorchLuaError(TorchError):
    """An error Torch7 raises in its own Lua code from a method it calls there (view's
    ``set``): the message names that method whatever the user called, so it is kept as is."""


class AllocationMeter:
    """Bytes of storage allocated since the last reset.

    Lua's garbage collector sees only the small proxies, not the numpy buffers behind them, so the
    runtime collects when this meter says enough memory was allocated (see Bindings.wrap).
    """

    allocated = 0


# Allocations from this size on are checked against the memory the machine can still give:
# numpy's zeros only reserve address space, so an impossible size would otherwise be accepted and
# the process (or a neighbour) killed by the kernel's OOM killer when the pages are touched.
_CHECKED_ALLOC = 1 << 30


def available_memory() -> int:
    """Bytes this process may still allocate: MemAvailable + SwapFree, within a cgroup limit."""
    avail = 0
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith(("MemAvailable:", "SwapFree:")):
                    avail += int(line.split()[1]) * 1024
        with open("/sys/fs/cgroup/memory.max") as f:
            limit = f.read().strip()
        if limit != "max":
            with open("/sys/fs/cgroup/memory.current") as f:
                avail = min(avail, int(limit) - int(f.read()))
    except (OSError, ValueError):
        pass
    return avail or 1 << 62


def check_alloc(n: int, itemsize: int) -> None:
    """THAlloc's error for a buffer of n elements that cannot be allocated."""
    nbytes = n * itemsize
    if nbytes >= _CHECKED_ALLOC and nbytes > available_memory():
        raise TorchError(
            f"$ Torch: not enough memory: you tried to allocate {nbytes // 2**30}GB. Buy new RAM!"
        )


class Storage:
    # _hslot/_haddr: the header Lua reads (tensor/header.py), -1/0 until handed to Lua;
    # _hown: the Lua memory block holding the header (and first buffer) of a storage Lua made
    __slots__ = ("data", "ttype", "code", "_hslot", "_haddr", "_hown", "__weakref__")

    def __init__(self, ttype: str, data: np.ndarray | None = None, size: int = 0) -> None:
        self._hslot = -1
        self._haddr = 0
        self._hown = None
        self.ttype = ttype
        self.code = STORAGE_CODE[ttype] if type(ttype) is str else ttype.storage_code
        if data is None:
            dtype = DTYPES[ttype]
            if size < 0:
                raise TorchError("$ Torch: invalid memory size -- maybe an overflow?")
            check_alloc(size, dtype.itemsize)
            data = zeros(size, dtype)
        AllocationMeter.allocated += data.nbytes
        self.data = data

    def __setattr__(self, name: str, value: object) -> None:
        if name == "data" and self._hslot != -1:
            # first: Lua must never follow a pointer into a dropped buffer (it asks again)
            header.invalidate_storage(self)
        object.__setattr__(self, name, value)

    def __del__(self) -> None:
        slot = getattr(self, "_hslot", -1)  # absent when __init__ was interrupted
        if slot >= 0:
            header._free.append(slot)  # no Python call: an interrupt cannot lose the slot
        elif slot == header.FOREIGN:
            header.release_foreign(self)  # Lua's views of the block keep seeing the values

    def size(self) -> int:
        return self.data.shape[0]

    def resize(self, n: int) -> None:
        """Grow or shrink in place, keeping the first min(old, new) values (THStorage_resize)."""
        if n < 0:
            # (THAlloc of a negative size)
            raise TorchError("$ Torch: invalid memory size -- maybe an overflow?")
        old = self.data
        if n == old.shape[0]:
            return
        check_alloc(n, old.itemsize)
        new = zeros(n, old.dtype)
        AllocationMeter.allocated += new.nbytes
        k = min(n, old.shape[0])
        new[:k] = old[:k]
        self.data = new

    @property
    def typename(self) -> str:
        return f"torch.{self.ttype}Storage"


_MAX_ELEMENTS = 1 << 34


def check_in_storage(offset: int, size: tuple[int, ...], stride: tuple[int, ...], n: int) -> None:
    """Raise unless every element of a non-empty tensor lies in a storage of n elements.

    Every numpy view of a tensor is built after this check, whatever the storage went through
    since the tensor was made (a resize, :string(), a set): numpy checks a view against its
    buffer, except a 0-byte buffer, where it would read and write freed memory.
    """
    lo = hi = offset
    count = 1
    for s, st in zip(size, stride, strict=True):
        count *= s
        if st > 0:
            hi += (s - 1) * st
        else:
            lo += (s - 1) * st
    if count > _MAX_ELEMENTS:
        # only zero strides (expand) make such a tensor; a loop over it would never end
        raise TorchError(f"tensor too large: {count} elements (at most 2^34 in one operation)")
    if lo < 0 or hi >= n:
        raise TorchError(
            "Storage size and offset/sizes/strides are inconsistent (the tensor spans "
            f"elements {lo + 1}..{hi + 1}, the storage has {n})"
        )


def contiguous_strides(size: tuple[int, ...]) -> tuple[int, ...]:
    n = len(size)
    if n <= 1:  # the common cases, without a loop
        return (1,) if n else ()
    strides = []
    acc = 1
    for s in reversed(size):
        strides.append(acc)
        acc *= s
    return tuple(reversed(strides))


def leading_positive(size: tuple[int, ...] | list[int]) -> tuple[int, ...]:
    """The sizes before the first one that is not positive (THTensor_resizeNd's dimensions)."""
    out = []
    for s in size:
        s = int(s)
        if s <= 0:
            break
        out.append(s)
    return tuple(out)


class Tensor:
    __slots__ = (
        "storage",
        "offset",
        "size",
        "stride",
        "ttype",
        "code",
        "_arr",
        "_src",
        "_hslot",
        "_haddr",
        "__weakref__",
    )

    def __init__(
        self,
        ttype: str,
        storage: Storage | None = None,
        offset: int = 0,
        size: tuple[int, ...] = (),
        stride: tuple[int, ...] | None = None,
    ) -> None:
        self.ttype = ttype
        self.code = TENSOR_CODE[ttype] if type(ttype) is str else ttype.tensor_code
        self.storage = storage
        self.offset = offset
        self.size = tuple(size)
        self.stride = contiguous_strides(self.size) if stride is None else tuple(stride)
        self._arr = None
        self._src = None
        self._hslot = -1  # the header Lua reads (tensor/header.py): given when Lua sees us
        self._haddr = 0

    def __del__(self) -> None:
        slot = getattr(self, "_hslot", -1)  # absent when __init__ was interrupted
        if slot >= 0:
            header._free.append(slot)  # no Python call: an interrupt cannot lose the slot

    # ----------------------------------------------------------------- numpy view
    @property
    def arr(self) -> np.ndarray:
        """The tensor's values as a writable strided numpy view of its storage."""
        a = self._arr
        storage = self.storage
        if a is not None and storage is not None and self._src is storage.data:
            return a
        return self._build_view()

    def _build_view(self) -> np.ndarray:
        storage = self.storage
        if storage is None or not self.size or 0 in self.size:
            a = np.empty(0, dtype=DTYPES[self.ttype])
            self._arr = None
            return a
        data = storage.data
        check_in_storage(self.offset, self.size, self.stride, data.shape[0])
        itemsize = data.itemsize
        a = np.ndarray(
            self.size,
            dtype=data.dtype,
            buffer=data,
            offset=self.offset * itemsize,
            strides=tuple(s * itemsize for s in self.stride),
        )
        self._arr = a
        self._src = data
        return a

    def _changed(self) -> None:
        self._arr = None

    # ------------------------------------------------------------------ geometry
    @property
    def typename(self) -> str:
        return f"torch.{self.ttype}Tensor"

    def dim(self) -> int:
        return len(self.size)

    def nelement(self) -> int:
        if not self.size:
            return 0
        n = 1
        for s in self.size:
            n *= s
        return n

    def is_contiguous(self) -> bool:
        expected = 1
        for s, st in zip(reversed(self.size), reversed(self.stride), strict=True):
            if s != 1:
                if st != expected:
                    return False
                expected *= s
        return True

    def set(
        self,
        storage: Storage | None,
        offset: int,
        size: tuple[int, ...],
        stride: tuple[int, ...] | None = None,
    ) -> Tensor:
        size = tuple(size)
        stride = contiguous_strides(size) if stride is None else tuple(stride)
        if self._hslot >= 0:  # Lua asks Python until the header is rewritten below
            header.invalidate_tensor(self._hslot)
        # plain stores only from here: Ctrl-C (raised at a call) cannot leave half a geometry
        self._arr = None
        self.storage = storage
        self.offset = offset
        self.size = size
        self.stride = stride
        if self._hslot >= 0:
            header.sync_tensor(self)
        return self

    def resize(self, size: tuple[int, ...]) -> Tensor:
        """THTensor_resizeNd: contiguous strides; the storage grows when it is too small.

        As TH, the dimensions end at the first size that is not positive: (2, 0, 3) and
        (3, -2) give one dimension, (0) and (-1) an empty tensor."""
        size = leading_positive(size)
        # TH returns early when the sizes are already these, strides untouched: a view keeps
        # viewing the same elements (r:mv(...) into a column of a matrix writes that column)
        if size == self.size and self.storage is not None:
            return self
        n = 1 if size else 0
        for s in size:
            n *= s
        # storage first: a failed allocation (or Ctrl-C) leaves the tensor as it was
        if n > 0:
            if self.storage is None:
                self.storage = Storage(self.ttype, size=n + self.offset)
            elif self.storage.size() < n + self.offset:
                self.storage.resize(n + self.offset)
        stride = contiguous_strides(size)
        if self._hslot >= 0:  # Lua asks Python until the header is rewritten below
            header.invalidate_tensor(self._hslot)
        self._arr = None  # plain stores only from here (see set)
        self.size = size
        self.stride = stride
        if self._hslot >= 0:
            header.sync_tensor(self)
        return self

    # ------------------------------------------------------------------- views
    def view_of(self, offset: int, size: tuple[int, ...], stride: tuple[int, ...]) -> Tensor:
        return Tensor(self.ttype, self.storage, offset, size, stride)

    def check_dim(self, d: int, argn: int = 1, fname: str = "") -> int:
        """Turn Torch's 1-based dimension into 0-based, with Torch's error."""
        if not 1 <= d <= len(self.size):
            raise TorchError(f"bad argument #{argn} to '{fname}' (out of range)")
        return d - 1

    def narrow(self, d: int, first: int, length: int) -> Tensor:
        """d and first are 0-based here."""
        if not (0 <= first and length > 0 and first + length <= self.size[d]):
            raise TorchError("out of range")
        size = list(self.size)
        size[d] = length
        return self.view_of(self.offset + first * self.stride[d], tuple(size), self.stride)

    def select(self, d: int, index: int) -> Tensor:
        """d and index are 0-based here."""
        if not 0 <= index < self.size[d]:
            raise TorchError("out of range")
        size = self.size[:d] + self.size[d + 1 :]
        stride = self.stride[:d] + self.stride[d + 1 :]
        return self.view_of(self.offset + index * self.stride[d], size, stride)

    def transpose(self, d1: int, d2: int) -> Tensor:
        size = list(self.size)
        stride = list(self.stride)
        size[d1], size[d2] = size[d2], size[d1]
        stride[d1], stride[d2] = stride[d2], stride[d1]
        return self.view_of(self.offset, tuple(size), tuple(stride))

    def contiguous(self) -> Tensor:
        if self.is_contiguous():
            return self
        return tensor_from_array(self.arr, self.ttype)

    def clone(self) -> Tensor:
        return tensor_from_array(self.arr, self.ttype) if self.size else Tensor(self.ttype)

    def __repr__(self) -> str:
        return f"<{self.typename} size={self.size}>"


def new_tensor(ttype: str, size: tuple[int, ...] = ()) -> Tensor:
    t = Tensor(ttype)
    if size:
        t.resize(size)
    return t


def tensor_from_array(a: np.ndarray, ttype: str | None = None) -> Tensor:
    """A new contiguous tensor holding a copy of ``a`` (cast to ttype's dtype)."""
    if ttype is None:
        ttype = TYPE_OF_DTYPE[a.dtype]
    dtype = DTYPES[ttype]
    if a.ndim == 0 or a.size == 0:
        return Tensor(ttype)
    if dtype == np.float16 and a.dtype != np.float32:
        a = a.astype(np.float32)  # TH converts to half through float
    flat = np.array(a, dtype=dtype, order="C", copy=True).reshape(-1)
    return Tensor(ttype, Storage(ttype, flat), 0, a.shape)


def tensor_wrapping(a: np.ndarray) -> Tensor:
    """A tensor viewing ``a``'s memory without copying (a must be C-contiguous, known dtype)."""
    ttype = TYPE_OF_DTYPE[a.dtype]
    if a.size == 0:
        return Tensor(ttype)
    flat = a.reshape(-1)
    if not np.shares_memory(flat, a):
        raise TorchError("array must be contiguous to be shared")
    return Tensor(ttype, Storage(ttype, flat), 0, a.shape)

"""Tensor and storage headers that LuaJIT reads through its FFI.

Lua answers geometry queries (``size``, ``dim``, ``x[i]``, ...) and runs small element-wise loops
without calling into Python by reading a C struct per tensor (see lua/torch/header.lua for the
matching ``ffi.cdef``)::

    storage header  { void *data; double size; }                        16 bytes
    tensor header   { storage header *storage; double offset;
                      int32 dim; int32 unused; double size[8]; double stride[8]; }

Sizes, strides and offsets are doubles: exact up to 2^53 and read by Lua as plain numbers.

Python owns every header it makes: they live in slots of fixed chunks that are never freed, so a
header address stays valid memory for the life of the process. The one exception is a storage
Lua made itself (a new small tensor, lua/torch/init.lua): its header and its buffer are one block
of Lua memory, and the Python Storage that adopts the block (``adopt_block``, ``_hslot ==
FOREIGN``) keeps it alive and writes that header instead of a slot.

A tensor or storage gets a slot when it is first handed to Lua (``attach_*``, which writes the
whole header) and puts it back on the free list when the Python object dies (its __del__: no
Lua proxy holds it then); until then Python code pays nothing. From attachment on, every change
of geometry or of the storage's buffer rewrites the header (Tensor.set/resize, Storage.data
assignment), so Lua never sees a stale view. A storage's data pointer is filled lazily
(``data_pointer``): a changed buffer writes NULL, and Lua asks Python again before touching
memory. Lua checks every element access against the storage header's size, so a tensor whose
storage shrank under it can never read outside the buffer.

This module knows nothing of Lua.
"""

from __future__ import annotations

import ctypes
import mmap
import struct
import threading
import weakref
from typing import Any

import numpy as np

MAXDIM = 8  # tensors with more dimensions are answered by Python (dim = -1 in the header)
SLOT = 160  # bytes per slot: the tensor header is 152 bytes
_PER_CHUNK = 4096

_chunks: list[memoryview] = []  # writable byte views of the chunk arrays
_arrays: list[np.ndarray] = []  # never freed: header addresses stay valid memory
_bases: list[int] = []
_free: list[int] = []
_lock = threading.Lock()

_STORAGE = struct.Struct("<Qd")
FOREIGN = -2  # Storage._hslot of a storage whose header is in a ForeignBlock
_DEAD_TENSOR = struct.Struct("<Qdii")
_TENSOR = [struct.Struct(f"<Qdii{n}d{(MAXDIM - n) * 8}x{n}d") for n in range(MAXDIM + 1)]


def _grow() -> None:
    # a private anonymous map: zero pages the kernel faults in as slots are first written, so
    # the chunk's untouched slots cost no memory (np.zeros from the C heap cleared all 640 KB
    # of a chunk, resident for good, where a training script uses a few dozen slots)
    a = np.frombuffer(mmap.mmap(-1, _PER_CHUNK * SLOT), dtype=np.uint8)
    first = len(_arrays) * _PER_CHUNK
    _arrays.append(a)
    _chunks.append(memoryview(a))
    _bases.append(a.ctypes.data)
    _free.extend(range(first + _PER_CHUNK - 1, first - 1, -1))


def _alloc() -> tuple[int, int]:
    with _lock:
        if not _free:
            _grow()
        slot = _free.pop()
    return slot, _bases[slot >> 12] + (slot & (_PER_CHUNK - 1)) * SLOT


# storage header address -> weak reference to the live Storage that adopted that block (one per
# block: the Storage keeps its block alive, so no other block can have the address meanwhile)
_adopted: dict[int, weakref.ref] = {}


def adopted(addr: int) -> Any:
    """The live Storage that adopted the block whose storage header is at addr, or None."""
    r = _adopted.get(addr)
    return None if r is None else r()


def adopt_block(s: Any, keep: Any, addr: int, capacity: int) -> None:
    """Make storage s (just made, on nothing) the owner of a block of foreign memory at addr: a
    storage header (16 bytes) followed by ``capacity`` elements of s's dtype, the header giving
    the buffer's address and size. ``keep`` is the other runtime's handle of the block: holding
    it keeps the memory alive. s.data becomes the block's buffer itself (no copy), and from now
    on s writes the block's header instead of a slot.
    """
    dtype = s.data.dtype
    # one ctypes array over the whole block: the header's writable bytes, the buffer's base
    # (so every numpy view of the buffer keeps it, and through it the block, alive)
    raw = (ctypes.c_char * (_STORAGE.size + capacity * dtype.itemsize)).from_address(addr)
    p, n = _STORAGE.unpack_from(raw)
    if p == 0:  # a release_foreign interrupted halfway: the block's own values, all of them
        p, n = addr + _STORAGE.size, capacity
    if p != addr + _STORAGE.size or not 0 <= n <= capacity:
        raise ValueError("a foreign storage block whose header points elsewhere")
    raw.keep = keep
    raw.capacity = capacity
    data = np.frombuffer(raw, dtype, int(n), _STORAGE.size)
    setattr_ = object.__setattr__
    setattr_(s, "data", data)
    setattr_(s, "_hown", raw)
    setattr_(s, "_haddr", addr)
    # last: interrupted before this, s dies as a plain storage and the block is as it was
    setattr_(s, "_hslot", FOREIGN)
    _adopted[addr] = weakref.ref(s)


def _storage_at(s: Any) -> tuple[Any, int]:
    """The writable bytes holding storage s's header, and the header's offset in them."""
    slot = s._hslot
    if slot >= 0:
        return _chunks[slot >> 12], (slot & (_PER_CHUNK - 1)) * SLOT
    return s._hown, 0


def invalidate_storage(s: Any) -> None:
    """Before a storage's buffer changes: Lua sees no buffer until it asks again (data_pointer).

    Called before the change, so that an interrupt anywhere leaves a header that sends Lua to
    Python rather than one pointing into a dropped buffer."""
    _STORAGE.pack_into(*_storage_at(s), 0, 0.0)


def release_foreign(s: Any) -> None:
    """An adopted storage dies while Lua may still hold views of its block: give the block its
    values back (the first ``capacity`` of them) and point the header at the block again, so
    that those views never follow a pointer into the buffer Python frees now."""
    raw = s._hown
    addr = s._haddr
    r = _adopted.get(addr)
    if r is not None and r() in (s, None):
        del _adopted[addr]
    data = getattr(s, "data", None)
    n = 0 if data is None else min(int(data.shape[0]), raw.capacity)
    block_data = addr + _STORAGE.size
    if data is not None and data.base is not raw:  # a buffer of Python's own since adoption
        _STORAGE.pack_into(raw, 0, 0, 0.0)  # first: nothing follows a half-copied block
        if n:
            np.copyto(np.frombuffer(raw, data.dtype, n, _STORAGE.size), data[:n], "unsafe")
    _STORAGE.pack_into(raw, 0, block_data, float(n))


def invalidate_tensor(slot: int) -> None:
    """Before a tensor's geometry changes: Lua sends every query to Python until sync_tensor."""
    _DEAD_TENSOR.pack_into(_chunks[slot >> 12], (slot & (_PER_CHUNK - 1)) * SLOT, 0, 0.0, -1, 0)


def attach_storage(s: Any) -> int:
    """Give a storage its header (once) and return the header's address."""
    if s._hslot == -1:
        slot, addr = _alloc()
        s._hslot, s._haddr = slot, addr
        sync_storage(s)
    return s._haddr


def sync_storage(s: Any) -> None:
    """The storage's buffer changed: new size, data pointer to be fetched again."""
    _STORAGE.pack_into(*_storage_at(s), 0, float(s.data.shape[0]))


def data_pointer(s: Any) -> int:
    """Fill in the storage header's data pointer; 0 when Lua must not write the buffer itself."""
    a = s.data
    if a.ndim != 1 or not a.flags.c_contiguous or not a.flags.writeable:
        return 0
    p = a.ctypes.data
    attach_storage(s)
    _STORAGE.pack_into(*_storage_at(s), p, a.shape[0])
    return p


def attach_tensor(t: Any) -> int:
    """Give a tensor its header (once) and return the header's address."""
    if t._hslot < 0:
        slot, addr = _alloc()
        t._hslot, t._haddr = slot, addr
        sync_tensor(t)
    return t._haddr


def sync_tensor(t: Any) -> None:
    """Write the tensor's geometry and storage into its header."""
    slot = t._hslot
    buf, off = _chunks[slot >> 12], (slot & (_PER_CHUNK - 1)) * SLOT
    st = t.storage
    sp = 0 if st is None else (st._haddr if st._hslot != -1 else attach_storage(st))
    size = t.size
    n = len(size)
    if n > MAXDIM:
        _DEAD_TENSOR.pack_into(buf, off, sp, float(t.offset), -1, 0)
    else:
        _TENSOR[n].pack_into(buf, off, sp, float(t.offset), n, 0, *size, *t.stride)


def read_tensor(t: Any) -> tuple[int, float, int, tuple[float, ...], tuple[float, ...]]:
    """The header as Lua sees it (storage address, offset, dim, sizes, strides): for tests."""
    slot = t._hslot
    buf, off = _chunks[slot >> 12], (slot & (_PER_CHUNK - 1)) * SLOT
    sp, offset, dim, _ = _DEAD_TENSOR.unpack_from(buf, off)
    n = max(dim, 0)
    vals = _TENSOR[n].unpack_from(buf, off)[4:]
    return sp, offset, dim, vals[:n], vals[n:]


def check_tensor(t: Any) -> None:
    """Raise AssertionError when an attached tensor's header disagrees with the tensor."""
    if t._hslot < 0:
        return
    sp, offset, dim, size, stride = read_tensor(t)
    st = t.storage
    assert sp == (0 if st is None else st._haddr), "storage pointer"
    assert offset == t.offset, "offset"
    if len(t.size) > MAXDIM:
        assert dim == -1, "dim"
        return
    assert dim == len(t.size), "dim"
    assert size == tuple(float(s) for s in t.size), "size"
    assert stride == tuple(float(s) for s in t.stride), "stride"
    if st is not None:
        p, n = _STORAGE.unpack_from(*_storage_at(st))
        if p != 0:  # 0: invalidated, Lua asks data_pointer before any access
            assert n == st.data.shape[0], "storage size"
            assert p == st.data.ctypes.data, "data pointer"


def read_header_at(addr: int) -> tuple[int, tuple[int, ...], tuple[int, ...]]:
    """(offset, sizes, strides) of the tensor header at addr (a header Lua made for a view)."""
    raw = ctypes.string_at(addr, _TENSOR[MAXDIM].size)
    _, offset, dim, _ = _DEAD_TENSOR.unpack_from(raw)
    if not 0 <= dim <= MAXDIM:
        raise ValueError(f"a view header with {dim} dimensions")
    vals = _TENSOR[dim].unpack_from(raw)[4:]
    return int(offset), tuple(int(v) for v in vals[:dim]), tuple(int(v) for v in vals[dim:])

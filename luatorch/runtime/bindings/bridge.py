"""The Bindings object: one per LuaRuntime, exported to Lua as the table ``py``.

It turns Python tensors and storages into their Lua proxies (``wrap``, through the runtime's
Lua ``make``), keeps them alive while a proxy or lupa wrapper lives (``anchors``), paces Lua's
collector by the memory those proxies hold, fills in the FFI headers LuaJIT reads, and lists
every ``l_*`` method of its concerns (the mixins beside it) and every registered tensor
function in ``exports()``.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from ...tensor import ops as _ops  # noqa: F401  (registers every tensor function)
from ...tensor.core import DTYPES, TTYPE_OF_CODE, AllocationMeter, Storage, Tensor
from ...tensor.dispatch import REGISTRY
from ...tensor.header import (
    FOREIGN,
    adopt_block,
    adopted,
    attach_storage,
    attach_tensor,
    read_header_at,
)
from ...tensor.header import data_pointer as header_data_pointer
from ...tensor.random import Generator
from .arguments import ArgumentsMixin, pynum
from .construction import ConstructionMixin
from .gc_pacing import GC_EVERY_BYTES, PROXY_BYTES, after_collection, after_loading
from .geometry import GeometryMixin
from .operators import OperatorsMixin
from .sampling import SamplingMixin
from .settings import SettingsMixin
from .storages import StorageMixin
from .values import ValuesMixin


def _plain_method(op: Any, wrap: Callable[[Any], Any]) -> Callable[..., Any]:
    return lambda this, *a: wrap(op.call_method(this, a))


def _plain_function(op: Any, wrap: Callable[[Any], Any]) -> Callable[..., Any]:
    return lambda *a: wrap(op.call_function(a))


def _self_method(op: Any, b: Bindings) -> Callable[..., Any]:
    """A method binding for extra.lua's fast path: None when the result is self (Lua returns
    its own proxy), ``(tensor, code, id)`` for one tensor (Lua makes the proxy itself: cheaper
    than calling back into Lua from here), anything else wrapped as usual."""
    call = op.call_method
    wrap = b.wrap
    collect = b.collect_garbage
    anchors = b.anchors

    def method(this: Any, *a: Any) -> Any:
        r = call(this, a)
        if r is this:
            return None
        if r.__class__ is Tensor:
            if AllocationMeter.allocated > GC_EVERY_BYTES:
                collect()
            AllocationMeter.allocated += PROXY_BYTES
            anchors[id(r)] = r
            return r, r.code, id(r), attach_tensor(r)
        return wrap(r)

    return method


def _fast_function(op: Any, b: Bindings) -> Callable[..., Any]:
    """The function form with the same ``(tensor, code, id)`` protocol as _self_method."""
    call = op.call_function
    wrap = b.wrap
    collect = b.collect_garbage
    anchors = b.anchors

    def function(*a: Any) -> Any:
        r = call(a)
        if r.__class__ is Tensor:
            if AllocationMeter.allocated > GC_EVERY_BYTES:
                collect()
            AllocationMeter.allocated += PROXY_BYTES
            anchors[id(r)] = r
            return r, r.code, id(r), attach_tensor(r)
        return wrap(r)

    return function


class Bindings(
    ArgumentsMixin,
    ConstructionMixin,
    GeometryMixin,
    ValuesMixin,
    OperatorsMixin,
    SamplingMixin,
    StorageMixin,
    SettingsMixin,
):
    """Functions exported to Lua as the table ``py``: the ``l_*`` methods of every concern
    (the mixins above, one file each) and every registered tensor function.
    """

    def __init__(self, lua: Any) -> None:
        self.lua = lua
        self.make: Callable[..., Any] | None = None  # set by init.lua through set_make
        self.unwrap_table: Callable[..., Any] | None = None
        self.default_type = "Double"
        self._collect: Callable[[], Any] | None = None
        self._tonumber: Callable[[Any], Any] | None = None
        # every tensor/storage with a live Lua proxy or lupa wrapper, by id: see make() in
        # lua/torch/init.lua
        self.anchors: dict[int, Any] = {}
        # this runtime's default generator, as each Torch7 lua_State has its own: seeding one
        # runtime never moves another's stream (kernels reach it as random.default_generator
        # while the runtime runs, see Runtime.call)
        self.generator = Generator()
        self.num_threads: int | None = None  # torch.setnumthreads, per runtime

    def l_set_make(self, make: Any, unwrap: Any) -> None:
        self.make = make
        self.unwrap_table = unwrap

    def l_make_function(self) -> Any:
        return self.make

    def wrap(self, v: Any) -> Any:
        if isinstance(v, (Tensor, Storage)):
            if AllocationMeter.allocated > GC_EVERY_BYTES:
                self.collect_garbage()
            AllocationMeter.allocated += PROXY_BYTES
            self.anchors[id(v)] = v
            if v.__class__ is Tensor:
                return self.make(v, v.code, id(v), attach_tensor(v))
            return self.make(v, v.code, id(v))
        if isinstance(v, tuple):
            return tuple(self.wrap(x) for x in v)
        if isinstance(v, np.generic):
            return pynum(v)
        return v

    def l_release_anchors(self, ids: str) -> None:
        """Drop the anchors of objects whose last Lua proxy and lupa wrapper were collected."""
        anchors = self.anchors
        for i in ids.split():
            anchors.pop(int(i), None)

    def l_unreferenced(self, objs: Any, n: Any, count: Any = None) -> Any:
        """The positions in ``objs`` (a Lua array of n wrapped objects) of the objects that
        nothing in Python references but lupa's own reference and our anchor: Lua may let go
        of their wrappers, as no Python code can hand them to Lua again (see init.lua).

        ``count`` is Lua's table of live holders by id: an anchored object with holders keeps
        its anchor and its wrapper. Lua passes a wrapper here when it has no id recorded for it
        (or its id has no holders), and the object may still have a live proxy through another
        wrapper of it (lupa makes a second one when the first was dropped from its table): the
        anchor is then all that keeps the object alive under that proxy, and dropping it let
        the object die while Lua still pointed at it (its address and header slot reused by the
        next tensor: a wrong object)."""
        anchors = self.anchors
        getrefcount = sys.getrefcount
        free = []
        for i in range(1, int(n) + 1):
            o = objs[i]
            # lupa's reference, `o`, and getrefcount's argument: 3
            anchored = anchors.get(id(o)) is o
            if anchored and count is not None and count[id(o)] is not None:
                continue
            if getrefcount(o) <= 3 + anchored:
                free.append(i)
                if anchored:  # lupa's reference keeps it until the wrapper's finalizer
                    del anchors[id(o)]
        return self.lua.table_from(free)

    def after_loading(self) -> None:
        """Free heap pages that loading code left go back to the system (gc_pacing)."""
        after_loading()

    def collect_garbage(self) -> None:
        """A full Lua collection, so that dropped proxies release their numpy buffers."""
        AllocationMeter.allocated = 0
        if self._collect is None:
            self._collect = self.lua.eval("function() collectgarbage('collect') end")
        self._collect()
        after_collection()

    def exports(self) -> dict[str, Callable[..., Any]]:
        out: dict[str, Callable[..., Any]] = {}
        for name in dir(self):
            if name.startswith("l_"):
                out[name[2:]] = getattr(self, name)
        wrap = self.wrap
        for name, op in REGISTRY.items():
            out["m_" + name] = _plain_method(op, wrap)
            out["f_" + name] = _plain_function(op, wrap)
            out["mi_" + name] = _self_method(op, self)
            out["fx_" + name] = _fast_function(op, self)
        return out

    def l_pointer(self, v: Any) -> int:
        """torch.pointer: the object's identity for as long as it lives, as TH's address. A
        storage adopting a block of Lua memory is one of many Python objects that may stand
        for that block over its life (each dies with its last proxy), and the next may be
        made at the address of another block's: the block's own address is what stays."""
        if v.__class__ is Storage and v._hslot == FOREIGN:
            return v._haddr
        return id(v)

    def l_storage_of(self, t: Tensor) -> tuple[Storage, int, int, int] | None:
        """t's storage for a view made in Lua, which holds a proxy of it: (storage, type code,
        id, address of its header) for Lua's make, as _self_method's protocol."""
        st = t.storage if isinstance(t, Tensor) else None
        if st is None:
            return None
        self.anchors[id(st)] = st
        return st, st.code, id(st), attach_storage(st)

    def l_view_from_header(self, st: Storage, code: int, addr: int) -> tuple[Tensor, int, int]:
        """The Python tensor of a view made in Lua: its geometry read from the header at addr
        (Lua's own, alive during this call); returns (tensor, id, address of its header)."""
        offset, size, stride = read_header_at(addr)
        t = Tensor(TTYPE_OF_CODE[code], st, offset, size, stride)
        self.anchors[id(t)] = t
        return t, id(t), attach_tensor(t)

    def l_born_view(
        self, block: Any, saddr: int, capacity: int, code: int, haddr: int
    ) -> tuple[Tensor, int, int]:
        """The Python tensor of a tensor Lua made on a storage Lua made: a block of Lua memory
        (``block``, Lua's handle of it) holding the storage header at saddr and capacity
        elements after it. The block is adopted by one Storage, made on first need, that wraps
        its memory without copying (tensor/header.py's adopt_block); the tensor's geometry is
        read from the header at haddr. Returns (tensor, id, address of its header) as
        l_view_from_header."""
        if AllocationMeter.allocated > GC_EVERY_BYTES:
            self.collect_garbage()
        ttype = TTYPE_OF_CODE[code]
        st = self._adopted(block, saddr, capacity, ttype)
        offset, size, stride = read_header_at(haddr)
        t = Tensor(ttype, st, offset, size, stride)
        # the Python objects made here are what Lua's collector cannot see (gc_pacing)
        AllocationMeter.allocated += PROXY_BYTES
        self.anchors[id(t)] = t
        return t, id(t), attach_tensor(t)

    def l_born_copy(
        self, code: int, daddr: int, n: int, haddr: int, *size: int
    ) -> tuple[Tensor, int, int]:
        """The Python tensor of a tensor Lua made whose block nothing else points at: its n
        values, at daddr, copied into a storage of Python's own (Lua drops the block); its
        geometry is ``size`` (contiguous, offset 0) when given, else read from the header at
        haddr. Returns as l_view_from_header."""
        if AllocationMeter.allocated > GC_EVERY_BYTES:
            self.collect_garbage()
        ttype = TTYPE_OF_CODE[code]
        dtype = DTYPES[ttype]
        n = int(n)
        src = (ctypes.c_char * (n * dtype.itemsize)).from_address(int(daddr))
        st = Storage(ttype, np.frombuffer(src, dtype, n).copy())
        if size:
            t = Tensor(ttype, st, 0, size)
        else:
            offset, shape, stride = read_header_at(haddr)
            t = Tensor(ttype, st, offset, shape, stride)
        AllocationMeter.allocated += PROXY_BYTES
        self.anchors[id(t)] = t
        return t, id(t), attach_tensor(t)

    def l_born_storage(
        self, block: Any, saddr: int, capacity: int, code: int
    ) -> tuple[Storage, int]:
        """The Python storage of a block of Lua memory (see l_born_view) for its storage proxy
        made in Lua: (storage, id)."""
        if AllocationMeter.allocated > GC_EVERY_BYTES:
            self.collect_garbage()
        st = self._adopted(block, saddr, capacity, TTYPE_OF_CODE[code])
        AllocationMeter.allocated += PROXY_BYTES
        self.anchors[id(st)] = st
        return st, id(st)

    @staticmethod
    def _adopted(block: Any, saddr: int, capacity: int, ttype: str) -> Storage:
        """The Storage of a block of Lua memory: the live one, else a new one adopting it."""
        saddr = int(saddr)
        st = adopted(saddr)
        if st is None:
            st = Storage(ttype)
            adopt_block(st, block, saddr, int(capacity))
        return st

    def l_new_storage_for(
        self, code: int, n: int, want_data: bool
    ) -> tuple[Storage, int, int, int]:
        """A zeroed storage of n elements for a tensor Lua makes itself: (storage, type code,
        id, address of its header); with want_data, the header's data pointer is filled in."""
        if AllocationMeter.allocated > GC_EVERY_BYTES:
            self.collect_garbage()
        st = Storage(TTYPE_OF_CODE[code], size=int(n))
        AllocationMeter.allocated += PROXY_BYTES
        self.anchors[id(st)] = st
        addr = attach_storage(st)
        if want_data:
            header_data_pointer(st)
        return st, st.code, id(st), addr

    def l_header_data(self, t: Tensor) -> int:
        """Fill in the data pointer of t's storage header (Lua reads it next); 0: use Python."""
        st = t.storage
        return 0 if st is None else header_data_pointer(st)

    def l_data_pointer(self, t: Tensor) -> int:
        return int(t.arr.ctypes.data) if t.size else 0

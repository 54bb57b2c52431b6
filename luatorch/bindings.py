"""The Python side of the Lua tensor API.

Lua unwraps proxies before calling in (tensors arrive as ``Tensor``, storages as ``Storage``) and
every tensor or storage going back out is turned into its Lua proxy by ``wrap``, which calls the
runtime's Lua ``make`` function. One Bindings object serves one LuaRuntime.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from lupa import luajit21

from .tensor import math as tmath
from .tensor import ops as _ops  # noqa: F401  (registers every tensor function)
from .tensor import printing
from .tensor.core import (
    DTYPES,
    FLOAT_TYPES,
    TTYPE_OF_CODE,
    TYPE_NAMES,
    TYPE_OF_DTYPE,
    AllocationMeter,
    Storage,
    Tensor,
    TorchError,
    canonical_type,
    cast_copy,
    check_in_storage,
    contiguous_strides,
    new_tensor,
    same_type,
    tensor_from_array,
)
from .tensor.dispatch import REGISTRY, describe_args
from .tensor.header import attach_storage, attach_tensor, read_header_at
from .tensor.header import data_pointer as header_data_pointer
from .tensor.indexing import masked_copy, masked_fill, masked_select
from .tensor.random import Generator

lua_type = luajit21.lua_type

# Lua cannot see the size of the numpy buffers its proxies keep alive: collect after this much.
# Small enough that freed buffers are reused: past ~128 MB of dead arrays glibc gives the memory
# back to the OS and every new array page-faults afresh (measured: `x + y` at 1M elements took
# 14-18 ms at 256 MB, 0.5 ms at 64 MB; numpy alone 0.3 ms).
GC_EVERY_BYTES = 64 * 2**20
# Lua's collector paces itself on Lua's bytes: a tensor's proxy is a few dozen, while what it
# keeps alive in Python (Tensor, Storage, numpy header, lupa's wrapper) is about a kilobyte.
# Unpaid, that let a loop of small temporaries grow the process by hundreds of MB (issue 16).
# Each proxy handed to Lua counts this much toward the collection above: one runs at least
# every 16k proxies, whatever their numpy sizes.
PROXY_BYTES = 4096


def is_table(v: Any) -> bool:
    return lua_type(v) == "table"


def _sz(size: tuple[int, ...]) -> str:
    return "x".join(str(s) for s in size)


def pynum(v: Any) -> float | int:
    """numpy scalars must leave as Python numbers (they would arrive in Lua as userdata)."""
    if isinstance(v, np.floating):
        return float(v)
    if isinstance(v, (np.integer, np.bool_)):
        return int(v)
    return v


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


def _split_gen(g: Generator, args: tuple, n: int | None = None) -> tuple[Generator, Any]:
    """A leading Generator (else g, the runtime's default) and the rest (padded to n)."""
    if args and isinstance(args[0], Generator):
        g, args = args[0], args[1:]
    if n is None:
        return g, args
    if len(args) > n:
        raise TorchError("invalid arguments: too many arguments")
    return g, tuple(args) + (None,) * (n - len(args))


# THTensor_(random) with no bounds: a 32-bit word modulo these
_RANDOM_MOD = {
    "Byte": 256,
    "Char": 128,
    "Short": 32768,
    "Int": 2**31,
    "Long": 2**63,
    "Float": 2**24 + 1,
    "Double": 2**53 + 1,
}


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


def alias_draw(g: Generator, count: int, jj: np.ndarray, q: np.ndarray) -> np.ndarray:
    """THTensor_(multinomialAliasDraw) as Lua sees it.

    TH draws two uniforms per sample, in order: the bucket ``(long) (u * K)``, then the
    Bernoulli ``u <= q[bucket]`` that keeps the bucket (returned 1-based) or takes its alias.
    An alias comes back as TH's 0-based J entry (cwrap's -1 on J in, +1 on the output cancel
    out), one less than the class it names: Torch7 does so. The same stream is drawn here in
    blocks, two words per sample.
    """
    k = jj.shape[0]
    out = np.empty(count, dtype=np.int64)
    qd = q.astype(np.float64)
    block = 1 << 20
    for start in range(0, count, block):
        n = min(block, count - start)
        u = g.uniform_array(2 * n).reshape(n, 2)
        r = (u[:, 0] * k).astype(np.int64)
        keep = u[:, 1] <= qd[r]
        out[start : start + n] = np.where(keep, r + 1, jj[r] - 1)
    return out


class Bindings:
    """Functions exported to Lua as the table ``py``."""

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

    # ------------------------------------------------------------------ proxies
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

    def l_unreferenced(self, objs: Any, n: Any) -> Any:
        """The positions in ``objs`` (a Lua array of n wrapped objects) of the objects that
        nothing in Python references but lupa's own reference and our anchor: Lua may let go
        of their wrappers, as no Python code can hand them to Lua again (see init.lua)."""
        anchors = self.anchors
        getrefcount = sys.getrefcount
        free = []
        for i in range(1, int(n) + 1):
            o = objs[i]
            # lupa's reference, `o`, and getrefcount's argument: 3
            anchored = anchors.get(id(o)) is o
            if getrefcount(o) <= 3 + anchored:
                free.append(i)
                if anchored:  # lupa's reference keeps it until the wrapper's finalizer
                    del anchors[id(o)]
        return self.lua.table_from(free)

    def collect_garbage(self) -> None:
        """A full Lua collection, so that dropped proxies release their numpy buffers."""
        AllocationMeter.allocated = 0
        if self._collect is None:
            self._collect = self.lua.eval("function() collectgarbage('collect') end")
        self._collect()

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

    # ------------------------------------------------------------ argument helpers
    def sizes_from(self, args: tuple, fname: str) -> tuple[int, ...]:
        """Sizes given as numbers, a LongStorage or a table of numbers."""
        if len(args) == 1 and isinstance(args[0], Storage):
            return tuple(int(x) for x in args[0].data)
        if len(args) == 1 and is_table(args[0]):
            return tuple(int(args[0][i]) for i in range(1, len(args[0]) + 1))
        out = []
        for i, a in enumerate(args):
            if type(a) not in (int, float):
                raise TorchError(f"bad argument #{i + 1} to '{fname}' (number expected)")
            out.append(int(a))
        return tuple(out)

    def lua_number(self, v: Any) -> float | int | None:
        """v as lua_tonumber reads it (numeric strings such as '2.5' or '0x10' included:
        Torch's table constructors accept what CSV readers produce), None if not a number."""
        if type(v) is int or type(v) is float:
            return v
        if type(v) is str or type(v) is bytes:
            if self._tonumber is None:
                self._tonumber = self.lua.eval("tonumber")
            return self._tonumber(v)
        return None

    def table_values(self, tbl: Any) -> tuple[np.ndarray, tuple[int, ...]]:
        """A nested Lua table of numbers as a flat float64 array and its shape."""
        shape: list[int] = []
        flat: list[float] = []

        def walk(t: Any, depth: int) -> None:
            n = len(t)
            if depth == len(shape):
                shape.append(n)
            elif shape[depth] != n:
                raise TorchError("inconsistent tensor size")
            for i in range(1, n + 1):
                v = t[i]
                if is_table(v):
                    walk(v, depth + 1)
                else:
                    x = self.lua_number(v)
                    if x is None:
                        raise TorchError("invalid element (not a number)")
                    if depth + 1 != len(shape):
                        raise TorchError("inconsistent tensor size")
                    flat.append(x)

        walk(tbl, 0)
        if not flat:
            return np.empty(0), ()
        return np.array(flat, dtype=np.float64), tuple(shape)

    # --------------------------------------------------------------- construction
    def l_new_tensor(self, ttype: str, *args: Any) -> Any:
        return self.wrap(self.construct(canonical_type(ttype), args))

    def construct(self, ttype: str, args: tuple) -> Tensor:
        if not args:
            return Tensor(ttype)
        a0 = args[0]
        if isinstance(a0, Tensor):
            if a0.ttype != ttype:
                raise TorchError(
                    f"bad argument #1 to 'torch.{ttype}Tensor' (expected torch.{ttype}Tensor)"
                )
            return Tensor(ttype, a0.storage, a0.offset, a0.size, a0.stride)
        if isinstance(a0, Storage) and (a0.ttype == ttype or a0.ttype != "Long"):
            if a0.ttype != ttype:
                raise TorchError(
                    f"bad argument #1 to 'torch.{ttype}Tensor' (expected torch.{ttype}Storage)"
                )
            offset = int(args[1]) - 1 if len(args) > 1 else 0
            if len(args) <= 2:
                size = (a0.size() - offset,) if a0.size() - offset > 0 else ()
                return Tensor(ttype, a0, offset, size)
            if isinstance(args[2], Storage):
                size = tuple(int(x) for x in args[2].data)
                stride = (
                    tuple(int(x) for x in args[3].data)
                    if len(args) > 3 and isinstance(args[3], Storage)
                    else None
                )
            else:
                rest = [int(x) for x in args[2:]]
                size = tuple(rest[0::2])
                stride = tuple(rest[1::2]) if len(rest) > 1 else None
                if stride is not None and len(stride) < len(size):
                    stride = None
            t = Tensor(ttype, a0, offset, size, stride)
            self._check_in_storage(t)
            return t
        if (
            is_table(a0)
            and len(args) == 1
            and len(a0) > 0
            and is_table(a0[1])
            or (
                is_table(a0)
                and len(args) == 1
                and len(a0) > 0
                and type(a0[1]) in (int, float, str, bytes)
            )
        ):
            flat, shape = self.table_values(a0)
            return tensor_from_array(flat.reshape(shape), ttype) if shape else Tensor(ttype)
        if is_table(a0) and len(args) == 1 and len(a0) == 0:
            return Tensor(ttype)
        stride = None
        if len(args) == 2 and isinstance(args[1], Storage):
            stride = tuple(int(x) for x in args[1].data)
            args = args[:1]
        size = self.sizes_from(args, f"torch.{ttype}Tensor")
        t = Tensor(ttype)
        if stride is None:
            t.resize(size)
        else:
            n = 1 + sum((s - 1) * st for s, st in zip(size, stride, strict=False)) if size else 0
            t.set(Storage(ttype, size=n), 0, size, stride)
        return t

    def _check_in_storage(self, t: Tensor) -> None:
        if any(s < 0 for s in t.size):
            raise TorchError("invalid size: negative dimension")
        if not t.size or 0 in t.size:
            return
        check_in_storage(t.offset, t.size, t.stride, t.storage.size())

    def l_new_storage(self, ttype: str, *args: Any) -> Any:
        ttype = canonical_type(ttype)
        if not args:
            return self.wrap(Storage(ttype))
        a0 = args[0]
        if is_table(a0):
            vals = []
            for i in range(1, len(a0) + 1):
                v = self.lua_number(a0[i])
                if v is None:
                    raise TorchError(f"element at index {i} is not a number")
                vals.append(v)
            data = np.array(vals, dtype=np.float64)
            return self.wrap(
                Storage(ttype, np.array([tmath.real(ttype, v) for v in data], dtype=DTYPES[ttype]))
            )
        if isinstance(a0, Storage):
            offset = int(args[1]) - 1 if len(args) > 1 else 0
            n = int(args[2]) if len(args) > 2 else a0.size() - offset
            return self.wrap(Storage(ttype, a0.data[offset : offset + n]))
        if type(a0) in (int, float):
            s = Storage(ttype, size=int(a0))
            if len(args) > 1:
                s.data[:] = tmath.real(ttype, args[1])
            return self.wrap(s)
        raise TorchError(f"bad argument #1 to 'torch.{ttype}Storage' (number or table expected)")

    # ---------------------------------------------------------------- geometry
    def l_size(self, t: Tensor, d: Any = None) -> Any:
        if d is None:
            return self.wrap(Storage("Long", np.array(t.size, dtype=np.int64)))
        d = int(d)
        if not 1 <= d <= len(t.size):
            raise TorchError(
                f"bad argument #2 to 'size' (dimension {d} out of range of {len(t.size)}D tensor)"
            )
        return t.size[d - 1]

    def l_stride(self, t: Tensor, d: Any = None) -> Any:
        if d is None:
            return self.wrap(Storage("Long", np.array(t.stride, dtype=np.int64)))
        d = int(d)
        if not 1 <= d <= len(t.size):
            raise TorchError(
                f"bad argument #2 to 'stride' (dimension {d} out of range of {len(t.size)}D tensor)"
            )
        return t.stride[d - 1]

    def l_elementSize(self, t: Any) -> int:
        return DTYPES[t.ttype].itemsize

    def l_isSize(self, t: Tensor, size: Any) -> bool:
        if isinstance(size, Storage):
            return t.size == tuple(int(x) for x in size.data)
        if is_table(size):
            return t.size == tuple(int(size[i]) for i in range(1, len(size) + 1))
        raise TorchError("bad argument #1 to 'isSize' (torch.LongStorage expected)")

    def l_dim(self, t: Tensor) -> int:
        return len(t.size)

    def l_nElement(self, t: Tensor) -> int:
        return t.nelement()

    def l_storage(self, t: Tensor) -> Any:
        return self.wrap(t.storage)

    def l_storageOffset(self, t: Tensor) -> int:
        return t.offset + 1

    def l_isContiguous(self, t: Tensor) -> bool:
        return t.is_contiguous()

    def l_contiguous(self, t: Tensor) -> Any:
        return self.wrap(t.contiguous())

    def l_clone(self, t: Tensor) -> Any:
        return self.wrap(t.clone())

    def l_resize(self, t: Tensor, *args: Any) -> Any:
        if not args:
            raise TorchError("bad argument #1 to 'resize' (number or LongStorage expected)")
        t.resize(self.sizes_from(args, "resize"))
        return self.wrap(t)

    def l_resizeAs(self, t: Tensor, src: Tensor) -> Any:
        if not isinstance(src, Tensor):
            raise TorchError("bad argument #2 to 'resizeAs' (torch.*Tensor expected)")
        if t.size != src.size:
            t.resize(src.size)
        return self.wrap(t)

    def l_set(self, t: Tensor, *args: Any) -> Any:
        if not args:
            t.set(None, 0, ())
        elif isinstance(args[0], Tensor):
            s = args[0]
            t.set(s.storage, s.offset, s.size, s.stride)
        elif isinstance(args[0], Storage):
            src = self.construct(t.ttype, args)
            t.set(src.storage, src.offset, src.size, src.stride)
        else:
            raise TorchError("bad argument #1 to 'set' (tensor or storage expected)")
        return self.wrap(t)

    def l_isSetTo(self, t: Tensor, s: Tensor) -> bool:
        return (
            t.storage is s.storage
            and t.storage is not None
            and t.offset == s.offset
            and t.size == s.size
            and t.stride == s.stride
        )

    def l_isSameSizeAs(self, t: Tensor, s: Tensor) -> bool:
        return t.size == s.size

    def l_view(self, t: Tensor, *args: Any) -> Any:
        """t:view(sizes...), t:view(template) and the result form res:view(src, sizes...)."""
        res = None
        if len(args) >= 2 and isinstance(args[0], Tensor):
            res, t, args = t, args[0], args[1:]
            if isinstance(args[0], Tensor):  # res:viewAs(src, template)
                args = (Storage("Long", np.array(args[0].size, dtype=np.int64)),)
        if args and isinstance(args[0], Tensor):
            size = args[0].size
        else:
            size = list(self.sizes_from(args, "view"))
        if not t.is_contiguous():
            raise TorchError("expecting a contiguous tensor")
        n = t.nelement()
        size = list(size)
        if -1 in size:
            known = 1
            for s in size:
                if s != -1:
                    known *= s
            if size.count(-1) > 1 or known == 0 or n % known:
                raise TorchError("size mismatch: can't infer dimension")
            size[size.index(-1)] = n // known
        m = 1
        for s in size:
            m *= s
        if m != n:
            raise TorchError(
                f"Wrong size for view. Input size: {_sz(t.size)}. Output size: {_sz(tuple(size))}"
            )
        if res is None:
            return self.wrap(Tensor(t.ttype, t.storage, t.offset, tuple(size)))
        res.set(t.storage, t.offset, tuple(size))
        return self.wrap(res)

    def l_reshape(self, *args: Any) -> Any:
        src = args[0]
        rest = args[1:]
        res = None
        if rest and isinstance(rest[0], Tensor):
            res, src, rest = src, rest[0], rest[1:]
        size = self.sizes_from(rest, "reshape")
        n = 1
        for s in size:
            n *= s
        if n != src.nelement():
            raise TorchError("size mismatch")
        out = tensor_from_array(src.arr.reshape(size), src.ttype)
        if res is not None:
            res.set(out.storage, 0, out.size)
            return self.wrap(res)
        return self.wrap(out)

    def l_narrow(self, t: Tensor, d: Any, first: Any, length: Any) -> Any:
        d0 = t.check_dim(int(d), 2, "narrow")
        first, length = int(first), int(length)
        if first < 1 or length < 1 or first - 1 + length > t.size[d0]:
            raise TorchError("bad argument #3 to 'narrow' (out of range)")
        return self.wrap(t.narrow(d0, first - 1, length))

    def l_select(self, t: Tensor, d: Any, i: Any) -> Any:
        if t.dim() <= 1:
            # Torch reads a vector's element (get1d), whatever the dimension given
            if t.dim() == 0:
                raise TorchError("bad argument #1 to 'select' (empty Tensor)")
            i = int(i)
            if not 1 <= i <= t.size[0]:
                raise TorchError("bad argument #2 to 'select' (out of range)")
            return pynum(t.storage.data[t.offset + (i - 1) * t.stride[0]])
        d0 = t.check_dim(int(d), 2, "select")
        i = int(i)
        if i < 0:
            i = t.size[d0] + i + 1
        if not 1 <= i <= t.size[d0]:
            raise TorchError("bad argument #3 to 'select' (out of range)")
        return self.wrap(t.select(d0, i - 1))

    def l_sub(self, t: Tensor, *args: Any) -> Any:
        if len(args) > 2 * t.dim() or len(args) % 2:
            raise TorchError("bad argument to 'sub'")
        v = t
        for k in range(len(args) // 2):
            lo, hi = int(args[2 * k]), int(args[2 * k + 1])
            n = t.size[k]
            lo = lo + n + 1 if lo < 0 else lo
            hi = hi + n + 1 if hi < 0 else hi
            if not (1 <= lo <= hi <= n):
                raise TorchError(f"bad argument #{2 * k + 2} to 'sub' (out of range)")
            v = v.narrow(k, lo - 1, hi - lo + 1)
        return self.wrap(v)

    def l_transpose(self, t: Tensor, d1: Any, d2: Any) -> Any:
        a = t.check_dim(int(d1), 2, "transpose")
        b = t.check_dim(int(d2), 3, "transpose")
        return self.wrap(t.transpose(a, b))

    def l_t(self, t: Tensor) -> Any:
        if t.dim() != 2:
            raise TorchError("t() expects a 2D tensor")
        return self.wrap(t.transpose(0, 1))

    def l_permute(self, t: Tensor, *dims: Any) -> Any:
        d = [int(x) - 1 for x in dims]
        if sorted(d) != list(range(t.dim())):
            raise TorchError("bad argument to 'permute' (invalid permutation)")
        return self.wrap(
            t.view_of(t.offset, tuple(t.size[i] for i in d), tuple(t.stride[i] for i in d))
        )

    def l_unfold(self, t: Tensor, d: Any, size: Any, step: Any) -> Any:
        d0 = t.check_dim(int(d), 2, "unfold") if t.dim() else 0
        size, step = int(size), int(step)
        if size > t.size[d0] or size < 0 or step <= 0:
            raise TorchError("bad argument to 'unfold' (out of range)")
        n = (t.size[d0] - size) // step + 1
        nsize = t.size[:d0] + (n,) + t.size[d0 + 1 :] + (size,)
        nstride = t.stride[:d0] + (t.stride[d0] * step,) + t.stride[d0 + 1 :] + (t.stride[d0],)
        return self.wrap(t.view_of(t.offset, nsize, nstride))

    def l_expand(self, t: Tensor, *args: Any) -> Any:
        """t:expand(sizes...), t:expand(template) and res:expand(src, sizes...)."""
        res = None
        if len(args) >= 2 and isinstance(args[0], Tensor):
            res, t, args = t, args[0], args[1:]
        size = (
            self.sizes_from(args, "expand")
            if not (args and isinstance(args[0], Tensor))
            else args[0].size
        )
        if len(size) != t.dim():
            raise TorchError("the number of dimensions provided must equal tensor:dim()")
        if any(s < 0 for s in size):
            raise TorchError("bad argument #1 to 'expand' (invalid size: negative dimension)")
        stride = []
        for s, ts, st in zip(size, t.size, t.stride, strict=True):
            if ts == s:
                stride.append(st)
            elif ts == 1:
                stride.append(0)
            else:
                raise TorchError("incorrect size: only supporting singleton expansion (size=1)")
        if res is None:
            return self.wrap(t.view_of(t.offset, tuple(size), tuple(stride)))
        res.set(t.storage, t.offset, tuple(size), tuple(stride))
        return self.wrap(res)

    def l_squeeze(self, t: Tensor, d: Any = None) -> Any:
        """A view without size-1 dimensions. As Torch's cwrap, a result with one element is
        returned as a number (for squeeze(dim), only when the source was a vector)."""
        if d is None:
            keep = [i for i, s in enumerate(t.size) if s != 1]
            if not keep and t.size:
                return pynum(t.storage.data[t.offset])
        else:
            d0 = t.check_dim(int(d), 2, "squeeze")
            keep = [i for i in range(t.dim()) if i != d0 or t.size[i] != 1 or t.dim() == 1]
            if t.dim() == 1 and t.size[0] == 1:
                return pynum(t.storage.data[t.offset])
        return self.wrap(
            t.view_of(t.offset, tuple(t.size[i] for i in keep), tuple(t.stride[i] for i in keep))
        )

    def l_unsqueeze(self, t: Tensor, d: Any) -> Any:
        d0 = int(d) - 1
        if not 0 <= d0 <= t.dim():
            raise TorchError("bad argument #2 to 'unsqueeze' (out of range)")
        st = t.stride[d0] * t.size[d0] if d0 < t.dim() else 1
        return self.wrap(
            t.view_of(
                t.offset, t.size[:d0] + (1,) + t.size[d0:], t.stride[:d0] + (st,) + t.stride[d0:]
            )
        )

    # ------------------------------------------------------------------- values
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
            raise TorchError("bad argument #1 to '__index' (empty tensor)")
        i = int(i)
        n = size[0]
        if i < 0:
            i += n + 1
        if not 1 <= i <= n:
            raise TorchError("bad argument #2 to '__index' (out of range)")
        if len(size) == 1:
            return pynum(t.storage.data[t.offset + (i - 1) * t.stride[0]])
        return self.wrap(t.select(0, i - 1))

    def l_newindex_number(self, t: Tensor, i: Any, v: Any) -> None:
        size = t.size
        if not size:
            raise TorchError("bad argument #1 to '__newindex' (empty tensor)")
        i = int(i)
        n = size[0]
        if i < 0:
            i += n + 1
        if not 1 <= i <= n:
            raise TorchError("bad argument #2 to '__newindex' (out of range)")
        tv = type(v)
        if tv is float or tv is int:
            if len(size) == 1:
                t.storage.data[t.offset + (i - 1) * t.stride[0]] = tmath.real(t.ttype, v)
            else:
                tmath.fill(t.select(0, i - 1), v)
        elif tv is Tensor:
            tmath.copy(t.narrow(0, i - 1, 1), v)
        else:
            raise TorchError("bad argument #3 to '__newindex' (number or tensor expected)")

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
                raise TorchError("bad argument #2 to '__index' (torch.ByteTensor expected)")
            return self.wrap(masked_select(new_tensor(t.ttype), t, key))
        if isinstance(key, Storage):
            if key.ttype != "Long":
                raise TorchError("bad argument #2 to '__index' (torch.LongStorage expected)")
            return pynum(t.storage.data[self._storage_key(t, key, "__index")])
        if not is_table(key):
            raise TorchError("bad argument #2 to '__index' (number or table expected)")
        v, pos = self._walk_key(t, key, "__index")
        if pos is not None:
            return pynum(t.storage.data[pos])
        return self.wrap(v)

    def l_newindex_table(self, t: Tensor, key: Any, value: Any) -> None:
        tv = type(value)
        isnum = tv is int or tv is float
        if not isnum and tv is not Tensor:
            raise TorchError("bad argument #3 to '__newindex' (number or tensor expected)")
        if isinstance(key, Tensor):
            if key.ttype != "Byte":
                raise TorchError("bad argument #2 to '__newindex' (torch.ByteTensor expected)")
            if isnum:
                masked_fill(t, key, value)
            else:
                masked_copy(t, key, value)
            return
        if isinstance(key, Storage):
            pos = self._storage_key(t, key, "__newindex")
            if not isnum:
                raise TorchError("bad argument #3 to '__newindex' (number expected)")
            t.storage.data[pos] = tmath.real(t.ttype, value)
            return
        if not is_table(key):
            raise TorchError("bad argument #2 to '__newindex' (number or table expected)")
        v, pos = self._walk_key(t, key, "__newindex")
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

    # --------------------------------------------------------------- operators
    def l_op_add(self, a: Any, b: Any) -> Any:
        return self.wrap(_arith(a, b, "add"))

    def l_op_sub(self, a: Any, b: Any) -> Any:
        return self.wrap(_arith(a, b, "sub"))

    def l_op_mul(self, a: Any, b: Any) -> Any:
        return self.wrap(_op_mul(a, b))

    def l_op_div(self, a: Any, b: Any) -> Any:
        return self.wrap(_op_div(a, b))

    def l_op_mod(self, a: Any, b: Any) -> Any:
        return self.wrap(_op_mod(a, b))

    def l_op_unm(self, a: Tensor) -> Any:
        return self.wrap(REGISTRY["mul"].call_function((a, -1)))

    def l_opx(self, name: str) -> Callable[..., Any]:
        """The operator ``name`` with extra.lua's (tensor, code, id) protocol."""
        f = {
            "add": lambda a, b: _arith(a, b, "add"),
            "sub": lambda a, b: _arith(a, b, "sub"),
            "mul": _op_mul,
            "div": _op_div,
            "mod": _op_mod,
            "unm": lambda a, _b=None: REGISTRY["mul"].call_function((a, -1)),
        }[name]

        def op(a: Any, b: Any = None) -> Any:
            r = f(a, b)
            if r.__class__ is Tensor:
                if AllocationMeter.allocated > GC_EVERY_BYTES:
                    self.collect_garbage()
                AllocationMeter.allocated += PROXY_BYTES
                self.anchors[id(r)] = r
                return r, r.code, id(r), attach_tensor(r)
            return r

        return op

    # ---------------------------------------------------------------- random
    # A torch.Generator reaches Python as its random.Generator (extra.lua unwraps it); every
    # random function takes one as an optional first argument, as Torch's cwrap does.
    def l_new_generator(self) -> Generator:
        return Generator()

    def l_manualSeed(self, *a: Any) -> None:
        g, a = _split_gen(self.generator, a)
        if len(a) != 1 or type(a[0]) not in (int, float):
            raise TorchError("bad argument #1 to 'manualSeed' (number expected)")
        g.manual_seed(int(a[0]))

    def l_seed(self, *a: Any) -> int:
        return _split_gen(self.generator, a)[0].seed()

    def l_initialSeed(self, *a: Any) -> int:
        return _split_gen(self.generator, a)[0].initial_seed()

    def l_random(self, *args: Any) -> int:
        g, (a, b) = _split_gen(self.generator, args, 2)
        if a is None:
            return g.random()
        if b is None:
            return g.random_upto(int(a))
        return g.random_range(int(a), int(b))

    def l_uniform(self, *args: Any) -> float:
        g, (a, b) = _split_gen(self.generator, args, 2)
        return g.uniform(0.0 if a is None else a, 1.0 if b is None else b)

    def l_normal(self, *args: Any) -> float:
        g, (mean, std) = _split_gen(self.generator, args, 2)
        return g.normal(0.0 if mean is None else mean, 1.0 if std is None else std)

    def _need_lambda(self, args: tuple, lam: Any, self_type: str) -> None:
        """cwrap's exponential has no default lambda: its error when none (or no number) is
        given. The method's form names the tensor's real type."""
        if type(lam) is not int and type(lam) is not float:
            got = describe_args(args) + " " if args else "no arguments provided"
            real = "float" if self_type == "Float" else "double"
            raise TorchError(
                f"invalid arguments: {got}\nexpected arguments: [Generator] double | "
                f"*{self_type}Tensor* [Generator] {real}"
            )

    def l_exponential(self, *args: Any) -> float:
        g, (lam,) = _split_gen(self.generator, args, 1)
        self._need_lambda(args, lam, self.default_type)
        return g.exponential(lam)

    def l_bernoulli(self, *args: Any) -> int:
        g, (p,) = _split_gen(self.generator, args, 1)
        return g.bernoulli(0.5 if p is None else p)

    def l_geometric(self, *args: Any) -> int:
        g, (p,) = _split_gen(self.generator, args, 1)
        if p is None:
            raise TorchError("bad argument #1 to 'geometric' (number expected)")
        return g.geometric(p)

    def l_cauchy(self, *args: Any) -> float:
        g, (median, sigma) = _split_gen(self.generator, args, 2)
        return g.cauchy(0.0 if median is None else median, 1.0 if sigma is None else sigma)

    def l_logNormal(self, *args: Any) -> float:
        g, (mean, std) = _split_gen(self.generator, args, 2)
        return g.log_normal(1.0 if mean is None else mean, 2.0 if std is None else std)

    def _fill_random(self, t: Tensor, values: np.ndarray) -> Any:
        if t.size:
            np.copyto(t.arr, values.reshape(t.size), casting="unsafe")
        return self.wrap(t)

    def _t_args(self, t: Tensor, args: tuple, n: int, defaults: tuple) -> tuple:
        """(generator, numbers converted to the tensor's type as cwrap converts them)."""
        g, vals = _split_gen(self.generator, args, n)
        out = []
        for v, d in zip(vals, defaults, strict=True):
            v = d if v is None else v
            # cwrap reads the number as the tensor's real (float32 for a FloatTensor)
            out.append(float(tmath.real(t.ttype, v)) if t.ttype == "Float" else v)
        return g, out

    def l_t_uniform(self, t: Tensor, *args: Any) -> Any:
        g, (a, b) = self._t_args(t, args, 2, (0.0, 1.0))
        return self._fill_random(t, g.uniform_array(t.nelement(), a, b))

    def l_t_normal(self, t: Tensor, *args: Any) -> Any:
        g, (mean, std) = self._t_args(t, args, 2, (0.0, 1.0))
        return self._fill_random(t, g.normal_array(t.nelement(), mean, std))

    def l_t_random(self, t: Tensor, *args: Any) -> Any:
        g, (a, b) = _split_gen(self.generator, args, 2)
        n = t.nelement()
        if a is None:
            # THTensor_(random): a word modulo the type's range (2^mantissa + 1 for floats)
            vals = g.random_array(n) % _RANDOM_MOD[t.ttype]
        elif b is None:
            vals = g.random_upto_array(n, int(a))
        else:
            vals = g.random_range_array(n, int(a), int(b))
        if t.size:
            np.copyto(t.arr, vals.reshape(t.size), casting="unsafe")
        return self.wrap(t)

    def l_t_bernoulli(self, t: Tensor, *args: Any) -> Any:
        g, (p,) = _split_gen(self.generator, args, 1)
        if isinstance(p, Tensor):
            if p.ttype not in FLOAT_TYPES:
                raise TorchError(
                    "bad argument #2 to 'bernoulli' (torch.FloatTensor or "
                    "torch.DoubleTensor expected)"
                )
            vals = g.bernoulli_array_p(p.arr.reshape(-1).astype(np.float64))
        else:
            vals = g.bernoulli_array(t.nelement(), 0.5 if p is None else p)
        return self._fill_random(t, vals)

    def l_t_exponential(self, t: Tensor, *args: Any) -> Any:
        self._need_lambda((t, *args), _split_gen(self.generator, args, 1)[1][0], str(t.ttype))
        g, (lam,) = self._t_args(t, args, 1, (1.0,))
        return self._fill_random(t, g.exponential_array(t.nelement(), lam))

    def l_t_geometric(self, t: Tensor, *args: Any) -> Any:
        g, (p,) = _split_gen(self.generator, args, 1)
        if p is None:
            raise TorchError("bad argument #2 to 'geometric' (number expected)")
        return self._fill_random(t, g.geometric_array(t.nelement(), p))

    def l_t_cauchy(self, t: Tensor, *args: Any) -> Any:
        g, (median, sigma) = self._t_args(t, args, 2, (0.0, 1.0))
        return self._fill_random(t, g.cauchy_array(t.nelement(), median, sigma))

    def l_t_logNormal(self, t: Tensor, *args: Any) -> Any:
        g, (mean, std) = self._t_args(t, args, 2, (1.0, 2.0))
        return self._fill_random(t, g.log_normal_array(t.nelement(), mean, std))

    def l_multinomialAliasSetup(self, probs: Tensor, j: Any = None, q: Any = None) -> Any:
        """Walker's alias tables for probs (THTensor_(multinomialAliasSetup)): J (1-based)
        and q, written into j and q when given."""
        if not isinstance(probs, Tensor) or probs.ttype not in FLOAT_TYPES:
            raise TorchError(
                "bad argument #1 to 'multinomialAliasSetup' (torch.DoubleTensor "
                "or torch.FloatTensor expected)"
            )
        jv, qv = alias_setup(
            probs.arr.reshape(-1) if probs.size else np.empty(0), DTYPES[probs.ttype]
        )
        j = new_tensor("Long") if not isinstance(j, Tensor) else j
        q = new_tensor(probs.ttype) if not isinstance(q, Tensor) else q
        for t, v in ((j, jv), (q, qv)):
            t.resize(v.shape)
            np.copyto(t.arr, v, casting="unsafe")
        return self.wrap(j), self.wrap(q)

    def l_multinomialAlias(self, out: Any, j: Any, q: Any) -> Any:
        """Draws into out (LongTensor) from alias tables, with the default generator: Torch7's
        torch.multinomialAlias calls DoubleTensor's multinomialAlias_ (q must be Double)."""
        if not (
            isinstance(out, Tensor)
            and out.ttype == "Long"
            and isinstance(j, Tensor)
            and j.ttype == "Long"
            and isinstance(q, Tensor)
            and q.ttype == "Double"
        ):
            raise TorchError(
                f"invalid arguments: {describe_args((out, j, q))} \nexpected arguments: "
                "*LongTensor* [Generator] LongTensor DoubleTensor"
            )
        vals = alias_draw(self.generator, out.nelement(), j.arr.reshape(-1), q.arr.reshape(-1))
        if out.size:
            np.copyto(out.arr, vals.reshape(out.size), casting="unsafe")
        return self.wrap(out)

    def _ctor(
        self, ttype: str, args: tuple, fname: str, gen: bool = False
    ) -> tuple[Tensor | None, Any, str, tuple]:
        """Torch's dispatch for torch.<fname>: ``[res,] [gen,] args... [, typename]``.

        The result's type is the first tensor argument's, else a trailing tensor type name
        ('torch.FloatTensor'), else the default type (ttype)."""
        res = None
        if args and isinstance(args[0], Tensor):
            res, args = args[0], args[1:]
            ttype = res.ttype
        elif args and isinstance(args[-1], (str, bytes)):
            name = args[-1].decode() if isinstance(args[-1], bytes) else args[-1]
            if (
                name.startswith("torch.")
                and name.endswith("Tensor")
                and canonical_type(name[6:-6]) in DTYPES
            ):
                ttype, args = canonical_type(name[6:-6]), args[:-1]
        g = self.generator
        if gen and args and isinstance(args[0], Generator):
            g, args = args[0], args[1:]
        return res, g, ttype, args

    def l_randperm(self, ttype: str, *args: Any) -> Any:
        res, g, ttype, args = self._ctor(ttype, args, "randperm", gen=True)
        if len(args) != 1 or type(args[0]) not in (int, float):
            raise TorchError("bad argument #1 to 'randperm' (number expected)")
        n = int(args[0])
        if n < 1:
            raise TorchError("bad argument #1 to 'randperm' (must be strictly positive)")
        res = new_tensor(ttype) if res is None else res
        res.resize((n,))
        np.copyto(res.arr, g.randperm(n), casting="unsafe")
        return self.wrap(res)

    # ------------------------------------------------------------ constructors
    def _sized(self, ttype: str, args: tuple, fname: str, gen: bool = False) -> tuple:
        res, g, ttype, args = self._ctor(ttype, args, fname, gen)
        size = self.sizes_from(args, fname)
        res = new_tensor(ttype) if res is None else res
        res.resize(size)
        return res, g

    def l_zeros(self, ttype: str, *args: Any) -> Any:
        return self.wrap(tmath.zero(self._sized(ttype, args, "zeros")[0]))

    def l_ones(self, ttype: str, *args: Any) -> Any:
        return self.wrap(tmath.fill(self._sized(ttype, args, "ones")[0], 1))

    def l_rand(self, ttype: str, *args: Any) -> Any:
        t, g = self._sized(ttype, args, "rand", gen=True)
        return self._fill_random(t, g.uniform_array(t.nelement(), 0.0, 1.0))

    def l_randn(self, ttype: str, *args: Any) -> Any:
        t, g = self._sized(ttype, args, "randn", gen=True)
        return self._fill_random(t, g.normal_array(t.nelement(), 0.0, 1.0))

    def _fill_sequence(self, res: Tensor | None, ttype: str, value: Tensor) -> Any:
        """TH writes a sequence into res in place when it has the right number of elements
        (any shape, any strides), else resizes res to a vector first."""
        if res is None:
            return self.wrap(value)
        n = value.nelement()
        if res.nelement() != n:
            res.resize((n,) if n else ())
        if n:
            np.copyto(res.arr, value.arr.reshape(res.size), casting="unsafe")
        return self.wrap(res)

    def l_range(self, ttype: str, *args: Any) -> Any:
        res, _g, ttype, args = self._ctor(ttype, args, "range")
        if len(args) not in (2, 3) or any(type(a) not in (int, float) for a in args):
            raise TorchError(
                "invalid arguments to 'range' (expected [Tensor] number number [number])"
            )
        return self._fill_sequence(res, ttype, tmath.arange(ttype, *args))

    def l_linspace(self, ttype: str, *args: Any) -> Any:
        res, _g, ttype, args = self._ctor(ttype, args, "linspace")
        if len(args) not in (2, 3) or any(type(a) not in (int, float) for a in args):
            raise TorchError(
                "invalid arguments to 'linspace' (expected [Tensor] number number [number])"
            )
        return self._fill_sequence(res, ttype, tmath.linspace(ttype, *args))

    def l_logspace(self, ttype: str, *args: Any) -> Any:
        res, _g, ttype, args = self._ctor(ttype, args, "logspace")
        if len(args) not in (2, 3) or any(type(a) not in (int, float) for a in args):
            raise TorchError(
                "invalid arguments to 'logspace' (expected [Tensor] number number [number])"
            )
        return self._fill_sequence(res, ttype, tmath.logspace(ttype, *args))

    def l_eye(self, ttype: str, *args: Any) -> Any:
        res, _g, ttype, args = self._ctor(ttype, args, "eye")
        if len(args) not in (1, 2) or any(type(a) not in (int, float) for a in args):
            raise TorchError("invalid arguments to 'eye' (expected [Tensor] number [number])")
        value = tmath.eye(ttype, *args)
        if res is None:
            return self.wrap(value)
        res.resize(value.size)
        np.copyto(res.arr, value.arr, casting="unsafe")
        return self.wrap(res)

    def l_max_dim(self, name: str, *args: Any) -> Any:
        """max/min along a dimension: (values, indices) with optional result tensors."""
        return self.wrap(REGISTRY[name].call_function(args))

    def l_repeatTensor(self, *args: Any) -> Any:
        """[res,] src, sizes... (numbers or a LongStorage): src tiled, leading dims added."""
        res = None
        if len(args) >= 2 and isinstance(args[0], Tensor) and isinstance(args[1], Tensor):
            res, args = args[0], args[1:]
        if not args or not isinstance(args[0], Tensor):
            raise TorchError("bad argument #1 to 'repeatTensor' (torch.*Tensor expected)")
        src = args[0]
        reps = self.sizes_from(args[1:], "repeatTensor")
        if len(reps) < src.dim():
            raise TorchError(
                "bad argument #2 to 'repeatTensor' (Number of dimensions of repeat "
                "dims can not be smaller than number of dimensions of tensor)"
            )
        if res is None:
            res = new_tensor(src.ttype)
        if not src.size:
            res.set(None, 0, ())
            return self.wrap(res)
        value = np.tile(src.arr, reps)
        res.resize(value.shape)
        np.copyto(res.arr, value, casting="unsafe")
        return self.wrap(res)

    def l_getRNGState(self, *a: Any) -> Any:
        g, a = _split_gen(self.generator, a)
        data = np.frombuffer(g.get_state().to_bytes(), dtype=np.uint8).copy()
        if a and isinstance(a[0], Tensor):  # the result form (a ByteTensor to fill)
            res = a[0]
            res.resize((data.size,))
            np.copyto(res.arr, data, casting="unsafe")
            return self.wrap(res)
        return self.wrap(tensor_from_array(data, "Byte"))

    def l_setRNGState(self, *a: Any) -> Any:
        g, a = _split_gen(self.generator, a)
        state = a[0] if a else None
        if not isinstance(state, Tensor) or state.ttype != "Byte":
            raise TorchError("bad argument #1 to 'setRNGState' (torch.ByteTensor expected)")
        try:
            g.set_state(np.ascontiguousarray(state.arr).reshape(-1) if state.size else b"")
        except ValueError as e:
            raise TorchError(f"bad argument #1 to 'setRNGState' ({e})") from None
        return self.wrap(state)

    # ------------------------------------------------------------------ storage
    def l_storage_size(self, s: Storage) -> int:
        return s.size()

    def l_storage_get(self, s: Storage, i: Any) -> Any:
        i = int(i)
        if not 1 <= i <= s.size():
            raise TorchError("index out of bounds")
        return pynum(s.data[i - 1])

    def l_storage_set(self, s: Storage, i: Any, v: Any) -> None:
        i = int(i)
        if not 1 <= i <= s.size():
            raise TorchError("index out of bounds")
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

    # ----------------------------------------------------------------- misc
    def l_typename_of(self, v: Any) -> Any:
        if isinstance(v, (Tensor, Storage)):
            return v.typename
        return None

    def l_set_default_type(self, ttype: str) -> None:
        self.default_type = ttype

    def l_set_num_threads(self, n: Any) -> None:
        from .tensor import threadpool

        self.num_threads = max(1, int(n))
        threadpool.use_num_threads(self.num_threads)

    def l_get_num_threads(self) -> int:
        from .tensor import threadpool

        return self.num_threads if self.num_threads is not None else threadpool.get_num_threads()

    def l_pointer(self, v: Any) -> int:
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

    def l_wall_time(self) -> float:
        return time.perf_counter()

    def l_real_time(self) -> float:
        """gettimeofday as TH reads it: seconds since the epoch, to the microsecond."""
        sec, usec = divmod(time.time_ns() // 1000, 1_000_000)
        return sec + usec / 1000000.0

    def l_cat(self, res: Any, tensors: Any, d: Any = None) -> Any:
        ts = [tensors[i] for i in range(1, len(tensors) + 1)]
        if not ts:
            raise TorchError("bad argument #1 to 'cat' (non-empty table of tensors expected)")
        for i, t in enumerate(ts):
            if not isinstance(t, Tensor):
                raise TorchError(f"bad argument #1 to 'cat' (element {i + 1} is not a tensor)")
        if d is not None and type(d) not in (int, float):
            raise TorchError("bad argument #2 to 'cat' (dimension expected)")
        ts = [t for t in ts if t.size]
        if not ts:
            return self.wrap(res if res is not None else Tensor(self.default_type))
        nd = max(t.dim() for t in ts)
        d0 = (nd if d is None else int(d)) - 1
        if d is None and all(t.dim() == nd for t in ts):
            d0 = nd - 1
        arrs = [
            t.arr if t.dim() > d0 else t.arr.reshape(t.size + (1,) * (d0 + 1 - t.dim())) for t in ts
        ]
        try:
            value = np.concatenate(arrs, axis=d0)
        except ValueError as e:
            raise TorchError("inconsistent tensor sizes") from e
        if res is None:
            res = new_tensor(ts[0].ttype)
        res.resize(value.shape)
        np.copyto(res.arr, value, casting="unsafe")
        return self.wrap(res)

    def l_sizes_str(self, t: Tensor) -> str:
        return _sz(t.size)


def _tolist(v: Any) -> Any:
    return v


def _op_mul(a: Any, b: Any) -> Any:
    if type(a) is Tensor and type(b) is Tensor:
        if a.dim() == 1 and b.dim() == 1:
            return tmath.dot(a, b)
        if a.dim() == 2 and b.dim() == 1:
            return _MV.call_function((a, b))
        if a.dim() == 2 and b.dim() == 2:
            return _MM.call_function((a, b))
        raise TorchError(
            f"multiplication between {a.dim()}D and {b.dim()}D tensors not yet supported"
        )
    return _arith(a, b, "mul")


def _op_div(a: Any, b: Any) -> Any:
    # TensorOperator.c: a tensor divided by a number only (tensor / tensor is an error)
    if type(a) is Tensor and type(b) in (int, float):
        return REGISTRY["div"].call_function((a, b))
    if type(a) is not Tensor:
        raise TorchError(
            f"bad argument #1 to '__div' ({b.typename} expected, got "
            f"{'number' if type(a) in (int, float) else 'table'})"
        )
    raise TorchError("bad argument #2 to '__div' (number expected)")


def _op_mod(a: Any, b: Any) -> Any:
    if type(a) is Tensor and type(b) in (int, float):
        return REGISTRY["remainder"].call_function((a, b))
    raise TorchError("bad argument #2 to '__mod' (number expected)")


def _arith(a: Any, b: Any, name: str) -> Tensor:
    """a (op) b for the operators: tensor-tensor, tensor-number and number-tensor (a new
    tensor of the tensor's type, as TensorOperator.c)."""
    ta, tb = type(a), type(b)
    if ta is Tensor:
        if tb is Tensor:
            return REGISTRY[_TT_OPS[name]].call_function((a, b))
        if tb is int or tb is float:
            return REGISTRY[_TN_OPS[name]].call_function((a, b))
        raise TorchError(f"bad argument #2 to '__{name}' (number or tensor expected)")
    if tb is Tensor and (ta is int or ta is float):
        if name == "sub":  # n - t: fill with n, then subtract t
            r = tmath.fill(new_tensor(b.ttype, b.size), a)
            return REGISTRY["csub"].call_method(r, (b,))
        return REGISTRY[_TN_OPS[name]].call_function((b, a))
    raise TorchError(f"bad argument #1 to '__{name}' (number or tensor expected)")


_TT_OPS = {"add": "add", "sub": "csub", "mul": "cmul"}
_TN_OPS = {"add": "add", "sub": "csub", "mul": "mul"}
_MV = REGISTRY["mv"]
_MM = REGISTRY["mm"]


def tensor_from_numpy(a: np.ndarray) -> Tensor:
    """A Tensor sharing ``a``'s memory (any non-negative strides; copies only when the dtype
    is not one of Torch's seven, the strides are negative or not whole elements)."""
    a = np.asarray(a)
    if a.dtype == np.bool_:
        a = a.astype(np.uint8)
    dt = a.dtype.newbyteorder("=") if a.dtype.byteorder not in ("=", "|") else a.dtype
    if dt not in TYPE_OF_DTYPE:
        raise TypeError(f"cannot convert an array of {a.dtype} to a torch tensor")
    if dt != a.dtype:
        a = a.astype(dt)
    ttype = TYPE_OF_DTYPE[a.dtype]
    if a.ndim == 0:
        a = a.reshape(1)
    if a.size == 0:
        return Tensor(ttype)
    item = a.itemsize
    if any(st < 0 or st % item for st in a.strides):
        a = np.ascontiguousarray(a)
    strides = tuple(st // item for st in a.strides)
    span = 1 + sum((n - 1) * st for n, st in zip(a.shape, strides, strict=True))
    flat = np.lib.stride_tricks.as_strided(a, shape=(span,), strides=(item,))
    # keep the base alive and writable through the flat view
    return Tensor(ttype, Storage(ttype, flat), 0, a.shape, strides)


def from_numpy(rt: Any, a: np.ndarray) -> Any:
    """``luatorch.from_numpy(rt, array)``: a Lua tensor of runtime ``rt`` viewing ``array``."""
    return rt.bindings.wrap(tensor_from_numpy(a))


def to_numpy(rt: Any, value: Any) -> np.ndarray:
    """``luatorch.to_numpy(rt, tensor)``: a numpy view of a Lua tensor or storage (no copy).

    ``value`` may be a Lua proxy returned by ``rt.execute`` or a Python Tensor/Storage."""
    obj = value
    if not isinstance(obj, (Tensor, Storage)):
        obj = rt.lua.globals().torch._P[value]
    if isinstance(obj, Storage):
        return obj.data
    if not isinstance(obj, Tensor):
        raise TypeError("to_numpy expects a torch tensor or storage")
    return obj.arr


__all__ = ["Bindings", "TYPE_NAMES", "contiguous_strides", "from_numpy", "to_numpy"]

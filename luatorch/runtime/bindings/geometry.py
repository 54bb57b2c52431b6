"""Tensor geometry from Lua: sizes, strides, views."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...tensor.core import DTYPES, Storage, Tensor, TorchError, TorchLuaError, tensor_from_array
from .arguments import _sz, is_table, pynum

_VIEW_FORMS = (
    "torch.view, expected (torch.Tensor, torch.Tensor, number [, number ]*) or\n"
    " (torch.Tensor, torch.Tensor, torch.LongStorage) or\n"
    " (torch.Tensor, torch.LongStorage)\n"
    " or (torch.Tensor, number [, number ]*)"
)


class GeometryMixin:
    """Sizes, strides and views: size, stride, resize, set, view, narrow, select, sub, transpose,
    unfold, expand, squeeze.
    """

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

    def l_resizeAs(self, t: Tensor, src: Any = None, *_ignored: Any) -> Any:
        if not isinstance(src, Tensor) or src.ttype != t.ttype:
            # luaT_typerror names a value that is not a torch object by lua_typename of the
            # argument's index (a slip in luaT kept by every Torch7): 2 reads as "userdata"
            got = src.typename if isinstance(src, Tensor | Storage) else "userdata"
            raise TorchError(f"bad argument #2 to '?' ({t.typename} expected, got {got})")
        if t.size != src.size:
            t.resize(src.size)
        return self.wrap(t)

    def l_set(self, t: Tensor, *args: Any) -> Any:
        if not args:
            t.set(None, 0, ())
        elif isinstance(args[0], Tensor) and args[0].ttype == t.ttype:
            s = args[0]
            t.set(s.storage, s.offset, s.size, s.stride)
        elif isinstance(args[0], Storage) and args[0].ttype == t.ttype:
            src = self.construct(t.ttype, args)
            t.set(src.storage, src.offset, src.size, src.stride)
        else:
            raise TorchError(
                f"bad argument #2 to 'set' (expecting number or {t.typename} or "
                f"torch.{t.ttype}Storage)"
            )
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
        """t:view(sizes...), t:view(template) and the result form res:view(src, sizes...),
        checked in the order of Torch's Tensor.view."""
        res = None
        if len(args) >= 2 and isinstance(args[0], Tensor):
            res, t, args = t, args[0], args[1:]
            if isinstance(args[0], Tensor):  # res:viewAs(src, template)
                args = (Storage("Long", np.array(args[0].size, dtype=np.int64)),)
        if len(args) == 1 and isinstance(args[0], Tensor):  # viewAs's template
            size = list(args[0].size)
        elif (len(args) == 1 and isinstance(args[0], Storage) and args[0].ttype == "Long") or (
            args and type(args[0]) in (int, float)
        ):
            size = list(self.sizes_from(args, "view"))
        else:
            raise TorchError(_VIEW_FORMS)
        n = t.nelement()
        if -1 in size:
            if size.count(-1) > 1:
                raise TorchError("Only one of torch.view dimensions can be -1.")
            known = 1
            for s in size:
                if s != -1:
                    known *= s
            if known == 0 or n % known:
                raise TorchError(
                    "The number of covered elements is not a multiple of all elements."
                )
            size[size.index(-1)] = n // known
        if not t.is_contiguous():
            raise TorchError("expecting a contiguous tensor")
        if t.storage is None:  # Torch's view sets the view to src's storage: nil here
            raise TorchLuaError(
                f"bad argument #1 to 'set' (expecting number or {t.typename} or "
                f"torch.{t.ttype}Storage)"
            )
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
        # TH's reshape: a resize (its sizes end at the first one below 1), then a copy
        for k, s in enumerate(size):
            if s < 1:
                size = size[:k]
                break
        n = 1 if size else 0
        for s in size:
            n *= s
        if n != src.nelement():
            raise TorchError(
                f"inconsistent tensor size, expected tensor [{' x '.join(map(str, size))}] and "
                f"src [{' x '.join(map(str, src.size))}] to have the same number of elements, "
                f"but got {n} and {src.nelement()} elements respectively"
            )
        out = tensor_from_array(src.arr.reshape(size), src.ttype)
        if res is not None:
            res.set(out.storage, 0, out.size)
            return self.wrap(res)
        return self.wrap(out)

    def l_narrow(self, t: Tensor, d: Any, first: Any, length: Any) -> Any:
        d0 = t.check_dim(int(d), 2, "narrow")
        first, length = int(first), int(length)
        if first < 1 or length < 1 or first - 1 + length > t.size[d0]:
            argn = 3 if not 1 <= first <= t.size[d0] else 4  # TH: the start, else the length
            raise TorchError(f"bad argument #{argn} to 'narrow' (out of range)")
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
        if not 1 <= i <= t.size[d0]:  # (no index from the end: TH's select has none)
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
            if not 1 <= lo <= n:
                raise TorchError(f"bad argument #{2 * k + 2} to 'sub' (out of range)")
            if not 1 <= hi <= n:
                raise TorchError(f"bad argument #{2 * k + 3} to 'sub' (out of range)")
            if hi < lo:
                raise TorchError(f"bad argument #{2 * k + 3} to 'sub' (end smaller than beginning)")
            v = v.narrow(k, lo - 1, hi - lo + 1)
        return self.wrap(v)

    def l_transpose(self, t: Tensor, d1: Any, d2: Any) -> Any:
        a = t.check_dim(int(d1), 1, "transpose")
        b = t.check_dim(int(d2), 2, "transpose")
        return self.wrap(t.transpose(a, b))

    def l_t(self, t: Tensor) -> Any:
        if t.dim() != 2:
            raise TorchError("bad argument #1 to 't' (Tensor must have 2 dimensions)")
        return self.wrap(t.transpose(0, 1))

    def l_permute(self, t: Tensor, *dims: Any) -> Any:
        d = [int(x) - 1 for x in dims]
        if sorted(d) != list(range(t.dim())):
            raise TorchError("Invalid permutation")  # Torch's Tensor.lua assert
        return self.wrap(
            t.view_of(t.offset, tuple(t.size[i] for i in d), tuple(t.stride[i] for i in d))
        )

    def l_unfold(self, t: Tensor, d: Any, size: Any, step: Any) -> Any:
        if not t.dim():
            raise TorchError("bad argument #1 to 'unfold' (cannot unfold an empty tensor)")
        d0 = t.check_dim(int(d), 2, "unfold")
        size, step = int(size), int(step)
        if size > t.size[d0] or size < 0 or step <= 0:
            raise TorchError(
                "bad argument #4 to 'unfold' (invalid step)"
                if size <= t.size[d0] and size >= 0
                else "bad argument #3 to 'unfold' (out of range)"
            )
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
        stride = []
        for s, ts, st in zip(size, t.size, t.stride, strict=True):
            if ts == s:
                stride.append(st)
            elif ts == 1:
                stride.append(0)
            else:
                raise TorchError("incorrect size: only supporting singleton expansion (size=1)")
        # Torch's expand sets the view with these sizes, and a set's sizes end at the first one
        # below 1
        for k, s in enumerate(size):
            if s < 1:
                size, stride = size[:k], stride[:k]
                break
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
            if not 1 <= int(d) <= t.dim():
                raise TorchError("bad argument #2 to 'squeeze' (dimension out of range)")
            d0 = int(d) - 1
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

    def l_sizes_str(self, t: Tensor) -> str:
        return _sz(t.size)

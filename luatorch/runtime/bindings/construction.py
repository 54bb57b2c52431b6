"""Tensor and storage construction as Torch spells it."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...tensor import math as tmath
from ...tensor.core import (
    DTYPES,
    Storage,
    Tensor,
    TorchError,
    canonical_type,
    check_in_storage,
    new_tensor,
    tensor_from_array,
)
from ...tensor.dispatch import describe_args
from ..errors import lua_type_name
from .arguments import is_table


class ConstructionMixin:
    """torch.Tensor(...)/Storage(...) in all their forms and the sized constructors (zeros, ones,
    range, linspace, eye, cat, repeatTensor).
    """

    def l_new_tensor(self, ttype: str, *args: Any) -> Any:
        return self.wrap(self.construct(canonical_type(ttype), args))

    def construct(self, ttype: str, args: tuple) -> Tensor:
        if not args:
            return Tensor(ttype)
        a0 = args[0]
        wrong_first = TorchError(
            f"bad argument #1 to 'torch.{ttype}Tensor' (expecting number or "
            f"torch.{ttype}Tensor or torch.{ttype}Storage)"
        )
        if isinstance(a0, Tensor):
            if a0.ttype != ttype:
                raise wrong_first
            return Tensor(ttype, a0.storage, a0.offset, a0.size, a0.stride)
        if isinstance(a0, Storage) and (a0.ttype == ttype or a0.ttype != "Long"):
            if a0.ttype != ttype:
                raise wrong_first
            offset = int(args[1]) - 1 if len(args) > 1 else 0
            if len(args) <= 2:
                # the whole storage; given an offset but no sizes, Torch7's tensor has none
                whole = len(args) == 1 and a0.size() - offset > 0
                return Tensor(ttype, a0, offset, (a0.size() - offset,) if whole else ())
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
        if is_table(a0) and len(args) == 1 and len(a0) > 0:  # a table is the data
            flat, shape = self.table_values(a0)
            return tensor_from_array(flat.reshape(shape), ttype) if shape else Tensor(ttype)
        if is_table(a0) and len(args) == 1 and len(a0) == 0:
            return Tensor(ttype)
        stride = None
        if len(args) == 2 and isinstance(args[1], Storage):
            stride = tuple(int(x) for x in args[1].data)
            args = args[:1]
        if type(a0) not in (int, float) and not isinstance(a0, Storage) and not is_table(a0):
            raise wrong_first
        if isinstance(a0, Storage) and len(args) > 1:
            raise TorchError(
                f"bad argument #2 to 'torch.{ttype}Tensor' (torch.LongStorage expected)"
            )
        for i, a in enumerate(args[1:], 2):
            if type(a) not in (int, float):
                got = "no value" if a is None else lua_type_name(type(a).__name__)
                raise TorchError(
                    f"bad argument #{i} to 'torch.{ttype}Tensor' (number expected, got {got})"
                )
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
            if not 0 <= offset < a0.size():
                raise TorchError("offset out of bounds")
            n = int(args[2]) if len(args) > 2 else a0.size() - offset
            if not 1 <= n <= a0.size() - offset:
                raise TorchError("size out of bounds")
            return self.wrap(Storage(ttype, a0.data[offset : offset + n]))
        if type(a0) in (int, float):
            s = Storage(ttype, size=int(a0))
            if len(args) > 1:
                s.data[:] = tmath.real(ttype, args[1])
            return self.wrap(s)
        raise TorchError(f"bad argument #1 to 'torch.{ttype}Storage' (number or table expected)")

    def _sized(self, ttype: str, args: tuple, fname: str, gen: bool = False) -> tuple:
        given = args
        res, g, ttype, args = self._ctor(ttype, args, fname, gen)
        # cwrap's LongArg: one LongStorage or numbers (luaL_checklong: numeric strings too)
        args = tuple(self._cwrap_number(a) for a in args)
        if (
            args
            and not (len(args) == 1 and isinstance(args[0], Storage) and args[0].ttype == "Long")
            and not all(type(a) in (int, float) for a in args)
        ):
            generator = "[Generator] " if gen else ""
            raise TorchError(
                f"invalid arguments: {describe_args(given)} \nexpected arguments: "
                f"[*{ttype}Tensor*] {generator}(LongStorage | dim1 [dim2...])"
            )
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
        return self._fill_drawn(t, g, "uniform", 0.0, 1.0)

    def l_randn(self, ttype: str, *args: Any) -> Any:
        t, g = self._sized(ttype, args, "randn", gen=True)
        return self._fill_drawn(t, g, "normal", 0.0, 1.0)

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

    def _cwrap_number(self, v: Any) -> Any:
        # cwrap's number arguments take numeric strings (lua_isnumber)
        if type(v) is str or type(v) is bytes:
            n = self.lua_number(v)
            return v if n is None else n
        return v

    def l_range(self, ttype: str, *args: Any) -> Any:
        res, _g, ttype, args = self._ctor(ttype, args, "range")
        args = tuple(self._cwrap_number(a) for a in args)
        if len(args) not in (2, 3) or any(type(a) not in (int, float) for a in args):
            raise TorchError(
                "invalid arguments to 'range' (expected [Tensor] number number [number])"
            )
        return self._fill_sequence(res, ttype, tmath.arange(ttype, *args))

    def l_linspace(self, ttype: str, *args: Any) -> Any:
        res, _g, ttype, args = self._ctor(ttype, args, "linspace")
        args = tuple(self._cwrap_number(a) for a in args)
        if len(args) not in (2, 3) or any(type(a) not in (int, float) for a in args):
            raise TorchError(
                "invalid arguments to 'linspace' (expected [Tensor] number number [number])"
            )
        return self._fill_sequence(res, ttype, tmath.linspace(ttype, *args))

    def l_logspace(self, ttype: str, *args: Any) -> Any:
        res, _g, ttype, args = self._ctor(ttype, args, "logspace")
        args = tuple(self._cwrap_number(a) for a in args)
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
            raise TorchError(  # an error() in Torch's Tensor.lua
                "Number of dimensions of repeat dims can not be smaller than number of "
                "dimensions of tensor"
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

"""Torch7's calling forms, resolved once for every tensor function.

Torch's cwrap gives each function a list of signatures. A signature may start with result tensors:
in the function form (``torch.add([res,] x, y)``) the results are optional and new tensors are made
when they are absent; in the method form of an in-place function (``x:add(y)``) the result is
``self`` and the first source defaults to ``self``; in the method form of a functional one
(``x:sum(2)``) ``self`` is simply the first argument.

Argument codes in a signature: ``T`` a tensor of the result's type, ``X`` any tensor, ``B`` a
ByteTensor, ``L`` a LongTensor, ``F`` a Float or Double tensor, ``n`` a number, ``b`` a boolean,
``s`` a string, ``S`` a LongStorage or table of sizes, ``t`` a Lua table, ``G`` a random
Generator, ``*`` anything. A
trailing ``?`` makes the code optional.

A signature's result is None (the function returns a value), a type (``'same'`` for the sources'
type, or ``'Byte'``, ``'Long'``...) or a tuple of types for several results (``('same', 'Long')``
for max/sort). Resolution is cached by the types of the arguments, so a hot call such as
``x:add(y)`` costs one dictionary look-up before the kernel runs.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from .core import Storage, Tensor, TorchError, new_tensor

Sig = tuple[str, Callable[..., Any], Any]


def is_lua_table(v: Any) -> bool:
    """A lupa Lua table (recognised by class name: this package never imports lupa)."""
    return type(v).__name__ == "_LuaTable"


_CODE_WORDS = {
    "T": "Tensor",
    "X": "Tensor",
    "B": "ByteTensor",
    "L": "LongTensor",
    "F": "Tensor",
    "n": "number",
    "b": "boolean",
    "s": "string",
    "S": "LongStorage",
    "t": "table",
    "*": "value",
    "G": "Generator",
}


_HEX = re.compile(r"[+-]?0[xX][0-9a-fA-F]+")


def lua_tonumber(v: Any) -> float | int | None:
    """A numeric string as Lua's tonumber reads it (cwrap's number arguments take them, as
    lua_isnumber does), as lupa would pass the number; None for anything else."""
    if type(v) is bytes:
        v = v.decode("latin-1")
    if type(v) is not str:
        return None
    s = v.strip(" \t\n\v\f\r")
    if _HEX.fullmatch(s):
        x: float = float(int(s, 16))
    elif not s or "_" in s:
        return None
    else:
        try:
            x = float(s)
        except ValueError:
            return None
    return int(x) if math.isfinite(x) and x.is_integer() else x


def _numbers_of_strings(args: tuple) -> tuple | None:
    """args with their numeric strings made numbers, None when there is none."""
    out = list(args)
    for i, v in enumerate(args):
        n = lua_tonumber(v)
        if n is not None:
            out[i] = n
    return tuple(out) if out != list(args) else None


def _is_number(v: Any) -> bool:
    return type(v) is float or type(v) is int


def _matches(code: str, v: Any, ttype: str | None) -> bool:
    if code == "n":
        return type(v) is float or type(v) is int
    if code == "T":
        return type(v) is Tensor and (ttype is None or v.ttype == ttype)
    if code == "X":
        return type(v) is Tensor
    if code == "B":
        return type(v) is Tensor and v.ttype == "Byte"
    if code == "L":
        return type(v) is Tensor and v.ttype == "Long"
    if code == "F":
        return type(v) is Tensor and v.ttype in ("Double", "Float")
    if code == "b":
        return type(v) is bool
    if code == "s":
        return type(v) is str or type(v) is bytes
    if code == "S":
        return (type(v) is Storage and v.ttype == "Long") or is_lua_table(v)
    if code == "t":
        return is_lua_table(v)
    if code == "*":
        return True
    if code == "G":
        return type(v).__name__ == "Generator"
    raise ValueError(code)


def _match_idx(pattern: list[str], args: tuple, ttype: str | None) -> list[int] | None:
    """Positions of args for each code (-1 for an absent optional), or None.

    Optionals are tried present first, then absent (backtracking), as cwrap tries every
    combination of the optional arguments.
    """
    n = len(args)

    def rec(pi: int, ai: int) -> list[int] | None:
        if pi == len(pattern):
            return [] if ai == n else None
        code = pattern[pi]
        c = code[0]
        if ai < n and _matches(c, args[ai], ttype):
            rest = rec(pi + 1, ai + 1)
            if rest is not None:
                return [ai] + rest
        if code.endswith("?"):
            rest = rec(pi + 1, ai)
            if rest is not None:
                return [-1] + rest
        return None

    return rec(0, 0)


def match(pattern: list[str], args: tuple, ttype: str | None) -> tuple | None:
    """The arguments padded with None for absent optionals, or None when they don't fit."""
    idx = _match_idx(pattern, args, ttype)
    if idx is None:
        return None
    return tuple(args[i] if i >= 0 else None for i in idx)


def _first_tensor_type(args: tuple) -> str | None:
    for a in args:
        if type(a) is Tensor:
            return a.ttype
    return None


def describe_args(args: tuple) -> str:
    parts = []
    for a in args:
        if isinstance(a, (Tensor, Storage)):
            parts.append(a.typename[6:])
        elif type(a) is bool:
            parts.append("boolean")
        elif _is_number(a):
            parts.append("number")
        elif isinstance(a, (str, bytes)):
            parts.append("string")
        elif a is None:
            parts.append("nil")
        else:
            parts.append("table")
    return " ".join(parts) if parts else "no arguments"


def _key(args: tuple) -> tuple:
    # tensors and storages by type code, everything else by Python class
    return tuple(
        a.code if (a.__class__ is Tensor or a.__class__ is Storage) else a.__class__ for a in args
    )


def _shuffle(args: tuple, idx: list[int] | None) -> tuple:
    if idx is None:
        return args
    return tuple(args[i] if i >= 0 else None for i in idx)


# the C type cwrap names for a ``real`` argument of each tensor type
_REAL_WORDS = {
    "Double": "double",
    "Float": "float",
    "Long": "long",
    "Int": "int",
    "Short": "short",
    "Char": "char",
    "Byte": "unsigned char",
}


class CwrapMismatch(TorchError):
    """Tensors of the wrong dimension for cwrap's dimension-typed forms (mm's DoubleTensor~2D):
    the dispatcher reports the call as cwrap does."""


# cwrap's forms of the BLAS-shaped functions by (result, first, second) dimensions and whether
# they accumulate into t: the function form, then the method form
_BLAS_DIMS = {
    "mm": (2, 2, 2, False),
    "mv": (1, 2, 1, False),
    "ger": (2, 1, 1, False),
    "bmm": (3, 3, 3, False),
    "addmm": (2, 2, 2, True),
    "addmv": (1, 2, 1, True),
    "addr": (2, 1, 1, True),
    "baddbmm": (3, 3, 3, True),
    "addbmm": (2, 3, 3, True),
}


def _blas_forms(name: str, tname: str, real: str, method: bool) -> str:
    r, a, b = (f"{tname}~{d}D" for d in _BLAS_DIMS[name][:3])
    if not _BLAS_DIMS[name][3]:
        return f"{'*' if method else '[*'}{tname}{'*' if method else '*]'} {a} {b}"
    if not method:
        return f"[*{tname}*] [{real}] {r} [{real}] {a} {b}"
    return f"*{r}* [{r}] [{real}] {a} {b} | *{r}* {real} [{r}] {real} {a} {b}"


class Op:
    """One Torch tensor function with its signatures (see the module docstring).

    ``typed_by_first``: as Torch dispatches these functions, the first tensor argument of the
    function form (the result when one is given) fixes the tensor type every ``T``
    and ``'same'`` stands for; their error message names numbers by their C type and shows
    ``'same'`` results as required (comparisons: ``[*ByteTensor*] FloatTensor float |
    *FloatTensor* FloatTensor float``)."""

    def __init__(self, name: str, sigs: list[Sig], inplace: bool, typed_by_first: bool = False):
        self.name = name
        self.inplace = inplace
        self.typed_by_first = typed_by_first
        self.sigs = []
        for p, fn, res in sigs:
            if res is None:
                rtypes: tuple[str, ...] = ()
            elif isinstance(res, str):
                rtypes = (res,)
            else:
                rtypes = tuple(res)
            self.sigs.append((p.split(), fn, rtypes))
        self._fcache: dict[tuple, tuple] = {}
        self._mfcache: dict[tuple, tuple] = {}
        self._mcache: dict[tuple, tuple] = {}

    def error(self, args: tuple, method: bool = False) -> TorchError:
        """cwrap's message: the arguments given, then every accepted form."""
        ttype = _first_tensor_type(args) or "Double"
        tname = ttype + "Tensor"
        if self.name in _BLAS_DIMS:
            got = describe_args(args) + " "
            forms_ = _blas_forms(self.name, tname, _REAL_WORDS.get(ttype, "number"), method)
            return TorchError(f"invalid arguments: {got}\nexpected arguments: {forms_}")
        words_of = dict(_CODE_WORDS, T=tname, X="Tensor")
        if self.typed_by_first:
            words_of["n"] = _REAL_WORDS.get(ttype, "number")
        forms = []
        for pattern, _fn, res in self.sigs:
            words = [
                ("*{}*" if self.typed_by_first and r == "same" else "[*{}*]").format(
                    tname if r == "same" else r + "Tensor"
                )
                for r in res
            ]
            words += [
                words_of[c[0]] if not c.endswith("?") else "[" + words_of[c[0]] + "]"
                for c in pattern
            ]
            forms.append(" ".join(words) if words else "no arguments")
        # cwrap writes each argument's type followed by a space
        got = describe_args(args) + " " if args else "no arguments provided"
        return TorchError(f"invalid arguments: {got}\nexpected arguments: " + " | ".join(forms))

    # ------------------------------------------------------------------ resolution
    def _resolve_function(self, args: tuple, by_first: bool) -> tuple | None:
        """(fn, k explicit results or -1 for new results, result types, idx) or None."""
        # explicit result tensors come first: all of them, then (as cwrap, whose results are
        # optional one by one) the leading ones only, the others made new
        for pattern, fn, rtypes, k in [
            (p, f, r, k) for p, f, r in self.sigs for k in range(len(r), 0, -1)
        ]:
            if len(args) < k:
                continue
            ok = True
            src_t = None
            for j in range(k):
                r = args[j]
                if type(r) is not Tensor:
                    ok = False
                    break
                if rtypes[j] == "same":
                    src_t = r.ttype
                elif r.ttype != rtypes[j]:
                    ok = False
                    break
            if not ok:
                continue
            rest = args[k:]
            if by_first:
                src_t = args[0].ttype
            elif src_t is None:
                src_t = _first_tensor_type(rest)
            idx = _match_idx(pattern, rest, src_t)
            if idx is not None:
                return fn, k, rtypes, idx
        ttype = _first_tensor_type(args)
        for pattern, fn, rtypes in self.sigs:
            idx = _match_idx(pattern, args, ttype)
            if idx is not None:
                return fn, -1, rtypes, idx
        return None

    def call_function(self, args: tuple, as_method: bool = False) -> Any:
        """The function form; as_method: the method form of a function without a self result
        (``x:sum(2)``, ``r:eq(a, 2)``). Lua cannot tell ``r:eq(a, 2)`` from nn/optim's
        ``sign.gt(r, sign, 0)`` (DoubleTensor's gt with a ByteTensor result), which Torch
        dispatches by the class the method comes from: the method form keeps to the sources'
        type, the function form to the first argument's when typed_by_first."""
        cache = self._mfcache if as_method else self._fcache
        key = _key(args)
        hit = cache.get(key)
        if hit is None:
            hit = self._resolve_function(args, self.typed_by_first and not as_method)
            if hit is None:
                numbers = _numbers_of_strings(args)
                if numbers is not None:
                    return self.call_function(numbers, as_method)
                raise self.error(args)
            fn, k, rtypes, idx = hit
            if all(i == p for p, i in enumerate(idx)):
                idx = None
            if k == -1 and len(rtypes) == 1:
                # the result's type follows from the argument types: resolve it once
                r = rtypes[0]
                k, rtypes = -2, (_first_tensor_type(args) or "Double") if r == "same" else r
            hit = (fn, k, rtypes, idx)
            cache[key] = hit
        fn, k, rtypes, idx = hit
        try:
            if k == -2:  # one new result of a type known from the key
                return fn(new_tensor(rtypes), *(args if idx is None else _shuffle(args, idx)))
            if k > 0:
                if k < len(rtypes):
                    ttype = _first_tensor_type(args) or "Double"
                    more = [new_tensor(ttype if r == "same" else r) for r in rtypes[k:]]
                    return fn(*args[:k], *more, *_shuffle(args[k:], idx))
                return fn(*args[:k], *_shuffle(args[k:], idx))
            if not rtypes:
                return fn(*_shuffle(args, idx))
            ttype = _first_tensor_type(args) or "Double"
            res = [new_tensor(ttype if r == "same" else r) for r in rtypes]
            return fn(*res, *_shuffle(args, idx))
        except CwrapMismatch:
            raise self.error(args, as_method) from None

    def _resolve_method(self, this: Tensor, args: tuple) -> tuple | None:
        """(fn, mode, idx): mode 1 fn(this, *args), 2 fn(this, this, *args), 3 fn(this, *args)
        without result."""
        for pattern, fn, rtypes in self.sigs:
            if len(rtypes) != 1 or rtypes[0] not in ("same", this.ttype):
                continue
            idx = _match_idx(pattern, args, this.ttype)
            if idx is not None:
                return fn, 1, idx
        full = (this, *args)
        for pattern, fn, rtypes in self.sigs:
            if len(rtypes) != 1 or rtypes[0] not in ("same", this.ttype):
                continue
            idx = _match_idx(pattern, full, this.ttype)
            if idx is not None:
                return fn, 2, idx
        for pattern, fn, rtypes in self.sigs:
            if not rtypes:
                idx = _match_idx(pattern, full, this.ttype)
                if idx is not None:
                    return fn, 3, idx
        return None

    def call_method(self, this: Any, args: tuple) -> Any:
        if not self.inplace or this.__class__ is not Tensor:
            return self.call_function((this, *args), as_method=True)
        key = (this.code, *_key(args))
        hit = self._mcache.get(key)
        if hit is None:
            hit = self._resolve_method(this, args)
            if hit is None:
                numbers = _numbers_of_strings(args)
                if numbers is not None:
                    return self.call_method(this, numbers)
                raise self.error((this, *args), self.name in _BLAS_DIMS)
            fn, mode, idx = hit
            n = len(args) if mode == 1 else len(args) + 1
            if len(idx) == n and all(i == p for p, i in enumerate(idx)):
                idx = None
            hit = (fn, mode, idx)
            self._mcache[key] = hit
        fn, mode, idx = hit
        try:
            if mode == 1:
                return fn(this, *_shuffle(args, idx))
            full = (this, *args)
            if mode == 2:
                return fn(this, *_shuffle(full, idx))
            return fn(*_shuffle(full, idx))
        except CwrapMismatch:
            raise self.error((this, *args), True) from None


REGISTRY: dict[str, Op] = {}


def register(name: str, sigs: list[Sig], inplace: bool = True, typed_by_first: bool = False) -> Op:
    op = Op(name, sigs, inplace, typed_by_first)
    REGISTRY[name] = op
    return op

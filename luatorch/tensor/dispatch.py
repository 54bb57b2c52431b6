"""Torch7's calling forms, resolved once for every tensor function.

Torch's cwrap gives each function a list of signatures. A signature may start with a result tensor:
in the function form (``torch.add([res,] x, y)``) the result is optional and a new tensor is made
when it is absent; in the method form of an in-place function (``x:add(y)``) the result is ``self``
and the first source defaults to ``self``; in the method form of a functional one (``x:sum(2)``)
``self`` is simply the first argument.

Argument codes in a signature: ``T`` a tensor of the result's type, ``X`` any tensor, ``B`` a
ByteTensor, ``L`` a LongTensor, ``n`` a number, ``b`` a boolean, ``s`` a string, ``S`` a
LongStorage or table of sizes, ``*`` anything. A trailing ``?`` makes the code optional.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .core import Storage, Tensor, TorchError, new_tensor

Sig = tuple[str, Callable[..., Any], str | None]


def _is_number(v: Any) -> bool:
    return (type(v) is float or type(v) is int)


def _matches(code: str, v: Any, ttype: str | None) -> bool:
    if code == "n":
        return _is_number(v)
    if code == "T":
        return isinstance(v, Tensor) and (ttype is None or v.ttype == ttype)
    if code == "X":
        return isinstance(v, Tensor)
    if code == "B":
        return isinstance(v, Tensor) and v.ttype == "Byte"
    if code == "L":
        return isinstance(v, Tensor) and v.ttype == "Long"
    if code == "b":
        return type(v) is bool
    if code == "s":
        return isinstance(v, (str, bytes))
    if code == "S":
        return isinstance(v, Storage) and v.ttype == "Long"
    if code == "*":
        return True
    raise ValueError(code)


def match(pattern: list[str], args: tuple, ttype: str | None) -> tuple | None:
    """Return the arguments padded with None for absent optionals, or None when they don't fit."""
    out = []
    i = 0
    n = len(args)
    for code in pattern:
        optional = code.endswith("?")
        c = code[0]
        if i < n and _matches(c, args[i], ttype):
            out.append(args[i])
            i += 1
        elif optional:
            out.append(None)
        else:
            return None
    if i != n:
        return None
    return tuple(out)


def _first_tensor_type(args: tuple) -> str | None:
    for a in args:
        if isinstance(a, Tensor):
            return a.ttype
    return None


def _describe(args: tuple) -> str:
    parts = []
    for a in args:
        if isinstance(a, Tensor):
            parts.append(a.typename[6:])
        elif isinstance(a, Storage):
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


class Op:
    """One Torch tensor function with its signatures.

    ``sigs`` is a list of ``(pattern, fn, result)``; ``result`` is None when the function takes
    no result tensor, ``'same'`` for a result of the sources' type, or a type name such as
    ``'Byte'``/``'Long'``. ``fn`` gets the result first when there is one.
    """

    def __init__(self, name: str, sigs: list[Sig], inplace: bool) -> None:
        self.name = name
        self.inplace = inplace
        self.sigs = [(p.split(), fn, res) for p, fn, res in sigs]

    def _error(self, args: tuple) -> TorchError:
        forms = []
        for pattern, _fn, res in self.sigs:
            words = (["[*Tensor*]"] if res else []) + [
                {"T": "Tensor", "X": "Tensor", "B": "ByteTensor", "L": "LongTensor", "n": "number",
                 "b": "boolean", "s": "string", "S": "LongStorage", "*": "value"}[c[0]]
                + ("?" if c.endswith("?") else "") for c in pattern]
            forms.append(" ".join(words))
        return TorchError(f"invalid arguments: {_describe(args)}\nexpected arguments: "
                          + " | ".join(forms))

    def call_function(self, args: tuple) -> Any:
        ttype = _first_tensor_type(args)
        # an explicit result tensor comes first
        if args and isinstance(args[0], Tensor):
            res = args[0]
            rest = args[1:]
            for pattern, fn, restype in self.sigs:
                if restype is None:
                    continue
                want = res.ttype if restype == "same" else restype
                if res.ttype != want:
                    continue
                srctype = _first_tensor_type(rest) if restype != "same" else res.ttype
                m = match(pattern, rest, srctype)
                if m is not None:
                    return fn(res, *m)
        for pattern, fn, restype in self.sigs:
            m = match(pattern, args, ttype)
            if m is None:
                continue
            if restype is None:
                return fn(*m)
            res = new_tensor(ttype if restype == "same" else restype)
            return fn(res, *m)
        raise self._error(args)

    def call_method(self, this: Any, args: tuple) -> Any:
        if not self.inplace:
            return self.call_function((this, *args))
        if isinstance(this, Tensor):
            for pattern, fn, restype in self.sigs:
                if restype is None:
                    continue
                m = match(pattern, args, this.ttype)
                if m is not None:
                    return fn(this, *m)
            full = (this, *args)
            for pattern, fn, restype in self.sigs:
                if restype is None:
                    continue
                m = match(pattern, full, this.ttype)
                if m is not None:
                    return fn(this, *m)
            for pattern, fn, restype in self.sigs:
                if restype is None:
                    m = match(pattern, full, this.ttype)
                    if m is not None:
                        return fn(*m)
        raise self._error(args)


REGISTRY: dict[str, Op] = {}


def register(name: str, sigs: list[Sig], inplace: bool = True) -> Op:
    op = Op(name, sigs, inplace)
    REGISTRY[name] = op
    return op

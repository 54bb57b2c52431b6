"""The ``lua`` fixture's object: a fresh runtime with helpers for tests written in Python."""

from __future__ import annotations

import re
import sys
from typing import Any

import numpy as np
import pytest

from ..runtime import LuaError, Runtime
from .glue import _GLUE, DEFAULT_CHUNK, GLUE_NAME
from .reporting import _clean_stack


class LuaFixture:
    """A fresh runtime with helpers for tests written in Python.

    ``run(code, *args)`` returns the chunk's results converted to Python: tensors and storages
    become numpy copies, plain tables become lists (keys 1..n) or dicts, class instances (nn
    modules, ...) stay Lua objects. Everything Lua prints is kept in ``output`` (and also goes
    to sys.stdout, so pytest shows it for a failing test).
    """

    def __init__(self, script_dir: str | None = None, chunkname: str = DEFAULT_CHUNK) -> None:
        self._out: list[str] = []
        self.chunkname = chunkname
        self.runtime = Runtime(write=self._write, script_dir=script_dir)
        self._glue = self.runtime.execute(_GLUE, GLUE_NAME)[0]

    def _write(self, s: str) -> None:
        self._out.append(s)
        sys.stdout.write(s)

    # ------------------------------------------------------------------------ output
    @property
    def output(self) -> str:
        """Everything Lua printed since the start (or since the last ``take_output``)."""
        return "".join(self._out)

    def take_output(self) -> str:
        """Return the output so far and start afresh."""
        s = self.output
        self._out.clear()
        return s

    def clear_output(self) -> None:
        self._out.clear()

    # ------------------------------------------------------------------------ running
    @property
    def globals(self) -> Any:
        return self.runtime.globals

    def run(self, code: str, *args: Any, name: str | None = None) -> tuple:
        """Run a chunk (``...`` holds ``args``); return its results converted to Python."""
        __tracebackhide__ = True
        try:
            res = self.runtime.execute(
                code, name or self.chunkname, *[self.to_lua(a) for a in args]
            )
        except LuaError as e:
            raise LuaRunError(e.message, e.traceback) from None
        return tuple(self.to_python(r) for r in res)

    def eval(self, expr: str, *args: Any) -> Any:
        """The value of one Lua expression, converted to Python."""
        __tracebackhide__ = True
        res = self.run("return " + expr, *args)
        return res[0] if res else None

    def raises(
        self, code: str, *args: Any, match: str | None = None, name: str | None = None
    ) -> LuaError:
        """Assert that the chunk raises a Lua error (whose message ``re.search``-es ``match``)."""
        __tracebackhide__ = True
        try:
            self.runtime.execute(code, name or self.chunkname, *[self.to_lua(a) for a in args])
        except LuaError as e:
            if match is not None and not re.search(match, e.message):
                pytest.fail(
                    f"Lua error message does not match {match!r}:\n  {e.message}", pytrace=False
                )
            return e
        pytest.fail(f"DID NOT RAISE a Lua error:\n{code}", pytrace=False)

    # ---------------------------------------------------------------------- conversion
    def to_python(self, v: Any) -> Any:
        """A Lua value as Python: numpy copies of tensors, lists/dicts of plain tables."""
        return self._convert(v, {})

    def _convert(self, v: Any, memo: dict[str, Any]) -> Any:
        from lupa import luajit21

        if luajit21.lua_type(v) is None:
            return v
        kind = self._glue.kind(v)
        if isinstance(kind, tuple):
            kind, ident = kind
        else:
            ident = None
        if kind == "object":
            obj = self.runtime.globals.torch._P[v]
            return _numpy_of(obj)
        if kind != "table":
            return v
        if ident in memo:
            return memo[ident]
        items = list(v.items())
        n = len(items)
        if (
            n
            and all(isinstance(k, int) for k, _ in items)
            and sorted(k for k, _ in items) == list(range(1, n + 1))
        ):
            out_list: list[Any] = []
            memo[ident] = out_list
            by_key = dict(items)
            out_list.extend(self._convert(by_key[i], memo) for i in range(1, n + 1))
            return out_list
        out: dict[Any, Any] = {}
        memo[ident] = out
        for k, val in items:
            out[self._convert(k, memo)] = self._convert(val, memo)
        return out

    def to_lua(self, v: Any) -> Any:
        """numpy arrays become tensors (their dtype picks the type), lists/dicts tables."""
        if isinstance(v, np.ndarray):
            return v.item() if v.ndim == 0 else self.tensor(v)
        if isinstance(v, (list, tuple)):
            return self.runtime.lua.table_from([self.to_lua(x) for x in v])
        if isinstance(v, dict):
            return self.runtime.lua.table_from({k: self.to_lua(x) for k, x in v.items()})
        if isinstance(v, np.generic):
            return v.item()
        return v

    def tensor(self, a: np.ndarray) -> Any:
        """A Lua tensor holding a copy of ``a`` (float64 -> DoubleTensor, int64 -> Long, ...)."""
        from ..tensor.core import TYPE_OF_DTYPE, Storage, Tensor

        a = np.asarray(a)
        if a.dtype == np.bool_:
            a = a.astype(np.uint8)
        ttype = TYPE_OF_DTYPE.get(a.dtype)
        if ttype is None:
            raise TypeError(f"no torch tensor type for numpy dtype {a.dtype}")
        flat = np.ascontiguousarray(a).reshape(-1).copy()
        t = Tensor(ttype, Storage(ttype, data=flat), 0, a.shape if a.size else ())
        return self.runtime.bindings.wrap(t)


def _numpy_of(obj: Any) -> Any:
    from ..tensor.core import Storage, Tensor

    if isinstance(obj, Tensor):
        return obj.arr.copy()
    if isinstance(obj, Storage):
        return obj.data.copy()
    return obj


class LuaRunError(LuaError):
    """A Lua error from ``lua.run``: shows the Lua message and the Lua stack."""

    def __str__(self) -> str:
        stack = _clean_stack(self.traceback)
        if not stack:
            return self.message
        return self.message + "\nLua stack:\n" + "\n".join("    " + s for s in stack)

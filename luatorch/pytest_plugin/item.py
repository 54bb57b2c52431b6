"""One Lua test as a pytest item: it runs in a fresh runtime (or the file's shared one with
``--lua-runtime-per-module``) and fails with the Lua error and the Tester's failures."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from ..runtime import LuaError
from .glue import _load, _stdout_write
from .reporting import LuaTestFailure, _describe

if TYPE_CHECKING:
    from .collection import LuaFile


class LuaItem(pytest.Item):
    """One Lua test function."""

    def __init__(
        self, *, lua_key: tuple[str, str], lua_index: int, lua_line: int, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.lua_key = lua_key
        self.lua_index = lua_index
        self.lua_line = lua_line

    @property
    def lua_file(self) -> LuaFile:
        from .collection import LuaFile  # (collection imports this module)

        assert isinstance(self.parent, LuaFile)
        return self.parent

    def runtest(self) -> None:
        parent = self.lua_file
        if self.config.getoption("lua_runtime_per_module"):
            loaded = parent.shared()
        else:
            try:
                loaded = _load(parent.path, parent.chunk, parent.source, _stdout_write)
            except LuaError as e:
                raise LuaTestFailure(error=(e.message, e.traceback)) from None
        entry = self._find(loaded.entries)
        res = loaded.glue.run(entry)
        status, lua_failures, err = res[0], res[1], res[2]
        failures = [
            (str(f.message), str(f.traceback or ""))
            for f in (lua_failures[i] for i in range(1, len(lua_failures) + 1))
        ]
        if status == "skip":
            pytest.skip("disabled in torch.Tester")
        if status == "error":
            from lupa import luajit21

            if luajit21.lua_type(err) == "table":
                error = (str(err["msg"]), str(err["traceback"] or ""))
            else:
                error = (str(err), "")
            raise LuaTestFailure(error=error, failures=failures)
        if failures:
            raise LuaTestFailure(failures=failures)

    def _find(self, entries: list[Any]) -> Any:
        # the n-th test of this name, as collection numbered them (name[1], name[2], ...)
        n = 0
        for entry in entries:
            if str(entry.name) == self.lua_key[0]:
                if n == self.lua_index:
                    if str(entry.kind) == self.lua_key[1]:
                        return entry
                    break
                n += 1
        raise LuaTestFailure(error=(f"test {self.name} is no longer defined by the file", ""))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, LuaTestFailure):
            p = self.lua_file
            return _describe(
                excinfo.value,
                p.chunk,
                p.source,
                p.path,
                self.name,
                self.config.getoption("tbstyle", "auto"),
            )
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, max(self.lua_line - 1, 0), f"{self.name} (Lua)"

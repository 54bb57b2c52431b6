"""Tab completion: globals, nested fields (``nn.Lin``), methods (``x:`` through metatables),
and file names inside strings.

``candidates(rt, text)`` is the whole logic and needs no terminal; ``LuaCompleter`` adapts it
to prompt_toolkit.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

KEYWORDS = (
    "and",
    "break",
    "do",
    "else",
    "elseif",
    "end",
    "false",
    "for",
    "function",
    "if",
    "in",
    "local",
    "nil",
    "not",
    "or",
    "repeat",
    "return",
    "then",
    "true",
    "until",
    "while",
)

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
# a path of fields ending in `.` or `:` and a partial name: nn.Lin, model.modules[1]:for
_MEMBER = re.compile(
    r"(?<![\w.:\])])("
    + _NAME
    + r"(?:\s*\.\s*"
    + _NAME
    + r"|\s*\[\s*(?:\d+|'[^']*'|\"[^\"]*\")\s*\])*)"
    r"\s*([.:])\s*(" + r"[A-Za-z_0-9]*" + r")$"
)
_GLOBAL = re.compile(r"(?<![\w.:])(" + _NAME + r")$")
_SEGMENT = re.compile(r"\.\s*(" + _NAME + r")|\[\s*(\d+|'[^']*'|\"[^\"]*\")\s*\]|(" + _NAME + r")")

# Lua side: resolve a path of keys without calling anything but __index, and list the names
# reachable from the value: its own keys, then what its metatables' __index offer.
_LUA_KEYS = r"""
local path, methodsOnly = ...
local function lookup(v, k)
   local ok, r = pcall(function() return v[k] end)
   if ok then return r end
end
local v = _G
for i = 1, #path do
   local tv = type(v)
   if tv ~= 'table' and tv ~= 'userdata' and tv ~= 'string' then return {} end
   v = lookup(v, path[i])
   if v == nil then return {} end
end
local out, seen = {}, {}
local function kind(x)
   local tx = type(x)
   if tx == 'table' or tx == 'userdata' then
      -- the class of an object or of a constructor table (torch.typename: objects only)
      local mt = getmetatable(x)
      local tn = type(mt) == 'table' and rawget(mt, '__typename')
      if type(tn) == 'string' then return tn end
   end
   return tx
end
local function add(k, x)
   if type(k) == 'string' and not seen[k] and (not methodsOnly or type(x) == 'function') then
      seen[k] = true
      out[#out + 1] = {k, kind(x)}
   end
end
local function collect(t, depth)
   if depth > 12 or type(t) ~= 'table' or seen[t] then return end
   seen[t] = true
   for k, x in pairs(t) do add(k, x) end
   local mt = getmetatable(t)
   if type(mt) == 'table' then
      local idx = rawget(mt, '__index')
      if type(idx) == 'table' then collect(idx, depth + 1) end
      collect(mt, depth + 1)
   end
end
local tv = type(v)
if tv == 'string' then
   collect(string, 0)
elseif tv == 'table' then
   collect(v, 0)
elseif tv == 'userdata' then
   local mt = getmetatable(v)
   if type(mt) == 'table' then
      local idx = rawget(mt, '__index')
      if type(idx) == 'table' then collect(idx, 1) end
      collect(mt, 1)  -- tensors: the per-type metatable holds the methods
   end
end
return out
"""


@dataclass(frozen=True)
class Candidate:
    """One completion: replace ``replace`` characters before the cursor with ``text``."""

    text: str
    replace: int
    meta: str = ""
    doc: str = ""  # the one-line summary of our documentation, where there is one


def _visible(name: str, prefix: str) -> bool:
    if not name.startswith(prefix):
        return False
    if name.startswith("__") and not prefix.startswith("__"):
        return False  # metamethods and luaT internals only when asked for
    return not (name.startswith("_") and not prefix.startswith("_"))


def _lua_names(rt: Any, path: list[Any], methods_only: bool) -> list[tuple[str, str]]:
    fn = getattr(rt, "_completer_fn", None)
    if fn is None:
        fn = rt.lua.execute("return function(...) " + _LUA_KEYS + " end")
        rt._completer_fn = fn
    try:
        res = fn(rt.lua.table_from(path), methods_only)
    except Exception:  # a failing __index must never break the prompt
        return []
    out = []
    for i in range(1, len(res) + 1):
        item = res[i]
        out.append((str(item[1]), str(item[2])))
    return out


def _string_prefix(line: str) -> str | None:
    """If the cursor sits inside a string literal, the string's text so far; else None."""
    quote = None
    start = 0
    i = 0
    while i < len(line):
        ch = line[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote, start = ch, i + 1
        elif line.startswith("--", i):
            return None  # a comment: nothing to complete
        i += 1
    return line[start:] if quote else None


def _file_candidates(partial: str) -> list[Candidate]:
    directory, base = os.path.split(partial)
    where = os.path.expanduser(directory) if directory else "."
    try:
        entries = sorted(os.listdir(where))
    except OSError:
        return []
    out = []
    for name in entries:
        if not name.startswith(base) or (name.startswith(".") and not base.startswith(".")):
            continue
        is_dir = os.path.isdir(os.path.join(where, name))
        kind = "dir" if is_dir else "file"
        out.append(Candidate(name + ("/" if is_dir else ""), len(base), kind))
    return out


def _path_keys(base: str) -> list[Any]:
    keys: list[Any] = []
    for m in _SEGMENT.finditer(base):
        name = m.group(1) or m.group(3)
        if name:
            keys.append(name)
        else:
            idx = m.group(2)
            keys.append(int(idx) if idx.isdigit() else idx[1:-1])
    return keys


def _summary(owner: str, sep: str, name: str) -> str:
    """The documentation summary of ``owner.name`` (``t:name`` for a method), or ''."""
    from . import docs

    entry = docs.lookup(f"t:{name}" if sep == ":" else f"{owner}.{name}")
    return entry.summary if entry else ""


def candidates(rt: Any, text: str) -> list[Candidate]:
    """Completions for the text before the cursor (only its last line matters)."""
    line = text.rsplit("\n", 1)[-1]
    partial = _string_prefix(line)
    if partial is not None:
        return _file_candidates(partial)
    m = _MEMBER.search(line)
    if m:
        base, sep, prefix = m.group(1), m.group(2), m.group(3)
        names = _lua_names(rt, _path_keys(base), sep == ":")
        found = sorted({(n, k) for n, k in names if _visible(n, prefix) and re.fullmatch(_NAME, n)})
        owner = ".".join(str(k) for k in _path_keys(base))
        return [Candidate(n, len(prefix), k, _summary(owner, sep, n)) for n, k in found]
    m = _GLOBAL.search(line)
    prefix = m.group(1) if m else ""
    if not m and line and not line[-1].isspace() and line[-1] not in "([{,=+-*/%^<>~;":
        return []
    names = dict(_lua_names(rt, [], False))
    for kw in KEYWORDS:
        names.setdefault(kw, "keyword")
    return [
        Candidate(n, len(prefix), names[n])
        for n in sorted(names)
        if _visible(n, prefix) and re.fullmatch(_NAME, n)
    ]


class LuaCompleter(Completer):
    """prompt_toolkit completer over a live runtime."""

    def __init__(self, rt: Any) -> None:
        self.rt = rt

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterable[Completion]:
        for c in candidates(self.rt, document.text_before_cursor):
            yield Completion(c.text, start_position=-c.replace, display_meta=c.doc or c.meta)

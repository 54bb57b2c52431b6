"""The Lua half of the plugin and loading a Lua test file into a fresh runtime.

The glue intercepts ``Tester:run`` while a file runs, lists the tests the file defines
(global ``test_*`` functions, returned suites, Testers) and runs one of them, collecting
``torch.Tester`` assertion failures; ``_load`` runs a file under it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..runtime import Runtime

GLUE_NAME = "=[luatorch pytest]"
DEFAULT_CHUNK = "=stdin"

# Lua half of the plugin: intercepting Tester:run, finding tests, running one test.
_GLUE = r"""
local M = {}
local collected = {}
local handler = debug.getregistry().__luatorch_traceback or function(e)
   return {msg = tostring(e), traceback = debug.traceback('', 2)}
end
local Tester = torch.Tester

function M.begin()
   collected = {}
   if Tester then
      Tester._collect = function(tester, tests) collected[#collected + 1] = {tester, tests} end
   end
end

function M.finish()
   if Tester then Tester._collect = nil end
end

function M.discover(...)
   local entries, seen = {}, {}
   local function add(key, fn, tester, kind)
      if type(fn) ~= 'function' or seen[fn] then return end
      if key == '_setUp' or key == '_tearDown' then return end
      seen[fn] = true
      local info = debug.getinfo(fn, 'S')
      entries[#entries + 1] = {key = key, name = tostring(key), fn = fn, tester = tester,
                               kind = kind, line = info.linedefined, source = info.source}
   end
   local function addTester(t, kind, tests)
      for k, f in pairs(tests or t.tests) do add(k, f, t, kind) end
   end
   for _, c in ipairs(collected) do addTester(c[1], 'tester', c[2]) end
   for i = 1, select('#', ...) do
      local r = select(i, ...)
      if Tester and torch.typename(r) == 'torch.Tester' then
         addTester(r, 'tester')
      elseif type(r) == 'table' and Tester then
         -- a fresh Tester gives the suite's _setUp/_tearDown their meaning
         local t = Tester()
         if rawget(r, '__isTestSuite') then
            t:add(r)
         else
            for k, f in pairs(r) do
               if type(f) == 'function' then t:add(f, k) end
            end
         end
         addTester(t, 'suite')
      end
   end
   for k, f in pairs(_G) do
      if type(k) == 'string' and k:match('^test_') then add(k, f, nil, 'global') end
   end
   table.sort(entries, function(a, b)
      if a.line ~= b.line then return a.line < b.line end
      return a.name < b.name
   end)
   return entries
end

function M.run(entry)
   local failures = {}
   local previous = Tester and Tester._listener
   if Tester then
      Tester._listener = function(tester, message, traceback)
         failures[#failures + 1] = {message = message, traceback = traceback}
      end
   end
   local ok, status, err
   if entry.tester then
      -- the test itself runs under xpcall so the stack names it <file:line> as Torch shows it
      ok, status, err = xpcall(entry.tester._runTest, handler, entry.tester, entry.key,
                               entry.fn, handler)
      if not ok then status, err = 'error', status end
   else
      ok, err = xpcall(entry.fn, handler)
      status = ok and 'pass' or 'error'
   end
   if Tester then Tester._listener = previous end
   return status, failures, err
end

local P = torch._P
function M.kind(v)
   if P[v] ~= nil then return 'object' end
   if type(v) == 'table' then
      if torch.typename(v) ~= nil then return 'class' end
      return 'table', string.format('%p', v)
   end
   return type(v)
end

return M
"""


@dataclass
class _Loaded:
    runtime: Runtime
    glue: Any
    entries: list[Any]
    output: list[str]


def _load(path: Path, chunk: str, source: str, write: Any = None) -> _Loaded:
    """A runtime that has run the file (Tester:run intercepted) and the tests it defines."""
    output: list[str] = []
    rt = Runtime(write=write or output.append, script_dir=str(path.parent))
    glue = rt.execute(_GLUE, GLUE_NAME)[0]
    fn = rt.compile(source, "@" + chunk)
    glue.begin()
    try:
        results = rt.call(fn)
    finally:
        glue.finish()
    found = glue.discover(*results)
    entries = [found[i] for i in range(1, len(found) + 1)]
    return _Loaded(rt, glue, entries, output)


def _stdout_write(s: str) -> None:
    # looked up per call: pytest swaps sys.stdout while capturing each test
    sys.stdout.write(s)

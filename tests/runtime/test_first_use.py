"""First-use work out of LuaJIT's traces (torch._firstUse in lua/torch/init.lua): a new empty
tensor, sizing an empty tensor and asking Python for a storage run from a function LuaJIT does
not compile for the first FIRST_USE_UNTRACED calls, so that a trace recorded during a
network's first pass (which makes every module's buffers) is abandoned there instead of being
compiled along a path that later passes leave at every call. After that many calls a loop
doing such work compiles as any other (LuaJIT must not have blacklisted it by then).
"""

from __future__ import annotations

import pytest

from luatorch.runtime import Runtime

# the trace events of a loaded chunk's loop; the chunk is loaded at run time (Runtime.execute
# runs its own chunk uncompiled)
EVENTS = r"""
local util = require 'jit.util'
local events, startSrc = {}, {}
-- each trace's events under the source of the function it started in
local function onTrace(what, tr, func, pc)
   if what == 'start' then
      startSrc[tr] = util.funcinfo(func, pc).source
   elseif what == 'abort' or what == 'stop' then
      events[#events + 1] = {what = what, src = startSrc[tr]}
   end
end
local function run(src, name, ...)
   events = {}
   jit.attach(onTrace, 'trace')
   local ok, r = pcall(loadstring(src, '=' .. name), ...)
   jit.attach(onTrace)
   assert(ok, r)
   return events, r
end
local function count(evs, what, src)
   local n = 0
   for _, e in ipairs(evs) do
      if e.what == what and e.src == src then n = n + 1 end
   end
   return n
end
"""


@pytest.fixture
def rt() -> Runtime:
    return Runtime(write=lambda s: None)


@pytest.mark.parametrize(
    "body",
    [
        "local t = torch.Tensor()",
        "local t = x.new()",
        "local t = torch.Tensor(); t:resize(4, 3)",
        "local t = x.new(); t:resizeAs(x)",
    ],
)
def test_first_use_is_not_traced(rt: Runtime, body: str) -> None:
    # the loop is tried (aborted) but never compiled through the first-use work
    src = f"local x = ...; for i = 1, 2000 do {body} end"
    aborted, stopped = rt.execute(
        EVENTS
        + f"""
local evs = run([[{src}]], 'loop', torch.Tensor(4, 3))
return count(evs, 'abort', '=loop'), count(evs, 'stop', '=loop')
"""
    )
    assert aborted >= 1
    assert stopped == 0


# f(i) = i, compiled (Runtime.execute's own chunk runs uncompiled, its functions too)
LOOP = (
    "local n = ...; local f = loadstring('return function(i) return i end')(); local s = 0; "
    "for i = 1, n do s = s + torch._firstUse(f, i) end; return s"
)


def test_loop_compiles_after_the_untraced_calls(rt: Runtime) -> None:
    # 20000 calls use the untraced ones up; a loop of the same calls then compiles
    early, early_sum, late, late_sum = rt.execute(
        EVENTS
        + f"""
local e1, s1 = run([[{LOOP}]], 'early', 2000)
run([[{LOOP}]], 'more', 20000)
local e2, s2 = run([[{LOOP}]], 'late', 2000)
return count(e1, 'stop', '=early'), s1, count(e2, 'stop', '=late'), s2
"""
    )
    assert early == 0
    assert late >= 1
    assert early_sum == late_sum == 2001000


def test_steady_state_loop_compiles(rt: Runtime) -> None:
    # buffers made on a first pass over fresh objects (first-use work), then used: the loop
    # over objects that have their buffers compiles, and its results are right
    stopped, total = rt.execute(
        EVENTS
        + """
local objs = {}
for i = 1, 300 do objs[i] = {} end
local src = [[
local objs, x = ...
local s = 0
for i = 1, #objs do
   local o = objs[i]
   o.buf = o.buf or x.new()
   o.buf:resizeAs(x):copy(x)
   s = s + o.buf:storage()[2]
end
return s
]]
local x = torch.Tensor(4, 3):fill(1.5)
run(src, 'first', objs, x)
local evs, s = run(src, 'later', objs, x)
return count(evs, 'stop', '=later'), s
"""
    )
    assert stopped >= 1
    assert total == 450.0

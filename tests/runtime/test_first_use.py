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


# benchmark h's network (../shared/bench/h_lstm_train.lua): an LSTM cell of nn table modules
# cloned over 25 steps, trained for a few steps; the most aborts of side traces at any one exit
LSTM = r"""
local util = require 'jit.util'
torch.manualSeed(1)
local V, H, T, B = 64, 128, 25, 32
local function lstm_cell()
   local gates = nn.Sequential()
   gates:add(nn.ParallelTable():add(nn.Linear(V, 4 * H)):add(nn.Linear(H, 4 * H)))
   gates:add(nn.CAddTable()):add(nn.Reshape(4, H)):add(nn.SplitTable(2))
   local act = nn.ParallelTable()
   act:add(nn.Sigmoid()):add(nn.Sigmoid()):add(nn.Sigmoid()):add(nn.Tanh())
   gates:add(act)
   local cell = nn.Sequential()
   cell:add(nn.ConcatTable()
      :add(nn.Sequential():add(nn.NarrowTable(1, 2)):add(gates))
      :add(nn.SelectTable(3)))
   cell:add(nn.FlattenTable())
   local newc = nn.Sequential():add(nn.ConcatTable()
      :add(nn.Sequential():add(nn.ConcatTable():add(nn.SelectTable(1)):add(nn.SelectTable(4)))
         :add(nn.CMulTable()))
      :add(nn.Sequential():add(nn.ConcatTable():add(nn.SelectTable(2)):add(nn.SelectTable(5)))
         :add(nn.CMulTable())))
      :add(nn.CAddTable())
   cell:add(nn.ConcatTable():add(nn.SelectTable(3)):add(newc))
   cell:add(nn.ConcatTable()
      :add(nn.Sequential():add(nn.ConcatTable():add(nn.SelectTable(1))
         :add(nn.Sequential():add(nn.SelectTable(2)):add(nn.Tanh()))):add(nn.CMulTable()))
      :add(nn.SelectTable(2)))
   return cell
end
local proto = nn.Sequential():add(lstm_cell())
local head = nn.Sequential():add(nn.Linear(H, V)):add(nn.LogSoftMax())
local params, grads = nn.Sequential():add(proto):add(head):getParameters()
params:uniform(-0.08, 0.08)
local cells, heads = {}, {}
for t = 1, T do
   cells[t] = proto:clone('weight', 'bias', 'gradWeight', 'gradBias')
   heads[t] = head:clone('weight', 'bias', 'gradWeight', 'gradBias')
end
local crit = nn.ClassNLLCriterion()
local data = torch.LongTensor(T + 1, B):random(V)
local xs = {}
for t = 1, T do
   xs[t] = torch.zeros(B, V)
   xs[t]:scatter(2, data[t]:view(B, 1), 1)
end
local function step()
   grads:zero()
   local h, c = {[0] = torch.zeros(B, H)}, {[0] = torch.zeros(B, H)}
   local outs, loss = {}, 0
   for t = 1, T do
      local hc = cells[t]:forward({xs[t], h[t - 1], c[t - 1]})
      h[t], c[t] = hc[1], hc[2]
      outs[t] = heads[t]:forward(h[t])
      loss = loss + crit:forward(outs[t], data[t + 1])
   end
   local dh, dc = torch.zeros(B, H), torch.zeros(B, H)
   for t = T, 1, -1 do
      local dout = crit:backward(outs[t], data[t + 1])
      local dht = heads[t]:backward(h[t], dout):clone():add(dh)
      local d = cells[t]:backward({xs[t], h[t - 1], c[t - 1]}, {dht, dc})
      dh, dc = d[2], d[3]
   end
   params:add(-0.05, grads)
   return loss / T
end
local parent, exit, most = {}, {}, 0
local aborts = {}
local function onTrace(what, tr, func, pc, otr, oex)
   if what == 'start' then
      parent[tr], exit[tr] = otr, oex
   elseif what == 'abort' and parent[tr] ~= nil then
      local key = parent[tr] * 65536 + exit[tr]
      aborts[key] = (aborts[key] or 0) + 1
      if aborts[key] > most then most = aborts[key] end
   end
end
jit.attach(onTrace, 'trace')
local loss
for i = 1, 10 do loss = step() end
jit.attach(onTrace)
return most, loss
"""


def test_lstm_of_table_modules_has_no_side_trace_storm() -> None:
    # A trace recorded along a first pass, left at an exit on every later pass for a side
    # trace LuaJIT could not assemble (NYI: register coalescing too complex), was tried again
    # at every pass: 246 aborts at one exit in 10 steps in 4 of 6 runs of this before
    # torch._firstUse and Container's handlerOf; at most 4 now (40 runs). On two
    # threads the gemm split's per-shape answer (true for most of the network's products,
    # false for two) is such an exit in about 1 run in 20: not checked here.
    rt = Runtime(write=lambda s: None)
    rt.execute("require 'nn'; torch.setnumthreads(1)")
    most, loss = rt.execute(f"return loadstring([==[{LSTM}]==])()")
    assert most < 50, most
    assert 4.0 < loss < 4.2

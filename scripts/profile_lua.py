"""Where a Lua program's time goes inside LuaJIT, measured from inside the runtime.

    python scripts/profile_lua.py [--skip S] [--interval MS] [--top N] [--threads N]
                                  script.lua [arguments]

Runs the script under ``python -m luatorch`` with LuaJIT's own sampling profiler
(``jit.profile``) and trace-event hooks (``jit.attach``) switched on after S seconds of CPU time
(default 3: past start-up and a benchmark's warm-up steps), and prints at the end:

- the samples' share by VM state: N compiled traces (BLAS and other C called from a trace count
  here), I interpreted bytecode, C a C function called from the interpreter, G the garbage
  collector, J the trace compiler;
- the source lines taking most samples in each state (``--top``);
- GC cycles completed and Lua heap bytes allocated per CPU second (the collector's cost is
  cycles x live objects: each cycle sweeps every object);
- traces started, completed and aborted, the aborts by where the trace started, where it
  stopped and why (LuaJIT's error number, and its text when ``jit.vmdef`` can be loaded: lupa
  ships none; ``--jitlib DIR`` takes DIR/jit/vmdef.lua, e.g. from the LuaJIT source lupa was
  built from, after its build generated that file).

perf(1) sees the same run as one shared object: these states say what its time in
``luajit21*.so`` is (gc_sweep and propagatemark for G, lj_BC_* for I). The script is run by
``dofile`` after the profiler is set up, with ``arg`` set from the command line; ``os.exit``
prints the report first. Example (benchmark h, one thread, 100 steps):

    HN=100 python scripts/profile_lua.py --threads 1 ../shared/bench/h_lstm_train.lua
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

SETUP = r"""
local skip, interval, top, script = %s, %d, %d, %s
if %s then package.path = %s .. '/?.lua;' .. package.path end
arg = {[0] = script, %s}
local profile, util = require 'jit.profile', require 'jit.util'
local okVmdef, vmdef = pcall(require, 'jit.vmdef')
local clock = os.clock
local on = false
local states, lines, nSamples = {}, {}, 0
local starts, stops, aborts, abortsBy, lastStart = 0, 0, 0, {}, '?'
local cycles, heap0, cpu0 = 0, 0, 0

local function where(func, pc)
   local fi = util.funcinfo(func, pc)
   return (fi.loc or '?'):gsub('^.*/lua/', '')
end

local function onSample(thread, samples, vmstate)
   if not on then
      if clock() < skip then return end
      on, cpu0, heap0 = true, clock(), collectgarbage('count')
   end
   nSamples = nSamples + samples
   states[vmstate] = (states[vmstate] or 0) + samples
   local k = vmstate .. ' ' .. profile.dumpstack(thread, 'pl', 1):gsub('^.*/lua/', '')
   lines[k] = (lines[k] or 0) + samples
end

local function reason(err, info)
   local text = okVmdef and type(err) == 'number' and vmdef.traceerr[err]
   if type(info) == 'function' then info = where(info, 0) end
   if text then return text:format(info) end
   return 'error ' .. tostring(err) .. ' ' .. tostring(info)
end

jit.attach(function(what, tr, func, pc, otr, oex)
   if not on then return end
   if what == 'start' then
      starts = starts + 1
      lastStart = where(func, pc) .. (otr and (' (side of ' .. otr .. '/' .. oex .. ')') or '')
   elseif what == 'stop' then
      stops = stops + 1
   elseif what == 'abort' then
      aborts = aborts + 1
      local k = lastStart .. ' -> ' .. where(func, pc) .. ': ' .. reason(otr, oex)
      abortsBy[k] = (abortsBy[k] or 0) + 1
   end
end, 'trace')

-- counts the collector's cycles: a finalizer that makes its successor
local function newSentinel()
   local u = newproxy(true)
   getmetatable(u).__gc = function()
      if on then cycles = cycles + 1 end
      newSentinel()
   end
end
newSentinel()

local function sorted(t, n)
   local keys = {}
   for k in pairs(t) do keys[#keys + 1] = k end
   table.sort(keys, function(a, b) return t[a] > t[b] end)
   local out = {}
   for i = 1, math.min(n, #keys) do out[i] = keys[i] end
   return out
end

local reported = false
local function report()
   if reported then return end
   reported = true
   profile.stop()
   jit.attach(function() end)
   local cpu = clock() - cpu0
   print(string.format('profile: %%d samples over %%.2f s of CPU after the first %%.1f s',
                       nSamples, cpu, skip))
   if nSamples == 0 then return end
   local names = {N = 'compiled traces', I = 'interpreted', C = 'C function',
                  G = 'garbage collector', J = 'trace compiler'}
   for _, s in ipairs(sorted(states, 5)) do
      print(string.format('  %%s %%6.1f%%%%  %%s', s, 100 * states[s] / nSamples, names[s] or ''))
   end
   print(string.format('GC: %%.1f cycles per CPU second; heap %%.0f KB now', cycles / cpu,
                       collectgarbage('count')))
   print('top lines by state:')
   for _, k in ipairs(sorted(lines, top)) do
      print(string.format('  %%6.1f%%%%  %%s', 100 * lines[k] / nSamples, k))
   end
   print(string.format('traces: %%d started, %%d completed, %%d aborted', starts, stops, aborts))
   for _, k in ipairs(sorted(abortsBy, top)) do
      print(string.format('  %%5d  %%s', abortsBy[k], k))
   end
end

local exit = os.exit
os.exit = function(...)
   report()
   io.stdout:flush()
   return exit(...)
end
profile.start('li' .. interval, onSample)
dofile(script)
report()
"""


def lua_string(s: str) -> str:
    """s as a quoted Lua string."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main() -> int:
    """Run the script with the profiler and print the report (the script's output first)."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--skip", type=float, default=3.0, help="CPU seconds before sampling starts")
    p.add_argument("--interval", type=int, default=1, help="sampling interval in ms")
    p.add_argument("--top", type=int, default=25, help="lines and aborts listed")
    p.add_argument("--threads", type=int, help="LUATORCH_NUM_THREADS for the run")
    p.add_argument("--jitlib", help="directory holding jit/vmdef.lua (abort texts)")
    p.add_argument("script")
    p.add_argument("args", nargs=argparse.REMAINDER)
    a = p.parse_args()
    script = os.path.abspath(a.script)
    args = ", ".join(lua_string(x) for x in a.args)
    jitlib = lua_string(os.path.abspath(a.jitlib)) if a.jitlib else "nil"
    setup = SETUP % (repr(a.skip), a.interval, a.top, lua_string(script), jitlib, jitlib, args)
    env = dict(os.environ)
    if a.threads is not None:
        env["LUATORCH_NUM_THREADS"] = str(a.threads)
    cmd = [sys.executable, "-m", "luatorch", "-e", setup]
    return subprocess.run(cmd, env=env).returncode


if __name__ == "__main__":
    sys.exit(main())

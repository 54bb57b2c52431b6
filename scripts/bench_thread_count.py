"""One and two kernel threads side by side: the training steps of ../shared/bench's b, c and g
(the same models, inputs and step) timed per module, the thread count switched with
torch.setnumthreads between steps of one process, so both counts see the same load.

Usage: python scripts/bench_thread_count.py [b|c|g] [steps per count]

Prints per module the median and minimum milliseconds of updateOutput, updateGradInput and
accGradParameters on 1 and 2 threads, then the whole step's wall and CPU time (CPU beyond the
wall time is other threads: the pool's, OpenBLAS's spinning workers). Separate processes on
a shared machine differ by more than the effects measured here; alternating steps does not.
"""

from __future__ import annotations

import statistics
import sys
import time

from luatorch.runtime import Runtime

MODELS = {
    "b": """
      model = nn.Sequential()
      model:add(nn.Linear(784, 1024)):add(nn.ReLU())
      model:add(nn.Linear(1024, 1024)):add(nn.ReLU())
      model:add(nn.Linear(1024, 10)):add(nn.LogSoftMax())
      x = torch.randn(128, 784)
      y = torch.LongTensor(128):random(10)
    """,
    "c": """
      model = nn.Sequential()
      model:add(nn.SpatialConvolution(3, 32, 5, 5)):add(nn.ReLU())
      model:add(nn.SpatialMaxPooling(2, 2, 2, 2))
      model:add(nn.SpatialConvolution(32, 64, 5, 5)):add(nn.ReLU())
      model:add(nn.SpatialMaxPooling(2, 2, 2, 2))
      model:add(nn.View(64*5*5))
      model:add(nn.Linear(1600, 256)):add(nn.ReLU())
      model:add(nn.Linear(256, 10)):add(nn.LogSoftMax())
      x = torch.randn(64, 3, 32, 32)
      y = torch.LongTensor(64):random(10)
    """,
    "g": """
      local branch = nn.Sequential()
      branch:add(nn.SpatialConvolution(16, 16, 3, 3, 1, 1, 1, 1))
      branch:add(nn.SpatialBatchNormalization(16)):add(nn.ReLU())
      branch:add(nn.SpatialConvolution(16, 16, 3, 3, 1, 1, 1, 1))
      branch:add(nn.SpatialBatchNormalization(16))
      model = nn.Sequential()
      model:add(nn.ConcatTable():add(branch):add(nn.Identity())):add(nn.CAddTable())
      model:add(nn.ReLU()):add(nn.SpatialAveragePooling(32, 32)):add(nn.View(16))
      model:add(nn.Linear(16, 10)):add(nn.LogSoftMax())
      x = torch.randn(32, 16, 32, 32)
      y = torch.LongTensor(32):random(10)
    """,
}

# every leaf module's three calls timed into times[name][count]; step() as the bench scripts
HARNESS = """
  local crit = nn.ClassNLLCriterion()
  times, order, count = {}, {}, 1
  local function wrap(m, name)
     for _, meth in ipairs{'updateOutput', 'updateGradInput', 'accGradParameters'} do
        local f, key = m[meth], name .. '.' .. meth
        order[#order + 1] = key
        times[key] = {{}, {}}
        m[meth] = function(self, ...)
           local timer = torch.Timer()
           local r = f(self, ...)
           local t = times[key][count]
           t[#t + 1] = timer:time().real
           return r
        end
     end
  end
  local function walk(m, prefix)
     if m.modules then
        for i, c in ipairs(m.modules) do walk(c, prefix .. i .. ':') end
     else
        wrap(m, prefix .. torch.type(m):gsub('^nn%.', ''))
     end
  end
  walk(model, '')
  function step(n)
     count = n
     torch.setnumthreads(n)
     model:zeroGradParameters()
     local out = model:forward(x)
     crit:forward(out, y)
     model:backward(x, crit:backward(out, y))
     model:updateParameters(0.01)
  end
  function reset()
     for _, key in ipairs(order) do times[key] = {{}, {}} end
  end
"""


def main() -> None:
    which = sys.argv[1] if len(sys.argv) > 1 else "c"
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    rt = Runtime()
    rt.execute("require 'nn'; torch.manualSeed(1)\n" + MODELS[which] + HARNESS)
    g = rt.globals
    for _ in range(2):
        for n in (1, 2):
            rt.call(g.step, n)
    rt.call(g.reset)
    wall: dict[int, list[float]] = {1: [], 2: []}
    cpu: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(steps):
        for n in (1, 2):
            c0, t0 = time.process_time(), time.perf_counter()
            rt.call(g.step, n)
            wall[n].append(time.perf_counter() - t0)
            cpu[n].append(time.process_time() - c0)
    print(f"{which}: {steps} steps per count, load average {open('/proc/loadavg').read()[:14]}")
    print(f"{'module call (ms)':<42} {'med 1':>8} {'med 2':>8} {'min 1':>8} {'min 2':>8}")
    for key in g.order.values():
        runs = [list(g.times[key][n].values()) for n in (1, 2)]
        if not runs[0] or max(runs[0]) < 1e-4:
            continue
        med = [statistics.median(r) * 1e3 for r in runs]
        low = [min(r) * 1e3 for r in runs]
        print(f"{key:<42} {med[0]:>8.3f} {med[1]:>8.3f} {low[0]:>8.3f} {low[1]:>8.3f}")
    for label, table in (("step wall", wall), ("step CPU", cpu)):
        med = [statistics.median(table[n]) * 1e3 for n in (1, 2)]
        low = [min(table[n]) * 1e3 for n in (1, 2)]
        print(f"{label:<42} {med[0]:>8.3f} {med[1]:>8.3f} {low[0]:>8.3f} {low[1]:>8.3f}")


if __name__ == "__main__":
    main()

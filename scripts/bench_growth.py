"""Cost growth: the b MLP train step at hidden sizes 256, 1024, 4096 and the f benchmark's in-place
``x:add(y)`` at 10, 1e3, 1e5, 1e7 elements, luatorch beside PyTorch (when installed), one run.

    python scripts/bench_growth.py [--hidden 256,1024,4096] [--sizes 10,1000,100000,10000000]

Both sides run the same workload as ../shared/bench/b_mlp_train.lua (batch 128, 784 inputs, two
hidden layers, 10 classes, ClassNLL on LogSoftMax, updateParameters(0.01)); each measurement runs
in a fresh process. Prints a table of medians and the luatorch / PyTorch ratio.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys

LUA_MLP = """
require 'nn'
torch.manualSeed(1)
local H = {hidden}
local model = nn.Sequential()
model:add(nn.Linear(784, H)):add(nn.ReLU())
model:add(nn.Linear(H, H)):add(nn.ReLU())
model:add(nn.Linear(H, 10)):add(nn.LogSoftMax())
local crit = nn.ClassNLLCriterion()
local x = torch.randn(128, 784)
local y = torch.LongTensor(128):random(10)
local function step()
   model:zeroGradParameters()
   local out = model:forward(x)
   crit:forward(out, y)
   model:backward(x, crit:backward(out, y))
   model:updateParameters(0.01)
end
for i = 1, 2 do step() end
local t = {{}}
for i = 1, {steps} do
   local timer = torch.Timer()
   step()
   t[i] = timer:time().real
end
table.sort(t)
print(string.format('RESULT %.4f', t[math.ceil(#t / 2)] * 1e3))
"""

LUA_ADD = """
local x, y = torch.randn({n}), torch.randn({n})
local reps = {reps}
for i = 1, math.max(3, reps / 10) do x:add(y) end
local t = {{}}
for k = 1, 5 do
   local timer = torch.Timer()
   for i = 1, reps do x:add(y) end
   t[k] = timer:time().real / reps
end
table.sort(t)
print(string.format('RESULT %.6f', t[3] * 1e6))
"""

PY_MLP = """
import statistics, time, torch, torch.nn as nn, torch.nn.functional as F
torch.set_default_dtype(torch.float64)
H = {hidden}
model = nn.Sequential(nn.Linear(784, H), nn.ReLU(), nn.Linear(H, H), nn.ReLU(), nn.Linear(H, 10),
                      nn.LogSoftmax(1))
x, y = torch.randn(128, 784), torch.randint(0, 10, (128,))
def step():
    model.zero_grad()
    F.nll_loss(model(x), y).backward()
    with torch.no_grad():
        for p in model.parameters():
            p -= 0.01 * p.grad
for _ in range(2):
    step()
ts = []
for _ in range({steps}):
    t = time.perf_counter(); step(); ts.append(time.perf_counter() - t)
print(f"RESULT {{statistics.median(ts) * 1e3:.4f}}")
"""

PY_ADD = """
import time, torch
torch.set_default_dtype(torch.float64)
x, y = torch.randn({n}), torch.randn({n})
reps = {reps}
for _ in range(max(3, reps // 10)):
    x.add_(y)
ts = []
for _ in range(5):
    t = time.perf_counter()
    for _ in range(reps):
        x.add_(y)
    ts.append((time.perf_counter() - t) / reps)
ts.sort()
print(f"RESULT {{ts[2] * 1e6:.6f}}")
"""

RUNNER = "import sys; from luatorch.runtime import Runtime; Runtime().execute(sys.stdin.read())"


def measure(cmd: list[str], code: str) -> float | None:
    proc = subprocess.run(cmd, input=code, capture_output=True, text=True)
    m = re.search(r"RESULT ([\d.]+)", proc.stdout)
    if not m:
        print(f"# failed: {proc.stderr.strip()[-500:]}", file=sys.stderr)
        return None
    return float(m.group(1))


def row(label: str, unit: str, ours: float | None, ref: float | None) -> str:
    def fmt(v: float | None) -> str:
        return "-" if v is None else f"{v:.4g}"

    ratio = f"{ours / ref:.2f}x" if ours and ref else "-"
    return f"| {label} | {unit} | {fmt(ours)} | {fmt(ref)} | {ratio} |"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hidden", default="256,1024,4096")
    ap.add_argument("--sizes", default="10,1000,100000,10000000")
    ap.add_argument("--no-pytorch", action="store_true")
    args = ap.parse_args()
    have_torch = not args.no_pytorch
    if have_torch:
        try:
            import torch  # noqa: F401
        except ImportError:
            have_torch = False
    lua = [sys.executable, "-c", RUNNER]
    py = [sys.executable, "-"]
    env_note = os.environ.get("LUATORCH_NUM_THREADS", "default")
    print(f"# threads: LUATORCH_NUM_THREADS={env_note}")
    print("| workload | unit | luatorch | PyTorch | ratio |")
    print("| --- | --- | --- | --- | --- |")
    for h in (int(v) for v in args.hidden.split(",")):
        steps = 20 if h <= 1024 else 5
        ours = measure(lua, LUA_MLP.format(hidden=h, steps=steps))
        ref = measure(py, PY_MLP.format(hidden=h, steps=steps)) if have_torch else None
        print(row(f"b: MLP train step, hidden {h}", "ms", ours, ref), flush=True)
    for n in (int(v) for v in args.sizes.split(",")):
        reps = max(5, min(200000, int(2e7 / n)))
        ours = measure(lua, LUA_ADD.format(n=n, reps=reps))
        ref = measure(py, PY_ADD.format(n=n, reps=reps)) if have_torch else None
        print(row(f"f: x:add(y), {n:g} elements", "µs", ours, ref), flush=True)


if __name__ == "__main__":
    main()

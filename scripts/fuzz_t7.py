"""Fuzz torch.load and luatorch.t7.load with mutated golden .t7 files.

    python scripts/fuzz_t7.py [--seconds 300] [--seed N] [--golden DIR]

Every mutated file must either load or fail with a clean error (LuaError from torch.load,
T7Error from luatorch.t7): any other exception, a hang or a crash is a bug. --gadgets N also
writes N files (from a separate runtime, as a file from elsewhere) that put the bytecode of
loaded classes' methods under other names in objects; each must be refused (allowFunctions).
The case being run
is written to fuzz_t7_current.t7 first, so a crash leaves its reproducer behind; failures are
kept as fuzz_t7_fail_N.t7.
"""

from __future__ import annotations

import argparse
import random
import struct
import sys
import time
import traceback
from pathlib import Path

from luatorch import t7
from luatorch.runtime import LuaError, Runtime

INTERESTING = [-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 64, 1000, 2**31 - 1, -(2**31)]


def mutate(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        if not b:
            break
        i = rng.randrange(len(b))
        op = rng.choice(["flip", "set", "cut", "insert", "int", "dup"])
        if op == "flip":
            b[i] ^= 1 << rng.randrange(8)
        elif op == "set":
            b[i] = rng.randrange(256)
        elif op == "cut":
            del b[i:]
        elif op == "insert":
            b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif op == "int":
            j = i - i % 4
            b[j : j + 4] = struct.pack("<i", rng.choice(INTERESTING))
        else:
            j = rng.randrange(len(b))
            b[i:i] = b[j : j + rng.randint(1, 32)]
    return bytes(b)


GADGET_WRITER = r"""
require 'nn'; pcall(require, 'optim'); pcall(require, 'nngraph')
local seed, path = ...
math.randomseed(seed)
local methods = {}
for _, pkg in ipairs({nn, optim or {}, torch}) do
   for cname, class in pairs(pkg) do
      local mt = type(class) == 'table' and torch.getmetatable(torch.typename(class) or '')
      if mt then
         for k, v in pairs(mt) do
            if type(v) == 'function' and pcall(string.dump, v) then
               methods[#methods + 1] = v
            end
         end
      end
   end
end
table.sort(methods, function(a, b) return tostring(a) < tostring(b) end)
local names = {'pow', '__tostring__', 'forward', 'updateOutput', 'read', '__index', 'add',
   '__call__', 'size', 'type', 'clone', 'float', 'fill', 'accUpdateGradParameters', 'x'}
local f = loadstring(string.dump(methods[math.random(#methods)]))
local name = names[math.random(#names)]
local holders = {
   function() local m = nn.Linear(2, 2); m[name] = f; return m end,
   function() local b = nn.BatchNormalization(2); b.running_std = {[name] = f}; return b end,
   function() return {[name] = f, data = torch.Tensor(2)} end,
   function() local s = nn.Sequential():add(nn.Tanh()); s.modules[1][name] = f; return s end,
}
torch.save(path, holders[math.random(#holders)]())
return name
"""


def run_gadgets(n: int, seed: int) -> tuple[int, int]:
    """n files with a known method under another name; returns (refused, problems)."""
    attacker = Runtime(write=lambda s: None)
    victim = Runtime(write=lambda s: None)
    victim.execute("require 'nn'; pcall(require, 'optim'); pcall(require, 'nngraph')")
    path = Path("fuzz_t7_gadget.t7").resolve()
    refused = problems = 0
    for i in range(n):
        attacker.execute(GADGET_WRITER, "=gadget", seed + i, str(path))
        try:
            victim.execute("local o = torch.load(...); print(o)", "=fuzz", str(path))
            problems += 1
            print(f"gadget {i} loaded without the opt-in")
        except LuaError as e:
            if "allowFunctions" in e.message:
                refused += 1
            else:
                problems += 1
                print(f"gadget {i}: {e.message[:200]}")
    path.unlink(missing_ok=True)
    return refused, problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=300)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument(
        "--golden", default=str(Path(__file__).resolve().parents[2] / "shared" / "golden" / "t7")
    )
    ap.add_argument("--gadgets", type=int, default=0)
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    gadget_problems = 0
    if args.gadgets:
        refused, gadget_problems = run_gadgets(args.gadgets, seed)
        print(f"{args.gadgets} gadget files: {refused} refused, {gadget_problems} problems")
    rng = random.Random(seed)
    seeds = []
    for p in sorted(Path(args.golden).glob("*.t7")):
        if p.name != "function.t7":
            seeds.append((p.read_bytes(), "ascii" if p.name.endswith(".ascii.t7") else "binary"))
    rt = Runtime(write=lambda s: None)
    rt.execute("pcall(require, 'nn')")
    current = Path("fuzz_t7_current.t7")
    runs = loaded = failures = 0
    end = time.monotonic() + args.seconds
    print(f"fuzzing {len(seeds)} golden files for {args.seconds:g}s, seed {seed}")
    while time.monotonic() < end:
        data, mode = rng.choice(seeds)
        case = mutate(rng, data)
        current.write_bytes(case)
        runs += 1
        ok = True
        t0 = time.monotonic()
        try:
            rt.execute("torch.load(...)", "=fuzz", str(current.resolve()), mode)
            loaded += 1
        except LuaError:
            pass
        except Exception:  # noqa: BLE001 (any other exception is the bug we look for)
            ok = False
            traceback.print_exc()
        try:
            t7.loads(case, mode)
        except t7.T7Error:
            pass
        except Exception:  # noqa: BLE001
            ok = False
            traceback.print_exc()
        if time.monotonic() - t0 > 5:
            ok = False
            print(f"slow case: {time.monotonic() - t0:.1f}s")
        if not ok:
            failures += 1
            Path(f"fuzz_t7_fail_{failures}.t7").write_bytes(case)
            print(f"failure {failures} ({mode}) kept as fuzz_t7_fail_{failures}.t7")
    current.unlink(missing_ok=True)
    print(f"{runs} cases, {loaded} loaded, {failures} failures (seed {seed})")
    return 1 if failures or gadget_problems else 0


if __name__ == "__main__":
    sys.exit(main())

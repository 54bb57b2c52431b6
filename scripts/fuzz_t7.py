"""Fuzz torch.load and luatorch.t7.load with mutated golden .t7 files.

    python scripts/fuzz_t7.py [--seconds 300] [--seed N] [--golden DIR]

Every mutated file must either load or fail with a clean error (LuaError from torch.load,
T7Error from luatorch.t7): any other exception, a hang or a crash is a bug. The case being run
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=300)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument(
        "--golden", default=str(Path(__file__).resolve().parents[2] / "shared" / "golden" / "t7")
    )
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(2**32)
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
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""Soak test: long Lua loops that make and drop tensors keep the process's memory flat.

Each loop runs in a fresh process, without the script calling collectgarbage; RSS is sampled
along the way and compared with the RSS after the first 10k iterations. The target (issue 16):
10^6 iterations stay within 50 MB of it.

    python scripts/soak_memory.py [--iterations 1000000] [--limit-mb 50] [--loop NAME]

Prints one line per sample and a verdict per loop; exits 1 if any loop grew past the limit.
tests/runtime/test_security.py runs a short version of the same loops.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

LOOPS = {
    "randn": "local a = torch.randn(10)",
    "mixed": (
        "local a = torch.randn(10); local b = a + 1; local c = b:narrow(1, 2, 5); "
        "local d = torch.cat(a, c); local e = d:view(3, 5)"
    ),
    "nn": (
        "local y = m:forward(x); m:zeroGradParameters(); m:backward(x, y:clone():fill(1)); "
        "m:updateParameters(0.01)"
    ),
}
SETUP = (
    "require 'nn'; m = nn.Sequential():add(nn.Linear(10, 20)):add(nn.Tanh()); "
    "x = torch.randn(4, 10)"
)

PROBE = """
import json, os, sys, time
from luatorch.runtime import Runtime

def rss_mb():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE') / 2**20

body, total, samples = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rt = Runtime(write=lambda s: None)
rt.execute(sys.argv[4])
(step,) = rt.execute("return function(n) for i = 1, n do " + body + " end end")
step(10000)
print(json.dumps({"done": 10000, "rss": rss_mb()}), flush=True)
chunk = max(1, (total - 10000) // samples)
done = 10000
while done < total:
    t = time.perf_counter()
    n = min(chunk, total - done)
    step(n)
    done += n
    print(json.dumps({"done": done, "rss": rss_mb(), "s": time.perf_counter() - t}), flush=True)
"""


def soak(name: str, iterations: int, samples: int) -> tuple[float, float]:
    """Run one loop; returns (RSS after 10k iterations, highest RSS seen) in MB."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    cmd = [sys.executable, "-c", PROBE, LOOPS[name], str(iterations), str(samples), SETUP]
    first = peak = 0.0
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            rec = json.loads(line)
            if rec["done"] == 10000:
                first = rec["rss"]
            peak = max(peak, rec["rss"])
            speed = f"{rec['s']:.1f}s" if "s" in rec else ""
            print(f"{name:6} {rec['done']:>8} iterations  RSS {rec['rss']:7.1f} MB  {speed}")
    if proc.returncode:
        raise SystemExit(f"{name}: the probe failed ({proc.returncode})")
    return first, peak


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--iterations", type=int, default=1_000_000)
    ap.add_argument("--limit-mb", type=float, default=50.0)
    ap.add_argument("--samples", type=int, default=10)
    ap.add_argument("--loop", choices=sorted(LOOPS), action="append")
    opts = ap.parse_args()
    failed = False
    for name in opts.loop or list(LOOPS):
        t = time.perf_counter()
        first, peak = soak(name, opts.iterations, opts.samples)
        growth = peak - first
        ok = growth <= opts.limit_mb
        failed |= not ok
        verdict = "ok" if ok else "GROWS"
        print(
            f"{name}: {opts.iterations} iterations in {time.perf_counter() - t:.0f}s, RSS "
            f"{first:.1f} -> peak {peak:.1f} MB (+{growth:.1f}, limit {opts.limit_mb}): {verdict}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

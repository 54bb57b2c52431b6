"""When a full Lua collection runs: the memory Lua's proxies keep alive in Python, paid for."""

from __future__ import annotations

# Lua cannot see the size of the numpy buffers its proxies keep alive: collect after this much.
# Dead buffers wait for the collection, so this is about what a loop's garbage adds to the
# process's peak: 64 MB left the LSTM benchmark (h) 25 MB above 32 MB (the 50 clones of its
# cells drop 86 MB of copied parameters), at the same number of collections per training
# step, which the proxies below set there. Small enough too that freed buffers are reused:
# past ~128 MB of dead arrays glibc gives the memory back to the OS and every new array
# page-faults afresh (measured: `x + y` at 1M elements took 14-18 ms at 256 MB, 0.5 ms at
# 64 MB; numpy alone 0.3 ms). A loop allocating 8 MB per call (`torch.exp` of 1M doubles)
# collects every 4 calls: 2-4% of its time.
GC_EVERY_BYTES = 32 * 2**20

# Lua's collector paces itself on Lua's bytes: a tensor's proxy is a few dozen, while what it
# keeps alive in Python (Tensor, Storage, numpy header, lupa's wrapper) is about a kilobyte.
# Unpaid, that let a loop of small temporaries grow the process by hundreds of MB (issue 16).
# Each proxy handed to Lua counts this much toward the collection above: one runs at least
# every 16k proxies, whatever their numpy sizes.
PROXY_BYTES = 2048

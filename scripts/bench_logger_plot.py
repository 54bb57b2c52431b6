"""Time optim.Logger:plot() called every iteration of a 1000-step loop (issue 15).

    python scripts/bench_logger_plot.py

Prints the loop's wall and CPU time and the time to the finished pictures. Torch's Logger sent
every plot to gnuplot, which only redrew its window; luatorch draws lazily, so the loop itself
should take well under a second (it took 110-120 s when every call drew a PNG).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from luatorch.runtime import Runtime

LOOP = """
require 'optim'
local logger = optim.Logger(...)
logger:setNames{'train loss', 'test loss'}
logger:style{'-', '+-'}
local timer, cpu = torch.Timer(), os.clock()
for i = 1, 1000 do
   logger:add{1 / i, 2 / i}
   logger:plot()
end
return timer:time().real, os.clock() - cpu
"""


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        rt = Runtime()
        start = time.perf_counter()
        wall, cpu = rt.execute(LOOP, "=bench", str(Path(tmp) / "train.log"))
        total = time.perf_counter() - start
        print(f"1000 x Logger:plot(): loop {wall:.3f} s wall, {cpu:.3f} s cpu")
        print(f"with the final pictures drawn: {total:.3f} s")


if __name__ == "__main__":
    main()

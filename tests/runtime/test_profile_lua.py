"""scripts/profile_lua.py: LuaJIT's profiler and trace events around a script, report at the end."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "profile_lua.py"

PROGRAM = """
local t, s = {}, 0
for i = 1, 2e7 do
   s = s + i % 7
   if i % 1000 == 0 then t[#t + 1] = {i} end
   if #t > 100 then t = {} end
end
print('done', s, arg[1])
if arg[2] == 'exit' then os.exit(3) end
"""


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    prog = tmp_path / "prog.lua"
    prog.write_text(PROGRAM)
    env = dict(os.environ, PYTHONPATH=str(SCRIPT.parents[1]))
    cmd = [sys.executable, str(SCRIPT), "--skip", "0", "--top", "3", str(prog), *args]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)


def test_report_after_the_script(tmp_path: Path) -> None:
    r = _run(tmp_path, "x")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert re.search(r"done\s+60000003\s+x", out)  # the script ran, with its arguments
    assert out.index("done") < out.index("profile:")
    n = int(re.search(r"profile: (\d+) samples", out).group(1))
    assert n > 0
    shares = [float(x) for x in re.findall(r"^  [NICGJ]\s+([\d.]+)%", out, re.M)]
    assert shares and abs(sum(shares) - 100) < 0.5
    assert re.search(r"^  N\s+[\d.]+%\s+compiled traces", out, re.M)  # the loop was compiled
    assert re.search(r"prog\.lua:\d+", out)  # lines of the script itself
    started = int(re.search(r"traces: (\d+) started, (\d+) completed", out).group(1))
    assert started >= 1
    assert re.search(r"GC: [\d.]+ cycles per CPU second", out)


def test_os_exit_reports_first(tmp_path: Path) -> None:
    r = _run(tmp_path, "y", "exit")
    assert r.returncode == 3, r.stderr
    assert "profile:" in r.stdout and "traces:" in r.stdout

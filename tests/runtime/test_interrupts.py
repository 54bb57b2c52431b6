"""Ctrl-C during a kernel: the tensors it touched stay valid and the runtime goes on.

A trace hook raises KeyboardInterrupt at the k-th Python call made while Lua runs a workload,
for every k: Ctrl-C arriving at each point inside the bindings in turn. After each, every tensor
of the workload must be self-consistent (its storage holds every element its size and stride
reach), computable, and the runtime must still work. A REPL subprocess gets real SIGINTs.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import Any

import pytest

import luatorch.tensor.core as core
from luatorch.runtime import LuaError, Runtime

SETUP = """
t = torch.Tensor(3, 4):fill(1)
u = t:narrow(2, 2, 2)
s = torch.DoubleStorage(6):fill(2)
lin = nn.Linear(4, 3)
x = torch.ones(2, 4)
"""

WORKLOAD = """
return pcall(function()
   t:resize(5, 6)
   t:add(2)
   u:copy(torch.ones(3, 2))
   local m = torch.mm(t, t:t())
   s:resize(20)
   t:resize(2, 2):zero()
   t:set(s, 3, 2, 3)
   lin:forward(x)
   lin:backward(x, torch.ones(2, 3))
   u:resize(7):fill(3)
   return m:sum()
end)
"""


def consistent(tensor: Any) -> bool:
    """Every element the size and stride reach lies inside the storage."""
    if tensor.nelement() == 0:
        return True
    if tensor.storage is None:
        return False
    last = tensor.offset + sum(
        (n - 1) * st for n, st in zip(tensor.size, tensor.stride, strict=True)
    )
    return tensor.offset >= 0 and last < tensor.storage.size()


@pytest.fixture(scope="module")
def rt() -> Runtime:
    rt = Runtime(write=lambda s: None)
    rt.execute("require 'nn'")
    return rt


def run_interrupted_at(rt: Runtime, k: int) -> tuple[bool, Any]:
    """The workload with KeyboardInterrupt raised at the k-th Python call; (interrupted, res)."""
    calls = 0
    fired = False

    def tracer(frame: Any, event: str, arg: Any) -> None:
        nonlocal calls, fired
        # only calls made from Lua (not Runtime.call's own Python, around the Lua call)
        if (
            event == "call"
            and not fired
            and not frame.f_code.co_filename.endswith(("runtime/state.py", "test_interrupts.py"))
        ):
            calls += 1
            if calls == k:
                fired = True
                raise KeyboardInterrupt
        return None

    rt.execute(SETUP, "=setup")
    fn = rt.compile(WORKLOAD, "=workload")
    sys.settrace(tracer)
    try:
        res = rt.call(fn)
    finally:
        sys.settrace(None)
    return fired, res


def test_interrupt_at_every_point_of_a_workload(rt: Runtime) -> None:
    P = rt.eval("torch._P")
    interrupted = absorbed = 0
    for k in range(1, 400):
        fired, (ok, res) = run_interrupted_at(rt, k)
        if not fired:
            assert ok, res  # ran to the end: k is past the workload's last Python call
            break
        interrupted += 1
        if ok:
            # the hook landed where Python itself drops exceptions (a finalizer run by a
            # collection); the workload then finished with the right answer
            assert res == 600, (k, res)
            absorbed += 1
        else:
            # Ctrl-C inside a binding surfaces as Lua's 'interrupted!'; inside Lua code it may
            # be wrapped by whatever the binding was doing, but it is always a clean string
            assert isinstance(res, str), (k, res)
            assert "Traceback" not in res and "KeyboardInterrupt" not in res, (k, res)
        for name in ("t", "u", "x"):
            tensor = P[rt.globals[name]]
            assert consistent(tensor), (k, name, tensor.size, tensor.stride, tensor.offset)
        weight = P[rt.eval("lin.weight")]
        assert consistent(weight)
        # everything still computes, and the runtime is intact
        assert rt.eval("t:clone():fill(1):sum() == t:nElement()") is True, k
        assert rt.eval("u:clone():sum() == u:clone():sum()") is True
        assert rt.eval("torch.mm(torch.ones(2, 3), torch.ones(3, 2)):sum()") == 12
        assert rt.eval("lin:forward(x):size(1)") == 2
    assert interrupted > 30  # the hook really did land inside many different bindings
    assert absorbed <= interrupted // 20, (absorbed, interrupted)


def test_interrupted_allocation_keeps_the_tensor(rt: Runtime, monkeypatch: Any) -> None:
    def ctrl_c(n: int, itemsize: int) -> None:
        if n >= 10**6:
            raise KeyboardInterrupt

    rt.execute("t = torch.Tensor(2, 3):fill(7)")
    monkeypatch.setattr(core, "check_alloc", ctrl_c)
    ok, msg = rt.execute("return pcall(function() t:resize(1000, 1000) end)")
    assert ok is False and msg.endswith("interrupted!"), msg
    with pytest.raises(LuaError, match="interrupted!"):
        rt.execute("t:resize(1000, 1000)")
    monkeypatch.undo()
    assert rt.execute("return t:dim(), t:size(1), t:size(2), t:sum()") == (2, 2, 3, 42)
    assert rt.eval("t:resize(1000, 1000):fill(1):sum()") == 10**6


def test_sigint_in_the_repl(tmp_path: Any) -> None:
    """Real Ctrl-C: inside tensor calls, in a pure-Lua loop; the session keeps its state."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "luatorch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=tmp_path,
    )

    def send(line: str, wait: float = 0.0) -> None:
        assert proc.stdin
        proc.stdin.write(line + "\n")
        proc.stdin.flush()
        if wait:
            time.sleep(wait)
            proc.send_signal(signal.SIGINT)

    try:
        send("t = torch.Tensor(100):fill(1); for i = 1, 1e9 do t:add(1) end", 2.0)
        send("print('size', t:size(1), t:sum() == t[1] * 100)")
        send("while true do end", 1.0)
        send("x = torch.Tensor(10, 10); for i = 1, 1e9 do x:resize(10 + i % 7, 10) end", 1.0)
        send("print('x', x:dim(), x:nElement() == x:size(1) * 10, x:sum() == x:sum())")
        send("print('alive')")
        proc.stdin.close()
        out = proc.stdout.read()
        proc.wait(30)
    finally:
        proc.kill()
    assert out.count("interrupted!") == 3, out
    assert "size\t100\ttrue" in out, out
    assert "x\t2\ttrue\ttrue" in out, out
    assert "alive" in out
    assert "Traceback" not in out

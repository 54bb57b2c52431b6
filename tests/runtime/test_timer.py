"""torch.Timer: wall time read in LuaJIT (no call into Python inside the timed interval), CPU
time as os.clock gives it, and a script's own FFI declaration of clock_gettime untouched."""

from __future__ import annotations

import time

from luatorch.runtime import Runtime


def test_real_time_follows_the_wall_clock():
    rt = Runtime(write=lambda s: None)
    timer = rt.execute("local t = torch.Timer(); return function() return t:time().real end")[0]
    t0 = time.perf_counter()
    r0 = timer()
    time.sleep(0.05)
    r1 = timer()
    t1 = time.perf_counter()
    assert 0.045 <= r1 - r0 <= t1 - t0 + 1e-3


def test_stop_resume_reset():
    rt = Runtime(write=lambda s: None)
    ok = rt.execute(
        """
        local function spin(s) local t = os.clock(); while os.clock() - t < s do end end
        local t = torch.Timer()
        spin(0.02)
        t:stop()
        local a = t:time()
        spin(0.02)
        local b = t:time()
        t:resume()
        spin(0.02)
        local c = t:time()
        t:reset()
        local d = t:time()
        return a.real >= 0.02 and a.user > 0.01 and b.real == a.real and b.user == a.user
           and c.real >= a.real + 0.02 and c.user > a.user and d.real < 0.01 and d.sys == 0
        """
    )
    assert ok == (True,)


def test_a_scripts_own_clock_gettime_declaration_works():
    # the Timer's declaration lives under a name of its own: a script declaring clock_gettime
    # with its own struct (as under Torch7, where nothing declares it) calls it with that struct
    rt = Runtime(write=lambda s: None)
    ok = rt.execute(
        """
        local ffi = require 'ffi'
        torch.Timer():time()
        ffi.cdef[[
        struct timespec { long tv_sec; long tv_nsec; };
        int clock_gettime(int clk_id, struct timespec *tp);
        ]]
        local ts = ffi.new('struct timespec')
        return ffi.C.clock_gettime(1, ts) == 0 and ts.tv_sec > 0
        """
    )
    assert ok == (True,)

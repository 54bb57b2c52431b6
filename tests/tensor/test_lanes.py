"""lanes.split: element-wise work over threads with a lock hand-off (luatorch/tensor/lanes.py).

Every range is run exactly once, by its thread or taken back by the caller; errors reach the
caller; a split from a second thread while one runs does its work on that thread alone; and
large element-wise tensor methods split this way give the one-thread bits.
"""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from luatorch.runtime import Runtime
from luatorch.tensor import lanes, threadpool


@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_every_range_runs_once(k: int) -> None:
    for total in (1, 2, 7, 1000):
        for _ in range(50):
            seen = np.zeros(total, dtype=np.int64)
            lock = threading.Lock()

            def part(lo: int, hi: int, seen=seen, lock=lock) -> None:
                with lock:
                    seen[lo:hi] += 1

            lanes.split(part, total, k)
            assert (seen == 1).all()


def test_a_slow_thread_part_is_taken_back_and_later_splits_still_cover_everything() -> None:
    # the caller's first range takes long enough for a lane to start, or not: both ways every
    # element is done once, and the lane's owed end is collected before its next job
    out = np.zeros(10_000)
    for i in range(200):

        def part(lo: int, hi: int, i=i) -> None:
            if lo == 0 and i % 3 == 0:
                time.sleep(0.0005)
            out[lo:hi] += 1

        lanes.split(part, out.size, 2)
    assert (out == 200).all()


def test_errors_reach_the_caller_and_the_lanes_keep_working() -> None:
    def bad(lo: int, hi: int) -> None:
        if hi == 100:  # the last range: a lane's, or the caller's when it runs them all
            raise ValueError("part failed")

    for _ in range(20):
        with pytest.raises(ValueError, match="part failed"):
            lanes.split(bad, 100, 2)
    out = np.zeros(100)

    def good(lo: int, hi: int) -> None:
        out[lo:hi] += 1

    lanes.split(good, 100, 2)
    assert (out == 1).all()


def test_splits_from_two_threads_at_once() -> None:
    results = []

    def run(seed: int) -> None:
        rng = np.random.default_rng(seed)
        a, b = rng.random(200_000), rng.random(200_000)
        want = a * b
        for _ in range(30):
            got = np.empty_like(a)

            def part(lo: int, hi: int, got=got) -> None:
                np.multiply(a[lo:hi], b[lo:hi], out=got[lo:hi])

            lanes.split(part, a.size, 2)
            results.append(np.array_equal(got, want))

    threads = [threading.Thread(target=run, args=(s,)) for s in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 90 and all(results)


def test_large_element_wise_methods_give_the_one_thread_bits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    splits = []
    real = lanes.split

    def spy(fn, total: int, k: int) -> None:
        splits.append(k)
        real(fn, total, k)

    monkeypatch.setattr(lanes, "split", spy)
    rt = Runtime(write=lambda s: None)
    code = """
    torch.manualSeed(5)
    local n = 600001
    local x, y = torch.randn(n), torch.randn(n)
    x[3], y[3], x[4], y[4], x[5] = -0.0, 5, 0, -2, 0 / 0
    local r = {x:clone():cmul(y), torch.cmul(x, y), x + y, x - y, torch.cdiv(x, y),
               x:clone():add(2, y), torch.Tensor(n):add(x, y), x:clone():mul(-3)}
    return r
    """
    old = threadpool.get_num_threads()
    try:
        outs = []
        for n in (1, 2):
            threadpool.set_num_threads(n)
            rt.execute(f"torch.setnumthreads({n})")
            ts = rt.execute(code)[0]
            outs.append([rt.globals.torch._P[ts[i + 1]].arr.copy() for i in range(len(ts))])
    finally:
        threadpool.set_num_threads(old)
        rt.execute(f"torch.setnumthreads({old})")
    assert 2 in splits
    for one, two in zip(outs[0], outs[1], strict=True):
        assert one.tobytes() == two.tobytes()
    assert np.signbit(outs[1][0][2]) and outs[1][0][2] == 0  # -0 * 5 keeps its sign


def test_the_lanes_let_go_of_the_operands() -> None:
    import gc
    import weakref

    class Big:
        pass

    big = Big()
    ref = weakref.ref(big)

    def part(lo: int, hi: int, big=big) -> None:
        pass

    lanes.split(part, 10, 2)
    del big, part
    gc.collect()
    assert ref() is None

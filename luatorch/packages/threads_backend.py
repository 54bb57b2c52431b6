"""The OS-level half of the Lua ``threads`` package (torch/threads): worker threads, job queues,
mutexes, condition variables, and the hand-over of objects shared by reference.

Each worker is a real OS thread running its own luatorch Runtime (its own LuaJIT state). Only
serialized jobs cross between states: a job is a CharStorage written by the sending state's
serializer and read by the receiving one, so no Lua value is ever touched by two states. lupa
releases the GIL while Lua runs and numpy releases it in its loops, so workers run in parallel
there. Everything here is process-wide: queues, mutexes and conditions are found by a numeric id,
as the C library's are by pointer, so any state can reach them.

This is unrelated to ``luatorch/tensor/threadpool.py`` (the numpy kernels' own thread pool).
"""

from __future__ import annotations

import itertools
import queue
import threading
from collections.abc import Callable
from typing import Any

from ..tensor.core import TorchError

_ids = itertools.count(1)
_registry_lock = threading.Lock()
_queues: dict[int, queue.Queue] = {}
_mutexes: dict[int, threading.Lock] = {}
_conditions: dict[int, Condition] = {}
_threads: dict[int, threading.Thread] = {}
# objects written by threads.sharedserialize, waiting to be read by another state
_shared: dict[int, Any] = {}


class Condition:
    """A condition variable that waits with any mutex (as pthread_cond_wait does; Python's
    threading.Condition is tied to one lock at creation)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiters: list[threading.Lock] = []

    def wait(self, mutex: threading.Lock) -> None:
        waiter = threading.Lock()
        waiter.acquire()
        with self._lock:
            self._waiters.append(waiter)
        mutex.release()
        try:
            waiter.acquire()
        finally:
            mutex.acquire()

    def signal(self) -> None:
        with self._lock:
            if self._waiters:
                self._waiters.pop(0).release()

    def broadcast(self) -> None:
        with self._lock:
            waiters, self._waiters = self._waiters, []
        for w in waiters:
            w.release()


class _Owner:
    """Held by a Lua object (a pool, a threads.safe function): when Lua drops it, ``release``
    runs from Python's finalizer. A Lua __gc must not call Python: at lua_close the runtime is
    half torn down."""

    def __init__(self, release: Callable[[], None]) -> None:
        self._release: Callable[[], None] | None = release

    def disarm(self) -> None:
        self._release = None

    def __del__(self) -> None:
        if self._release is not None:
            self._release()


def _abandon(qids: list[int], n: int) -> None:
    """Stop marks for the workers of a pool dropped without terminate(): one in each queue they
    may be reading, without waiting (the workers of a full queue stay blocked)."""
    for qid in qids:
        with _registry_lock:
            q = _queues.pop(qid, None)
        for _ in range(n if q is not None else 0):
            try:
                q.put_nowait((None, None, None))
            except queue.Full:
                break


def _lookup(table: dict[int, Any], key: Any, what: str) -> Any:
    try:
        return table[int(key)]
    except (KeyError, TypeError, ValueError):
        raise TorchError(f"invalid {what} id {key}") from None


def _new(table: dict[int, Any], obj: Any) -> int:
    key = next(_ids)
    with _registry_lock:
        table[key] = obj
    return key


def _run_worker(code: str, write: Callable[[str], Any] | None, errors: list[str]) -> None:
    from ..runtime import LuaError, Runtime

    try:
        rt = Runtime(write=write)
        rt.execute(code, "=[threads worker]")
    except LuaError as e:
        errors.append(e.message)
        if write is not None:
            write(f"FATAL THREAD PANIC: {e.message}\n")


def exports(bindings: Any) -> dict[str, Callable[..., Any]]:
    """Functions for lua/threads (process-wide objects; proxies are made by ``bindings``)."""

    def queue_new(size: int) -> int:
        return _new(_queues, queue.Queue(maxsize=int(size)))

    def queue_put(qid: int, callback: Any, args: Any, tag: Any = None) -> None:
        _lookup(_queues, qid, "queue").put((callback, args, tag))

    def queue_get(qid: int) -> Any:
        # an item is (callback, arguments, tag): two serialized CharStorages and a number the
        # receiver can use even when they cannot be read
        return bindings.wrap(_lookup(_queues, qid, "queue").get())

    def queue_full(qid: int) -> bool:
        return _lookup(_queues, qid, "queue").full()

    def queue_free(qid: int) -> None:
        with _registry_lock:
            _queues.pop(int(qid), None)

    def pool_owner(qids: str, n: int) -> _Owner:
        ids = [int(q) for q in qids.split()]
        return _Owner(lambda: _abandon(ids, int(n)))

    def mutex_owner(mid: int) -> _Owner:
        return _Owner(lambda: _mutexes.pop(int(mid), None))

    def disarm(owner: _Owner) -> None:
        owner.disarm()

    def thread_new(code: str, write: Any = None) -> int:
        errors: list[str] = []
        t = threading.Thread(target=_run_worker, args=(code, write, errors), daemon=True)
        key = _new(_threads, t)
        t.start()
        return key

    def thread_join(tid: int) -> None:
        t = _lookup(_threads, tid, "thread")
        t.join()
        with _registry_lock:
            _threads.pop(int(tid), None)

    def mutex_new() -> int:
        return _new(_mutexes, threading.Lock())

    def mutex_lock(mid: int) -> None:
        _lookup(_mutexes, mid, "mutex").acquire()

    def mutex_unlock(mid: int) -> None:
        lock = _lookup(_mutexes, mid, "mutex")
        try:
            lock.release()
        except RuntimeError:
            raise TorchError("mutex is not locked") from None

    def mutex_exists(mid: int) -> bool:
        return int(mid) in _mutexes

    def mutex_free(mid: int) -> None:
        with _registry_lock:
            _mutexes.pop(int(mid), None)

    def cond_new() -> int:
        return _new(_conditions, Condition())

    def cond_wait(cid: int, mid: int) -> None:
        _lookup(_conditions, cid, "condition").wait(_lookup(_mutexes, mid, "mutex"))

    def cond_signal(cid: int) -> None:
        _lookup(_conditions, cid, "condition").signal()

    def cond_broadcast(cid: int) -> None:
        _lookup(_conditions, cid, "condition").broadcast()

    def cond_exists(cid: int) -> bool:
        return int(cid) in _conditions

    def cond_free(cid: int) -> None:
        with _registry_lock:
            _conditions.pop(int(cid), None)

    def share(obj: Any) -> int:
        """Hold a tensor, storage or tds object for another state; returns its ticket."""
        return _new(_shared, obj)

    def take(key: Any) -> Any:
        with _registry_lock:
            obj = _shared.pop(int(key), None)
        if obj is None:
            raise TorchError(f"threads: no shared object with ticket {key}")
        return obj

    def take_wrapped(key: Any) -> Any:
        return bindings.wrap(take(key))

    return {
        "thr_queue_new": queue_new,
        "thr_queue_put": queue_put,
        "thr_queue_get": queue_get,
        "thr_queue_full": queue_full,
        "thr_queue_free": queue_free,
        "thr_pool_owner": pool_owner,
        "thr_mutex_owner": mutex_owner,
        "thr_disarm": disarm,
        "thr_thread_new": thread_new,
        "thr_thread_join": thread_join,
        "thr_mutex_new": mutex_new,
        "thr_mutex_lock": mutex_lock,
        "thr_mutex_unlock": mutex_unlock,
        "thr_mutex_exists": mutex_exists,
        "thr_mutex_free": mutex_free,
        "thr_cond_new": cond_new,
        "thr_cond_wait": cond_wait,
        "thr_cond_signal": cond_signal,
        "thr_cond_broadcast": cond_broadcast,
        "thr_cond_exists": cond_exists,
        "thr_cond_free": cond_free,
        "thr_share": share,
        "thr_take": take,
        "thr_take_wrapped": take_wrapped,
    }

"""The storage of the Lua ``tds`` package: Hash, Vec and AtomicCounter live in Python, outside
any one Lua state, so that every worker state of ``threads`` reaches the same object (as Torch's
tds keeps them in C memory). Elements are numbers, strings, booleans, tensors, storages and tds
objects; tensors and storages are held by reference, as tds holds them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ..tensor.core import Storage, Tensor, TorchError


class _BoolKey:
    """A boolean as a Hash key (Python's True == 1 would merge it with the number 1)."""

    __slots__ = ("value",)

    def __init__(self, value: bool) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _BoolKey) and other.value == self.value

    def __hash__(self) -> int:
        return hash(("bool", self.value))


class Hash:
    kind = "Hash"

    def __init__(self) -> None:
        self.items: dict[Any, Any] = {}


class Vec:
    kind = "Vec"

    def __init__(self) -> None:
        self.items: list[Any] = []


class AtomicCounter:
    kind = "AtomicCounter"

    def __init__(self) -> None:
        self.value = 0
        self.lock = threading.Lock()


_TDS = (Hash, Vec, AtomicCounter)


def _check(v: Any, what: str) -> Any:
    if v is None or isinstance(v, (bool, int, float, str, bytes, Tensor, Storage) + _TDS):
        return v
    raise TorchError(f"unsupported key/value type <{what}> (set)")


def _key(k: Any) -> Any:
    return _BoolKey(k) if isinstance(k, bool) else k


def _unkey(k: Any) -> Any:
    return k.value if isinstance(k, _BoolKey) else k


def exports(bindings: Any) -> dict[str, Callable[..., Any]]:
    """Functions for lua/tds. Values leave as (value, kind): Lua makes tds proxies by kind."""
    wrap = bindings.wrap

    def out(v: Any) -> Any:
        if isinstance(v, _TDS):
            return v, v.kind
        return wrap(v), None

    def new(kind: str) -> Any:
        return {"Hash": Hash, "Vec": Vec, "AtomicCounter": AtomicCounter}[kind]()

    def kind(o: Any) -> Any:
        return o.kind if isinstance(o, _TDS) else None

    def length(o: Any) -> int:
        return len(o.items)

    def hash_get(h: Hash, k: Any) -> Any:
        return out(h.items.get(_key(k)))

    def hash_set(h: Hash, k: Any, v: Any, vtype: str) -> None:
        k = _key(_check(k, vtype))
        if v is None:
            h.items.pop(k, None)
        else:
            h.items[k] = _check(v, vtype)

    def hash_snapshot(h: Hash) -> Any:
        return list(h.items.items())

    def snapshot_item(snap: list, i: int) -> Any:
        if i > len(snap):
            return None
        k, v = snap[i - 1]
        kv, kk = out(_unkey(k))
        vv, vk = out(v)
        return kv, kk, vv, vk

    def vec_get(v: Vec, i: int) -> Any:
        i = int(i)
        if i > len(v.items):
            return None, None
        return out(v.items[i - 1])

    def vec_set(v: Vec, i: int, x: Any, vtype: str) -> None:
        i = int(i)
        x = _check(x, vtype)
        items = v.items
        if i > len(items):
            items.extend([None] * (i - len(items)))
        items[i - 1] = x

    def vec_insert(v: Vec, i: int, x: Any, vtype: str) -> None:
        i = int(i)
        x = _check(x, vtype)
        if i > len(v.items) + 1:
            v.items.extend([None] * (i - 1 - len(v.items)))
        v.items.insert(i - 1, x)

    def vec_remove(v: Vec, i: int) -> None:
        i = int(i)
        if 1 <= i <= len(v.items):
            del v.items[i - 1]

    def vec_resize(v: Vec, n: int) -> None:
        n = int(n)
        del v.items[n:]
        v.items.extend([None] * (n - len(v.items)))

    def vec_reorder(v: Vec, order: Any) -> None:
        """Put the elements in the given order (1-based positions, from a Lua sort)."""
        items = v.items
        v.items = [items[int(order[i]) - 1] for i in range(1, len(items) + 1)]

    def atomic_inc(a: AtomicCounter) -> int:
        with a.lock:
            old = a.value
            a.value += 1
        return old

    def atomic_get(a: AtomicCounter) -> int:
        return a.value

    def atomic_set(a: AtomicCounter, value: Any) -> None:
        with a.lock:
            a.value = int(value)

    return {
        "tds_new": new,
        "tds_kind": kind,
        "tds_len": length,
        "tds_hash_get": hash_get,
        "tds_hash_set": hash_set,
        "tds_hash_snapshot": hash_snapshot,
        "tds_snapshot_item": snapshot_item,
        "tds_vec_get": vec_get,
        "tds_vec_set": vec_set,
        "tds_vec_insert": vec_insert,
        "tds_vec_remove": vec_remove,
        "tds_vec_resize": vec_resize,
        "tds_vec_reorder": vec_reorder,
        "tds_atomic_inc": atomic_inc,
        "tds_atomic_get": atomic_get,
        "tds_atomic_set": atomic_set,
    }

"""Lua's arithmetic operators on tensors, as TensorOperator.c defines them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...tensor import math as tmath
from ...tensor.core import AllocationMeter, Tensor, TorchError, new_tensor
from ...tensor.dispatch import REGISTRY
from ...tensor.header import attach_tensor
from .gc_pacing import GC_EVERY_BYTES, PROXY_BYTES


def _op_mul(a: Any, b: Any) -> Any:
    if type(a) is Tensor and type(b) is Tensor:
        if a.dim() == 1 and b.dim() == 1:
            return tmath.dot(a, b)
        if a.dim() == 2 and b.dim() == 1:
            return _MV.call_function((a, b))
        if a.dim() == 2 and b.dim() == 2:
            return _MM.call_function((a, b))
        raise TorchError(
            f"multiplication between {a.dim()}D and {b.dim()}D tensors not yet supported"
        )
    return _arith(a, b, "mul")


def _op_div(a: Any, b: Any) -> Any:
    # TensorOperator.c: a tensor divided by a number only (tensor / tensor is an error)
    if type(a) is Tensor and type(b) in (int, float):
        return REGISTRY["div"].call_function((a, b))
    if type(a) is not Tensor:
        raise TorchError(
            f"bad argument #1 to '__div' ({b.typename} expected, got "
            f"{'number' if type(a) in (int, float) else 'table'})"
        )
    raise TorchError("bad argument #2 to '__div' (number expected)")


def _op_mod(a: Any, b: Any) -> Any:
    if type(a) is Tensor and type(b) in (int, float):
        return REGISTRY["remainder"].call_function((a, b))
    raise TorchError("bad argument #2 to '__mod' (number expected)")


def _arith(a: Any, b: Any, name: str) -> Tensor:
    """a (op) b for the operators: tensor-tensor, tensor-number and number-tensor (a new
    tensor of the tensor's type, as TensorOperator.c)."""
    ta, tb = type(a), type(b)
    if ta is Tensor:
        if tb is Tensor:
            return REGISTRY[_TT_OPS[name]].call_function((a, b))
        if tb is int or tb is float:
            return REGISTRY[_TN_OPS[name]].call_function((a, b))
        raise TorchError(f"bad argument #2 to '__{name}' (number or tensor expected)")
    if tb is Tensor and (ta is int or ta is float):
        if name == "sub":  # n - t: fill with n, then subtract t
            r = tmath.fill(new_tensor(b.ttype, b.size), a)
            return REGISTRY["csub"].call_method(r, (b,))
        return REGISTRY[_TN_OPS[name]].call_function((b, a))
    raise TorchError(f"bad argument #1 to '__{name}' (number or tensor expected)")


_TT_OPS = {"add": "add", "sub": "csub", "mul": "cmul"}


_TN_OPS = {"add": "add", "sub": "csub", "mul": "mul"}


_MV = REGISTRY["mv"]


_MM = REGISTRY["mm"]


class OperatorsMixin:
    """Lua's arithmetic operators on tensors (+ - * / % and unary -), as TensorOperator.c."""

    def l_op_add(self, a: Any, b: Any) -> Any:
        return self.wrap(_arith(a, b, "add"))

    def l_op_sub(self, a: Any, b: Any) -> Any:
        return self.wrap(_arith(a, b, "sub"))

    def l_op_mul(self, a: Any, b: Any) -> Any:
        return self.wrap(_op_mul(a, b))

    def l_op_div(self, a: Any, b: Any) -> Any:
        return self.wrap(_op_div(a, b))

    def l_op_mod(self, a: Any, b: Any) -> Any:
        return self.wrap(_op_mod(a, b))

    def l_op_unm(self, a: Tensor) -> Any:
        return self.wrap(REGISTRY["mul"].call_function((a, -1)))

    def l_opx(self, name: str) -> Callable[..., Any]:
        """The operator ``name`` with extra.lua's (tensor, code, id) protocol."""
        f = {
            "add": lambda a, b: _arith(a, b, "add"),
            "sub": lambda a, b: _arith(a, b, "sub"),
            "mul": _op_mul,
            "div": _op_div,
            "mod": _op_mod,
            "unm": lambda a, _b=None: REGISTRY["mul"].call_function((a, -1)),
        }[name]

        def op(a: Any, b: Any = None) -> Any:
            r = f(a, b)
            if r.__class__ is Tensor:
                if AllocationMeter.allocated > GC_EVERY_BYTES:
                    self.collect_garbage()
                AllocationMeter.allocated += PROXY_BYTES
                self.anchors[id(r)] = r
                return r, r.code, id(r), attach_tensor(r)
            return r

        return op

"""The torch random API on the runtime's own generator (the maths is tensor/random.py)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...tensor import math as tmath
from ...tensor.core import (
    DTYPES,
    FLOAT_TYPES,
    Tensor,
    TorchError,
    canonical_type,
    new_tensor,
    tensor_from_array,
)
from ...tensor.dispatch import describe_args
from ...tensor.random import Generator, alias_draw, alias_setup


def _split_gen(g: Generator, args: tuple, n: int | None = None) -> tuple[Generator, Any]:
    """A leading Generator (else g, the runtime's default) and the rest (padded to n)."""
    if args and isinstance(args[0], Generator):
        g, args = args[0], args[1:]
    if n is None:
        return g, args
    if len(args) > n:
        raise TorchError("invalid arguments: too many arguments")
    return g, tuple(args) + (None,) * (n - len(args))


# THTensor_(random) with no bounds: a 32-bit word modulo these
_RANDOM_MOD = {
    "Byte": 256,
    "Char": 128,
    "Short": 32768,
    "Int": 2**31,
    "Long": 2**63,
    "Float": 2**24 + 1,
    "Double": 2**53 + 1,
}


class SamplingMixin:
    """The torch random API: seeds and RNG state, torch.uniform/normal/...,
    tensor:uniform()/normal()/..., multinomialAlias, randperm.
    """

    # A torch.Generator reaches Python as its random.Generator (extra.lua unwraps it); every
    # random function takes one as an optional first argument, as Torch's cwrap does.
    def l_new_generator(self) -> Generator:
        return Generator()

    def l_manualSeed(self, *a: Any) -> None:
        g, a = _split_gen(self.generator, a)
        if len(a) != 1 or type(a[0]) not in (int, float):
            raise TorchError("bad argument #1 to 'manualSeed' (number expected)")
        g.manual_seed(int(a[0]))

    def l_seed(self, *a: Any) -> int:
        return _split_gen(self.generator, a)[0].seed()

    def l_initialSeed(self, *a: Any) -> int:
        return _split_gen(self.generator, a)[0].initial_seed()

    def l_random(self, *args: Any) -> int:
        g, (a, b) = _split_gen(self.generator, args, 2)
        if a is None:
            return g.random()
        if b is None:
            return g.random_upto(int(a))
        return g.random_range(int(a), int(b))

    def l_uniform(self, *args: Any) -> float:
        g, (a, b) = _split_gen(self.generator, args, 2)
        return g.uniform(0.0 if a is None else a, 1.0 if b is None else b)

    def l_normal(self, *args: Any) -> float:
        g, (mean, std) = _split_gen(self.generator, args, 2)
        return g.normal(0.0 if mean is None else mean, 1.0 if std is None else std)

    def _need_lambda(self, args: tuple, lam: Any, self_type: str) -> None:
        """cwrap's exponential has no default lambda: its error when none (or no number) is
        given. The method's form names the tensor's real type."""
        if type(lam) is not int and type(lam) is not float:
            got = describe_args(args) + " " if args else "no arguments provided"
            real = "float" if self_type == "Float" else "double"
            raise TorchError(
                f"invalid arguments: {got}\nexpected arguments: [Generator] double | "
                f"*{self_type}Tensor* [Generator] {real}"
            )

    def l_exponential(self, *args: Any) -> float:
        g, (lam,) = _split_gen(self.generator, args, 1)
        self._need_lambda(args, lam, self.default_type)
        return g.exponential(lam)

    def l_bernoulli(self, *args: Any) -> int:
        g, (p,) = _split_gen(self.generator, args, 1)
        return g.bernoulli(0.5 if p is None else p)

    def l_geometric(self, *args: Any) -> int:
        g, (p,) = _split_gen(self.generator, args, 1)
        if p is None:
            raise TorchError("bad argument #1 to 'geometric' (number expected)")
        return g.geometric(p)

    def l_cauchy(self, *args: Any) -> float:
        g, (median, sigma) = _split_gen(self.generator, args, 2)
        return g.cauchy(0.0 if median is None else median, 1.0 if sigma is None else sigma)

    def l_logNormal(self, *args: Any) -> float:
        g, (mean, std) = _split_gen(self.generator, args, 2)
        return g.log_normal(1.0 if mean is None else mean, 2.0 if std is None else std)

    def _fill_random(self, t: Tensor, values: np.ndarray) -> Any:
        if t.size:
            np.copyto(t.arr, values.reshape(t.size), casting="unsafe")
        return self.wrap(t)

    def _fill_drawn(self, t: Tensor, g: Generator, kind: str, p: float, q: float) -> Any:
        """t filled with uniform(p, q) or normal(p, q) draws in row-major order: in place
        when t's elements are one contiguous float run (no double array of t's size
        beside it), else drawn into one and copied."""
        a = t.arr
        if a.dtype.kind == "f" and a.flags.c_contiguous:
            flat = a.reshape(-1)
            if kind == "uniform":
                g.uniform_into(flat, p, q)
            else:
                g.normal_into(flat, p, q)
            return self.wrap(t)
        n = t.nelement()
        values = g.uniform_array(n, p, q) if kind == "uniform" else g.normal_array(n, p, q)
        return self._fill_random(t, values)

    def _t_args(self, t: Tensor, args: tuple, n: int, defaults: tuple) -> tuple:
        """(generator, numbers converted to the tensor's type as cwrap converts them)."""
        g, vals = _split_gen(self.generator, args, n)
        out = []
        for v, d in zip(vals, defaults, strict=True):
            v = d if v is None else v
            # cwrap reads the number as the tensor's real (float32 for a FloatTensor)
            out.append(float(tmath.real(t.ttype, v)) if t.ttype == "Float" else v)
        return g, out

    def l_t_uniform(self, t: Tensor, *args: Any) -> Any:
        g, (a, b) = self._t_args(t, args, 2, (0.0, 1.0))
        return self._fill_drawn(t, g, "uniform", a, b)

    def l_t_normal(self, t: Tensor, *args: Any) -> Any:
        g, (mean, std) = self._t_args(t, args, 2, (0.0, 1.0))
        return self._fill_drawn(t, g, "normal", mean, std)

    def l_t_random(self, t: Tensor, *args: Any) -> Any:
        g, (a, b) = _split_gen(self.generator, args, 2)
        n = t.nelement()
        if a is None:
            # THTensor_(random): a word modulo the type's range (2^mantissa + 1 for floats)
            # (words are below 2^32: Long's 2^63 leaves them as they are, and would overflow)
            m = _RANDOM_MOD[t.ttype]
            vals = g.random_array(n) % m if m < 2**32 else g.random_array(n)
        elif b is None:
            vals = g.random_upto_array(n, int(a))
        else:
            vals = g.random_range_array(n, int(a), int(b))
        if t.size:
            np.copyto(t.arr, vals.reshape(t.size), casting="unsafe")
        return self.wrap(t)

    def l_t_bernoulli(self, t: Tensor, *args: Any) -> Any:
        g, (p,) = _split_gen(self.generator, args, 1)
        if isinstance(p, Tensor):
            if p.ttype not in FLOAT_TYPES:
                raise TorchError(
                    "bad argument #2 to 'bernoulli' (torch.FloatTensor or "
                    "torch.DoubleTensor expected)"
                )
            vals = g.bernoulli_array_p(p.arr.reshape(-1).astype(np.float64))
        else:
            vals = g.bernoulli_array(t.nelement(), 0.5 if p is None else p)
        return self._fill_random(t, vals)

    def l_t_exponential(self, t: Tensor, *args: Any) -> Any:
        self._need_lambda((t, *args), _split_gen(self.generator, args, 1)[1][0], str(t.ttype))
        g, (lam,) = self._t_args(t, args, 1, (1.0,))
        return self._fill_random(t, g.exponential_array(t.nelement(), lam))

    def l_t_geometric(self, t: Tensor, *args: Any) -> Any:
        g, (p,) = _split_gen(self.generator, args, 1)
        if p is None:
            raise TorchError("bad argument #2 to 'geometric' (number expected)")
        return self._fill_random(t, g.geometric_array(t.nelement(), p))

    def l_t_cauchy(self, t: Tensor, *args: Any) -> Any:
        g, (median, sigma) = self._t_args(t, args, 2, (0.0, 1.0))
        return self._fill_random(t, g.cauchy_array(t.nelement(), median, sigma))

    def l_t_logNormal(self, t: Tensor, *args: Any) -> Any:
        g, (mean, std) = self._t_args(t, args, 2, (1.0, 2.0))
        return self._fill_random(t, g.log_normal_array(t.nelement(), mean, std))

    def l_multinomialAliasSetup(self, probs: Tensor, j: Any = None, q: Any = None) -> Any:
        """Walker's alias tables for probs (THTensor_(multinomialAliasSetup)): J (1-based)
        and q, written into j and q when given."""
        if not isinstance(probs, Tensor) or probs.ttype not in FLOAT_TYPES:
            raise TorchError(
                "bad argument #1 to 'multinomialAliasSetup' (torch.DoubleTensor "
                "or torch.FloatTensor expected)"
            )
        jv, qv = alias_setup(
            probs.arr.reshape(-1) if probs.size else np.empty(0), DTYPES[probs.ttype]
        )
        j = new_tensor("Long") if not isinstance(j, Tensor) else j
        q = new_tensor(probs.ttype) if not isinstance(q, Tensor) else q
        for t, v in ((j, jv), (q, qv)):
            t.resize(v.shape)
            np.copyto(t.arr, v, casting="unsafe")
        return self.wrap(j), self.wrap(q)

    def l_multinomialAlias(self, out: Any, j: Any, q: Any) -> Any:
        """Draws into out (LongTensor) from alias tables, with the default generator: Torch7's
        torch.multinomialAlias calls DoubleTensor's multinomialAlias_ (q must be Double)."""
        if not (
            isinstance(out, Tensor)
            and out.ttype == "Long"
            and isinstance(j, Tensor)
            and j.ttype == "Long"
            and isinstance(q, Tensor)
            and q.ttype == "Double"
        ):
            raise TorchError(
                f"invalid arguments: {describe_args((out, j, q))} \nexpected arguments: "
                "*LongTensor* [Generator] LongTensor DoubleTensor"
            )
        n = out.nelement()
        vals = alias_draw(
            self.generator, n, j.arr.reshape(-1), q.arr.reshape(-1), out.arr if n else None
        )
        if n and not np.may_share_memory(vals, out.arr):
            np.copyto(out.arr, vals.reshape(out.size), casting="unsafe")
        return self.wrap(out)

    def _ctor(
        self, ttype: str, args: tuple, fname: str, gen: bool = False
    ) -> tuple[Tensor | None, Any, str, tuple]:
        """Torch's dispatch for torch.<fname>: ``[res,] [gen,] args... [, typename]``.

        The result's type is the first tensor argument's, else a trailing tensor type name
        ('torch.FloatTensor'), else the default type (ttype)."""
        res = None
        if args and isinstance(args[0], Tensor):
            res, args = args[0], args[1:]
            ttype = res.ttype
        elif args and isinstance(args[-1], (str, bytes)):
            name = args[-1].decode() if isinstance(args[-1], bytes) else args[-1]
            if (
                name.startswith("torch.")
                and name.endswith("Tensor")
                and canonical_type(name[6:-6]) in DTYPES
            ):
                ttype, args = canonical_type(name[6:-6]), args[:-1]
        g = self.generator
        if gen and args and isinstance(args[0], Generator):
            g, args = args[0], args[1:]
        return res, g, ttype, args

    def l_randperm(self, ttype: str, *args: Any) -> Any:
        res, g, ttype, args = self._ctor(ttype, args, "randperm", gen=True)
        if len(args) != 1 or type(args[0]) not in (int, float):
            raise TorchError("bad argument #1 to 'randperm' (number expected)")
        n = int(args[0])
        if n < 1:
            raise TorchError("bad argument #1 to 'randperm' (must be strictly positive)")
        res = new_tensor(ttype) if res is None else res
        res.resize((n,))
        np.copyto(res.arr, g.randperm(n), casting="unsafe")
        return self.wrap(res)

    def l_getRNGState(self, *a: Any) -> Any:
        g, a = _split_gen(self.generator, a)
        data = np.frombuffer(g.get_state().to_bytes(), dtype=np.uint8).copy()
        if a and isinstance(a[0], Tensor):  # the result form (a ByteTensor to fill)
            res = a[0]
            res.resize((data.size,))
            np.copyto(res.arr, data, casting="unsafe")
            return self.wrap(res)
        return self.wrap(tensor_from_array(data, "Byte"))

    def l_setRNGState(self, *a: Any) -> Any:
        g, a = _split_gen(self.generator, a)
        state = a[0] if a else None
        if not isinstance(state, Tensor) or state.ttype != "Byte":
            raise TorchError("bad argument #1 to 'setRNGState' (torch.ByteTensor expected)")
        try:
            g.set_state(np.ascontiguousarray(state.arr).reshape(-1) if state.size else b"")
        except ValueError as e:
            raise TorchError(f"bad argument #1 to 'setRNGState' ({e})") from None
        return self.wrap(state)

"""Matrix-shaped functions: diag tril triu cross histc conv2 xcorr2 conv3 xcorr3 multinomial."""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .core import FLOAT_TYPES, Tensor, TorchError
from .dispatch import register
from .math import dim0, not_float, put, sz
from .random import default_generator as rng


def _store(res: Tensor, value: np.ndarray) -> Tensor:
    if not value.size:
        res.set(None, 0, ())
        return res
    if res.size != value.shape:
        res.resize(value.shape)
    np.copyto(res.arr, value, casting="unsafe")
    return res


def _diag(res: Tensor, src: Tensor, k: float | None) -> Tensor:
    k = 0 if k is None else int(k)
    if src.dim() == 1:
        return _store(res, np.diag(src.arr, k))
    if src.dim() == 2:
        return _store(res, np.diagonal(src.arr, k).copy())
    raise TorchError("bad argument #1 to 'diag' (matrix or a vector expected)")


register("diag", [("T n?", _diag, "same")], inplace=False)


def _tri(name: str, f) -> None:
    def run(res: Tensor, src: Tensor, k: float | None) -> Tensor:
        if src.dim() != 2:
            raise TorchError(f"bad argument #1 to '{name}' (expected a matrix)")
        return _store(res, f(src.arr, 0 if k is None else int(k)))

    register(name, [("T n?", run, "same")], inplace=False)


_tri("tril", np.tril)
_tri("triu", np.triu)


def _cross(res: Tensor, a: Tensor, b: Tensor, d: float | None) -> Tensor:
    if a.size != b.size:
        raise TorchError("inconsistent tensor sizes")
    if d is None:
        cand = [i for i, s in enumerate(a.size) if s == 3]
        if not cand:
            raise TorchError(f"no dimension of size 3 in a: {sz(a)}")
        d0 = cand[0]
    else:
        d0 = dim0(a, d, "cross", 3)
        if a.size[d0] != 3:
            raise TorchError(
                f"bad argument #3 to 'cross' (dimension {int(d)} does not have size 3)"
            )
    return put(res, a, np.cross(a.arr, b.arr, axis=d0))


register("cross", [("T T n?", _cross, "same")], inplace=False)


def _histc(
    res: Tensor, src: Tensor, nbins: float | None, lo: float | None, hi: float | None
) -> Tensor:
    if src.ttype not in FLOAT_TYPES:
        raise not_float("histc", src.ttype)
    nbins = 100 if nbins is None else int(nbins)
    if nbins <= 0:
        raise TorchError("bad argument #2 to 'histc' (number of bins must be positive)")
    lo = 0.0 if lo is None else float(lo)
    hi = 0.0 if hi is None else float(hi)
    a = src.arr.reshape(-1).astype(np.float64) if src.size else np.empty(0)
    if lo == hi and a.size:
        lo, hi = float(a.min()), float(a.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    inside = a[(a >= lo) & (a <= hi)]
    bins = ((inside - lo) / (hi - lo) * nbins).astype(np.int64)
    bins = np.minimum(bins, nbins - 1)
    res.resize((nbins,))
    np.copyto(res.arr, np.bincount(bins, minlength=nbins), casting="unsafe")
    return res


register("histc", [("T n? n? n?", _histc, "same")], inplace=False)


def _bhistc(
    res: Tensor, src: Tensor, nbins: float | None, lo: float | None, hi: float | None
) -> Tensor:
    """histc of each row of a matrix (of the vector, for 1-D): one row of counts per row."""
    if src.ttype not in FLOAT_TYPES:
        raise not_float("bhistc", src.ttype)
    if src.dim() not in (1, 2):
        raise TorchError("bad argument #2 to 'bhistc' (vector or matrix expected)")
    nbins = 100 if nbins is None else int(nbins)
    if nbins <= 0:
        raise TorchError("bad argument #2 to 'bhistc' (number of bins must be positive)")
    lo = 0.0 if lo is None else float(lo)
    hi = 0.0 if hi is None else float(hi)
    a = src.arr.astype(np.float64).reshape(-1, src.size[-1])
    if lo == hi and a.size:
        lo, hi = float(a.min()), float(a.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    out = np.zeros((a.shape[0], nbins))
    for r in range(a.shape[0]):
        row = a[r]
        inside = row[(row >= lo) & (row <= hi)]
        bins = np.minimum(((inside - lo) / (hi - lo) * nbins).astype(np.int64), nbins - 1)
        out[r] = np.bincount(bins, minlength=nbins)
    return _store(res, out if src.dim() == 2 else out[0])


register("bhistc", [("T n? n? n?", _bhistc, "same")], inplace=False)


def _xcorr_valid(x: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Valid cross-correlation over the last k.ndim axes (x and k of the same ndim)."""
    win = sliding_window_view(x, k.shape)
    nd = k.ndim
    axes = tuple(range(win.ndim - nd, win.ndim))
    return np.tensordot(win, k, axes=(axes, tuple(range(nd))))


def _conv_nd(x: np.ndarray, k: np.ndarray, mode: str, flip: bool, th: str = "") -> np.ndarray:
    """th: the TH function Torch7 calls (its name starts the too-small error)."""
    if flip:
        k = k[(slice(None, None, -1),) * k.ndim]
    if mode == "F":
        pads = [(s - 1, s - 1) for s in k.shape]
        x = np.pad(x, pads)
    else:
        for xs, ks in zip(x.shape, k.shape, strict=True):
            if xs < ks:
                raise TorchError(
                    f"bad argument #2 to '?' ({th} : Input image is smaller than kernel)"
                )
    return _xcorr_valid(x, k)


def _conv(name: str, nd: int, flip: bool) -> None:
    """conv2/xcorr2 (nd=2) and conv3/xcorr3 (nd=3): plain, per-plane (cmul) and
    multi-plane (mv) forms, 'V'alid or 'F'ull."""

    def invalid(x: Tensor, k: Tensor, opt) -> TorchError:
        # cwrap's words: the arguments given, then the forms it knows
        t = x.typename.replace("torch.", "")
        given = f"{t} {k.typename.replace('torch.', '')} " + ("" if opt is None else "string ")
        forms = [f"{nd}D {t}~{nd}D", f"{nd + 1}D {t}~{nd + 1}D", f"{nd + 1}D {t}~{nd + 2}D"]
        return TorchError(
            f"invalid arguments: {given}\nexpected arguments: "
            + " | ".join(f"[*{t}*] {t}~{f} [(V|F)]" for f in forms)
        )

    def run(res: Tensor, x: Tensor, k: Tensor, opt) -> Tensor:
        if opt is not None:
            opt = opt.decode() if isinstance(opt, bytes) else opt
            if opt not in ("V", "F"):
                raise invalid(x, k, opt)
        mode = opt or "V"
        xa, ka = x.arr, k.arr
        th = f"conv{nd}D"
        if x.dim() == nd and k.dim() == nd:
            value = _conv_nd(xa, ka, mode, flip, th + "mul")
        elif x.dim() == nd + 1 and k.dim() == nd + 1:
            if x.size[0] != k.size[0]:
                raise TorchError(f"bad argument #2 to '{name}' (number of planes mismatch)")
            value = np.stack(
                [_conv_nd(xa[i], ka[i], mode, flip, th + "cmul") for i in range(x.size[0])]
            )
        elif x.dim() == nd + 1 and k.dim() == nd + 2:
            if x.size[0] != k.size[1]:
                raise TorchError(f"bad argument #2 to '{name}' (number of input planes mismatch)")
            value = np.stack(
                [
                    sum(_conv_nd(xa[j], ka[i, j], mode, flip, th + "mv") for j in range(x.size[0]))
                    for i in range(k.size[0])
                ]
            )
        else:
            raise invalid(x, k, opt)
        return _store(res, np.asarray(value))

    register(name, [("T T s?", run, "same")], inplace=False)


_conv("conv2", 2, True)
_conv("xcorr2", 2, False)
_conv("conv3", 3, True)
_conv("xcorr3", 3, False)


def _multinomial(res: Tensor, gen, p: Tensor, n: float, replacement: bool | None) -> Tensor:
    if p.dim() not in (1, 2):
        raise TorchError("bad argument #1 to 'multinomial' (prob_dist must be 1 or 2 dim)")
    try:
        value = (gen or rng).multinomial(p.arr, int(n), bool(replacement))
    except TorchError:
        raise
    except ValueError as e:
        raise TorchError(f"bad argument #2 to 'multinomial' ({e})") from None
    return _store(res, value)


register("multinomial", [("G? F n b?", _multinomial, "Long")], inplace=False)

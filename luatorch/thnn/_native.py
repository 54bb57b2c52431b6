"""THNN's own loops for max pooling and for summing a convolution's gradient columns back
(scripts/native/spatial.c, in the blob tensor/native.py maps): they write straight into the
module's buffers, in THNN's order, where the numpy paths need temporaries as large as a block
of the input and a cached table of targets (2.4 MB of a LeNet step's peak).

Each function returns False, having written nothing, when the blob cannot run here or the
arrays are not contiguous arrays of one floating type (double or float), and the caller takes
its numpy path; LUATORCH_NATIVE_SPATIAL=0 (or LUATORCH_NATIVE=0) turns them off.
"""

from __future__ import annotations

import ctypes
import os
from typing import Any

import numpy as np

from ..tensor import native
from ..tensor.threadpool import parallel

_lg = ctypes.c_long


class _PoolGeom(ctypes.Structure):
    _fields_ = [(name, _lg) for name in "iH iW oH oW kH kW dH dW pH pW lH lW".split()]


class _ColGeom(ctypes.Structure):
    _fields_ = [(name, _lg) for name in "C H W kH kW dH dW pH pW lH lW oH oW".split()]


_kernels: Any = None  # None: not looked up; False: unavailable; else dtype -> functions


def _lookup() -> Any:
    global _kernels
    if _kernels is None:
        code = native.code() if os.environ.get("LUATORCH_NATIVE_SPATIAL", "1") != "0" else None
        if code is None or "col2im_d" not in code.at:
            _kernels = False
        else:
            vp = ctypes.c_void_p
            fwd = ctypes.CFUNCTYPE(None, vp, vp, vp, vp, _lg, _lg)
            back = ctypes.CFUNCTYPE(_lg, vp, vp, vp, _lg, _lg, _lg, _lg)
            col = ctypes.CFUNCTYPE(None, vp, vp, vp, _lg, _lg)
            thr = ctypes.CFUNCTYPE(None, vp, vp, vp, vp, _lg, _lg)
            _kernels = {
                np.dtype(np.float64): (
                    fwd(code.at["maxpool2d_d"]),
                    back(code.at["maxpool2d_back_d"]),
                    col(code.at["col2im_d"]),
                    thr(code.at["threshold_back_d"]) if "threshold_back_d" in code.at else None,
                ),
                np.dtype(np.float32): (
                    fwd(code.at["maxpool2d_f"]),
                    back(code.at["maxpool2d_back_f"]),
                    col(code.at["col2im_f"]),
                    thr(code.at["threshold_back_f"]) if "threshold_back_f" in code.at else None,
                ),
            }
    return _kernels or None


def _fns(*arrays: np.ndarray) -> Any:
    """The kernels for the first array's type, when every array is C-contiguous, aligned and
    writeable where written; None otherwise."""
    kernels = _lookup()
    if kernels is None:
        return None
    for a in arrays:
        if not (a.flags.c_contiguous and a.flags.aligned):
            return None
    return kernels.get(arrays[0].dtype)


def maxpool2d_forward(x: np.ndarray, val: np.ndarray, idx: np.ndarray, k, d, p, dil, out) -> bool:
    """THNN SpatialDilatedMaxPooling's forward of x (B, C, H, W) into val (B, C, oH, oW) and
    Torch's 1-based indices idx (int64, same shape)."""
    fns = _fns(x, val)
    if (
        fns is None
        or val.dtype != x.dtype
        or idx.dtype != np.int64
        or not idx.flags.c_contiguous
        or not (val.flags.writeable and idx.flags.writeable)
        or val.shape != x.shape[:2] + tuple(out)
        or idx.shape != val.shape
    ):
        return False
    g = _PoolGeom(*x.shape[2:], *out, *k, *d, *p, *dil)
    planes = x.shape[0] * x.shape[1]
    xa, va, ia, ga = x.ctypes.data, val.ctypes.data, idx.ctypes.data, ctypes.addressof(g)
    fwd = fns[0]
    parallel(lambda lo, hi: fwd(xa, va, ia, ga, lo, hi), planes, x.size * 2)
    return True


def maxpool2d_backward(g: np.ndarray, idx: np.ndarray, gx: np.ndarray) -> bool:
    """THNN SpatialDilatedMaxPooling's gradInput: gx (B, C, H, W) zeroed, then each plane's
    gradOutput g (B, C, oH, oW) added onto Torch's 1-based indices idx in order. False, gx
    partly written, when an index lies outside its plane (the numpy path then reports it)."""
    fns = _fns(g, gx)
    if (
        fns is None
        or gx.dtype != g.dtype
        or idx.dtype != np.int64
        or not idx.flags.c_contiguous
        or not gx.flags.writeable
        or idx.shape != g.shape
        or gx.shape[:2] != g.shape[:2]
    ):
        return False
    planes = g.shape[0] * g.shape[1]
    iP, oP = gx[0, 0].size if planes else 0, g[0, 0].size if planes else 0
    ga, ia, xa = g.ctypes.data, idx.ctypes.data, gx.ctypes.data
    back = fns[1]
    bad = parallel(lambda lo, hi: back(ga, ia, xa, iP, oP, lo, hi), planes, gx.size + g.size * 2)
    return not any(bad)


def col2im_planes(gcols: np.ndarray, gx: np.ndarray, C: int, k, d, p, dil, out) -> Any:
    """A function (lo, hi) that sums the columns of frames [lo, hi) of gcols (B, C*kH*kW,
    oH*oW) back onto gx (B, C, H, W) as THNN's unfolded_acc (each plane zeroed first), or None
    when the kernel cannot take these arrays."""
    fns = _fns(gcols, gx)
    if (
        fns is None
        or len(k) != 2
        or gx.dtype != gcols.dtype
        or not gx.flags.writeable
        or gx.ndim != 4
        or gx.shape[1] != C
        or gcols.shape != (gx.shape[0], C * k[0] * k[1], out[0] * out[1])
    ):
        return None
    geom = _ColGeom(C, *gx.shape[2:], *k, *d, *p, *dil, *out)
    ca, xa, ga = gcols.ctypes.data, gx.ctypes.data, ctypes.addressof(geom)
    col = fns[2]

    def run(lo: int, hi: int, _keep: Any = geom) -> None:
        col(ca, xa, ga, lo * C, hi * C)

    return run


def threshold_backward(x: np.ndarray, g: np.ndarray, gx: np.ndarray, threshold: Any) -> bool:
    """THNN Threshold's gradient, not in place: gx = x > threshold ? g : +0, element by
    element over contiguous arrays of one type, on the kernel threads (the GIL released: the
    numpy path's blocks of short calls stay on one thread, threadpool.MIN_OP)."""
    fns = _fns(x, g, gx)
    if (
        fns is None
        or fns[3] is None
        or not (x.dtype == g.dtype == gx.dtype)
        or not gx.flags.writeable
        or not (x.size == g.size == gx.size)
    ):
        return False
    th = np.array(threshold, dtype=x.dtype)
    xa, ga, oa, ta = x.ctypes.data, g.ctypes.data, gx.ctypes.data, th.ctypes.data
    run = fns[3]
    parallel(lambda lo, hi, _keep=th: run(xa, ga, oa, ta, lo, hi), x.size, x.size * 3)
    return True

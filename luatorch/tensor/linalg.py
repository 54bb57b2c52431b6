"""Torch7's LAPACK functions on numpy.linalg (scipy's LAPACK drivers when installed, so that
signs and factor layouts follow the same routines TH calls: getrf, gesvd, geev, syev, geqrf).

Float and Double tensors only. Results follow Torch's return conventions: ``X, LU = gesv(B, A)``,
``U, S, V = svd(A)`` with ``A = U diag(S) V'``, ``e, V = eig(A)`` with ``e`` an n x 2 tensor of
(real, imaginary) parts, ``e, V = symeig(A)`` with ascending ``e``, ``Q, R = qr(A)`` (reduced).
"""

from __future__ import annotations

import ctypes
import warnings

import numpy as np

from . import blas
from .core import DTYPES, FLOAT_TYPES, Tensor, TorchError
from .dispatch import register
from .math import not_float

_SCIPY: list = []


def _scipy_linalg():
    """scipy.linalg when installed (the exact LAPACK drivers Torch uses), else None.

    Imported on first use: it costs 0.2 s, which every script would otherwise pay at start-up.
    """
    if not _SCIPY:
        try:
            import scipy.linalg as sla
        except ImportError:  # pragma: no cover - scipy absent
            sla = None
        _SCIPY.append(sla)
    return _SCIPY[0]


_WORK = object()  # where _lapack_work_query puts the workspace and its size


def _n(f: np.ndarray) -> ctypes.c_int:
    return ctypes.c_int(f.shape[0])


def _lapack_work_query(fn, *args) -> None:
    """A LAPACK call with a workspace, as TH makes it: once with lwork -1 for the size LAPACK
    asks for, then with a workspace of that size (``_WORK`` marks the two arguments)."""
    dtype = next(a.dtype for a in args if isinstance(a, np.ndarray))
    k = next(i for i, a in enumerate(args) if a is _WORK)
    opt = np.zeros(1, dtype=dtype)
    blas.lapack_call(fn, *args[:k], opt, ctypes.c_int(-1), *args[k + 1 :])
    lwork = int(opt[0])
    work = np.zeros(max(lwork, 1), dtype=dtype)
    blas.lapack_call(fn, *args[:k], work, ctypes.c_int(lwork), *args[k + 1 :])


def _store(res: Tensor, value: np.ndarray) -> Tensor:
    value = np.asarray(value)
    if not value.size:
        res.set(None, 0, ())
        return res
    if res.size != value.shape:
        res.resize(value.shape)
    np.copyto(res.arr, value, casting="unsafe")
    return res


def _store_cm(res: Tensor, value: np.ndarray) -> Tensor:
    """A LAPACK matrix result, column-major as TH leaves it: a result already column-major
    (or a caller's strided view) of the right size is written in place; any other result is
    resized to the transposed size and transposed, so it ends up non-contiguous."""
    value = np.asarray(value)
    if value.ndim != 2 or not value.size:
        return _store(res, value)
    rows, cols = value.shape
    column_major = res.size == (rows, cols) and res.stride == (1, rows)
    if not column_major and not (res.size == (rows, cols) and not res.is_contiguous()):
        res.resize((cols, rows))
        res.set(res.storage, res.offset, (rows, cols), (1, rows))
    np.copyto(res.arr, value, casting="unsafe")
    return res


class _BadOption(Exception):
    """An option letter cwrap does not accept: the registered function reports it."""


def _opt(v, name: str, argn: int, allowed: str, default: str) -> str:
    if v is None:
        return default
    v = v.decode() if isinstance(v, bytes) else v
    if v not in allowed:
        raise _BadOption
    return v


# cwrap's forms of the LAPACK functions: the results (returned, given), then the arguments:
# T a tensor of the type, I an IntTensor, r the type's real, letters an option (all optional
# but the tensors)
_FORMS = {
    "gesv": ("TT", "T T"),
    "gels": ("TT", "T T"),
    "trtrs": ("TT", "T T UL NT NU"),
    "inverse": ("T", "T"),
    "svd": ("TTT", "T AS"),
    "eig": ("TT", "T NV"),
    "symeig": ("TT", "T NV UL"),
    "qr": ("TT", "T"),
    "geqrf": ("TT", "T"),
    "orgqr": ("T", "T T"),
    "ormqr": ("T", "T T T LR NT"),
    "potrf": ("T", "T UL"),
    "potrs": ("T", "T T UL"),
    "potri": ("T", "T UL"),
    "pstrf": ("TI", "T UL r"),
}


def _cwrap_message(name: str, ttype: str, given: tuple) -> str:
    """cwrap's "invalid arguments" for a LAPACK function: the arguments given, then its two
    forms (results given, results made)."""
    results, args = _FORMS[name]
    tname = ttype + "Tensor"
    real = "double" if ttype == "Double" else "float"
    words = {"T": tname, "I": "IntTensor"}
    arg_words = [
        words[a] if a in words else f"[{real}]" if a == "r" else "[(" + "|".join(a) + ")]"
        for a in args.split()
    ]
    with_results = " ".join([f"*{words[r]}*" for r in results] + arg_words)
    got = " ".join(
        v.ttype + "Tensor" if isinstance(v, Tensor) else "string" if isinstance(v, (str, bytes))
        else "number"
        for v in given
        if v is not None
    )  # fmt: skip
    return f"invalid arguments: {got} \nexpected arguments: {with_results} | {' '.join(arg_words)}"


def _cwrapped(name: str, fn):
    """fn with cwrap's report of an option it rejects (the results are fn's first arguments)."""
    nres = len(_FORMS[name][0])

    def run(*args):
        try:
            return fn(*args)
        except _BadOption:
            ttype = next(a.ttype for a in args[nres:] if isinstance(a, Tensor))
            raise TorchError(_cwrap_message(name, ttype, args[nres:])) from None

    return run


def _float(name: str, *ts: Tensor) -> None:
    for t in ts:
        if t.ttype not in FLOAT_TYPES:
            raise not_float(name, t.ttype)


def _matrix(t: Tensor, name: str, argn: int, what: str = "A") -> np.ndarray:
    if t.dim() != 2:
        raise TorchError(f"bad argument #{argn} to '{name}' ({what} should be 2 dimensional)")
    return t.arr


def _square(t: Tensor, name: str, argn: int, what: str = "A") -> np.ndarray:
    a = _matrix(t, name, argn, what)
    if a.shape[0] != a.shape[1]:
        raise TorchError(f"bad argument #{argn} to '{name}' ({what} should be square)")
    return a


def _system(b: Tensor, a: Tensor, name: str, square: bool = True) -> tuple:
    """A and B of TH's solvers (gesv, trtrs, potrs, gels) as numpy matrices (a vector B as one
    column), checked in TH's order and words."""
    if a.dim() != 2:
        raise TorchError(
            f"bad argument #2 to '{name}' (A should have 2 dimensions, but has {a.dim()})"
        )
    if b.dim() not in (1, 2):
        raise TorchError(
            f"bad argument #1 to '{name}' (B should have 1 or 2 dimensions, but has {b.dim()})"
        )
    rows, cols = a.size
    if square and rows != cols:
        raise TorchError(f"bad argument #2 to '{name}' (A should be square, but is {rows}x{cols})")
    if rows != b.size[0]:
        raise TorchError(
            f"bad argument #2 to '{name}' (A,B size incompatible - A has {rows} rows, "
            f"B has {b.size[0]})"
        )
    return a.arr, b.arr.reshape(-1, 1) if b.dim() == 1 else b.arr


def _lu(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """LAPACK getrf: combined unit-lower L and U, 0-based pivot rows."""
    if (_sla := _scipy_linalg()) is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # singular input: the caller reports it
            lu, piv = _sla.lu_factor(a, check_finite=False)
        return lu, piv
    lu = np.array(a, dtype=a.dtype, copy=True)
    n = lu.shape[0]
    piv = np.arange(n)
    for j in range(n):
        p = j + int(np.argmax(np.abs(lu[j:, j])))
        piv[j] = p
        if p != j:
            lu[[j, p]] = lu[[p, j]]
        if lu[j, j] != 0:
            lu[j + 1 :, j] /= lu[j, j]
            lu[j + 1 :, j + 1 :] -= np.outer(lu[j + 1 :, j], lu[j, j + 1 :])
    return lu, piv


def _check_singular(lu: np.ndarray, name: str) -> None:
    d = np.diagonal(lu)
    zero = np.nonzero(d == 0)[0]
    if zero.size:
        i = int(zero[0]) + 1
        raise TorchError(f"Lapack Error in {name} : U({i},{i}) is zero, singular U.")


def _gesv(rb: Tensor, ra: Tensor, b: Tensor, a: Tensor) -> tuple[Tensor, Tensor]:
    _float("gesv", b, a)
    am, bm = _system(b, a, "gesv")
    lu, _piv = _lu(am)
    _check_singular(lu, "gesv")
    x = np.linalg.solve(am, bm)
    _store_cm(rb, x)
    _store_cm(ra, lu)
    return rb, ra


def _lapack_work(res: Tensor, src: Tensor, value: np.ndarray, rows: int) -> None:
    """Put LAPACK's working matrix ``value`` (nrows x cols) in ``res`` as TH's gels does
    (cloneColumnMajorNrows, then freeCopyTo), keeping its first ``rows`` rows.

    A caller's result tensor (not the source) becomes the column-major work matrix itself,
    then a view of its first rows (strides 1, nrows). The source given again as result is
    reused the same way only when TH's check accepts it (transposed-contiguous with nrows
    columns); otherwise TH works on a new matrix and copies the kept rows into the source,
    resized to them when its size differs.
    """
    nrows, cols = value.shape
    reuse = (
        res is src
        and res.dim() == 2
        and res.stride[0] == 1
        and res.stride[1] == res.size[0]
        and res.size[1] == nrows
    )
    if res is src and not reuse:
        if res.size != (rows, cols):
            res.resize((rows, cols))
        np.copyto(res.arr, value[:rows], casting="unsafe")
        return
    if not reuse:
        res.resize((cols, nrows))
    res.set(res.storage, res.offset, (nrows, cols), (1, nrows))
    np.copyto(res.arr, value, casting="unsafe")
    res.set(res.storage, res.offset, (rows, cols), (1, nrows))


def _gels(rb: Tensor, ra: Tensor, b: Tensor, a: Tensor) -> tuple[Tensor, Tensor]:
    _float("gels", b, a)
    am, bm = _system(b, a, "gels", square=False)
    m, n = am.shape
    ldb = max(m, n)
    # LAPACK's B on exit: ldb rows, the solution in the first n (for m > n the rest hold the
    # residual terms (Q'B)[n:]); A on exit: its QR (or LQ) factorization
    sla = _scipy_linalg()
    if sla is not None:
        work = np.zeros((ldb, bm.shape[1]), dtype=am.dtype)
        work[:m] = bm
        gels = sla.lapack.get_lapack_funcs("gels", (am,))
        fact, x, info = gels(am, work)
        if info > 0:
            raise TorchError(
                "Lapack Error in gels : The "
                f"{info}-th diagonal element of the triangular factor of A is zero"
            )
    elif m >= n:
        h, _tau = np.linalg.qr(am, mode="raw")
        q, r = np.linalg.qr(am, mode="complete")
        qtb = q.T @ bm
        if np.any(np.diagonal(r[:n]) == 0):
            raise TorchError(
                "Lapack Error in gels : The "
                f"{int(np.nonzero(np.diagonal(r[:n]) == 0)[0][0]) + 1}-th diagonal element "
                "of the triangular factor of A is zero"
            )
        x = qtb.copy()
        x[:n] = np.linalg.solve(np.triu(r[:n]), qtb[:n])
        fact = h.T
    else:
        x = np.linalg.lstsq(am, bm, rcond=None)[0]
        h, _tau = np.linalg.qr(am.T, mode="raw")
        fact = h
    _lapack_work(rb, b, np.asarray(x), n)
    _lapack_work(ra, a, np.asarray(fact), m)
    return rb, ra


def _trtrs(rb: Tensor, ra: Tensor, b: Tensor, a: Tensor, uplo, trans, diag) -> tuple:
    _float("trtrs", b, a)
    uplo = _opt(uplo, "trtrs", 3, "UL", "U")
    trans = _opt(trans, "trtrs", 4, "NT", "N")
    diag = _opt(diag, "trtrs", 5, "NU", "N")
    am, bm = _system(b, a, "trtrs")
    t = np.triu(am) if uplo == "U" else np.tril(am)
    if diag == "U":
        t = t.copy()
        np.fill_diagonal(t, 1)
    elif np.any(np.diagonal(t) == 0):
        i = int(np.nonzero(np.diagonal(t) == 0)[0][0]) + 1
        raise TorchError(f"Lapack Error in trtrs : A({i},{i}) is zero, singular A")
    if trans == "T":
        t = t.T
    _store_cm(rb, np.linalg.solve(t, bm))
    _store_cm(ra, am)
    return rb, ra


def _inverse(res: Tensor, a: Tensor) -> Tensor:
    _float("inverse", a)
    am = _square(a, "inverse", 1)
    done = blas.getri(am) if am.size else None
    if done is not None:
        # the very LAPACK calls of Torch7 (getrf, getri) in the library it calls
        inv, info = done
        if info > 0:
            raise TorchError(f"Lapack Error getrf : U({info},{info}) is 0, U is singular")
        return _store_cm(res, inv)
    lu, _ = _lu(am)
    d = np.diagonal(lu)
    if np.any(d == 0):
        i = int(np.nonzero(d == 0)[0][0]) + 1
        raise TorchError(f"Lapack Error getrf : U({i},{i}) is 0, U is singular")
    return _store_cm(res, np.linalg.inv(am))


def _svd(ru: Tensor, rs: Tensor, rv: Tensor, a: Tensor, jobu) -> tuple:
    _float("svd", a)
    jobu = _opt(jobu, "svd", 2, "AS", "S")
    am = _matrix(a, "svd", 1)
    full = jobu == "A"
    if (_sla := _scipy_linalg()) is not None:
        u, s, vt = _sla.svd(am, full_matrices=full, lapack_driver="gesvd", check_finite=False)
    else:
        u, s, vt = np.linalg.svd(am, full_matrices=full)
    _store_cm(ru, u)
    _store(rs, s)
    _store_cm(rv, vt.T)
    return ru, rs, rv


def _eig(re: Tensor, rv: Tensor, a: Tensor, jobvr) -> tuple[Tensor, Tensor]:
    _float("eig", a)
    jobvr = _opt(jobvr, "eig", 2, "NV", "N")
    am = _square(a, "eig", 1)
    if not np.all(np.isfinite(am)):
        raise TorchError("eig: the input contains NaN or infinite values")
    w, v = np.linalg.eig(am)
    e = np.stack([w.real, w.imag], axis=1)
    _store(re, e)
    if jobvr == "V":
        # LAPACK's real layout: a complex pair (j, j+1) stores Re in column j, Im in j+1
        out = np.empty(am.shape, dtype=np.float64)
        j = 0
        n = am.shape[0]
        while j < n:
            if w.imag[j] != 0 and j + 1 < n:
                out[:, j] = v[:, j].real
                out[:, j + 1] = v[:, j].imag
                j += 2
            else:
                out[:, j] = v[:, j].real
                j += 1
        _store_cm(rv, out)
    else:
        rv.set(None, 0, ())
    return re, rv


def _symeig(re: Tensor, rv: Tensor, a: Tensor, jobz, uplo) -> tuple[Tensor, Tensor]:
    _float("symeig", a)
    jobz = _opt(jobz, "symeig", 2, "NV", "N")
    uplo = _opt(uplo, "symeig", 3, "UL", "U")
    am = _square(a, "symeig", 1)
    fn = blas.lapack("syev", am.dtype) if am.size else None
    if fn is not None:
        info = ctypes.c_int(0)
        # TH's syev on a column-major copy: with jobz 'N' the matrix comes back as LAPACK
        # leaves it (its triangle overwritten), and the eigenvalues by another algorithm
        f = np.array(am, order="F", copy=True)
        w = np.zeros(f.shape[0], dtype=am.dtype)
        _lapack_work_query(fn, jobz, uplo, _n(f), f, _n(f), w, _WORK, info)
        if info.value > 0:
            raise TorchError(
                f"Lapack Error syev : {info.value} off-diagonal elements didn't converge to zero"
            )
        _store(re, w)
        _store_cm(rv, f)
        return re, rv
    if (_sla := _scipy_linalg()) is not None:
        w, v = _sla.eigh(am, lower=(uplo == "L"), driver="ev", check_finite=False)
    else:
        w, v = np.linalg.eigh(am, UPLO=uplo)
    _store(re, w)
    if jobz == "V":
        _store_cm(rv, v)
    else:
        _store_cm(rv, am)
    return re, rv


def _qr(rq: Tensor, rr: Tensor, a: Tensor) -> tuple[Tensor, Tensor]:
    _float("qr", a)
    am = _matrix(a, "qr", 1)
    q, r = np.linalg.qr(am, mode="reduced")
    _store_cm(rq, q)  # (TH's Q: orgqr's column-major matrix, narrowed)
    _store(rr, r)
    return rq, rr


def _chol_check(a: np.ndarray) -> None:
    for k in range(1, a.shape[0] + 1):
        try:
            np.linalg.cholesky(a[:k, :k])
        except np.linalg.LinAlgError:
            raise TorchError(
                f"Lapack Error in potrf : the leading minor of order {k} is not positive definite"
            ) from None


def _potrf(res: Tensor, a: Tensor, uplo) -> Tensor:
    _float("potrf", a)
    uplo = _opt(uplo, "potrf", 2, "UL", "U")
    am = _square(a, "potrf", 1)
    # LAPACK reads one triangle only: symmetrise from it
    sym = np.triu(am) + np.triu(am, 1).T if uplo == "U" else np.tril(am) + np.tril(am, -1).T
    try:
        low = np.linalg.cholesky(sym)
    except np.linalg.LinAlgError:
        _chol_check(sym)
        raise
    return _store(res, low.T if uplo == "U" else low)


def _chol_matrix(c: np.ndarray, uplo: str) -> np.ndarray:
    t = np.triu(c) if uplo == "U" else np.tril(c)
    return t.T @ t if uplo == "U" else t @ t.T


def _potrs(res: Tensor, b: Tensor, chol: Tensor, uplo) -> Tensor:
    _float("potrs", b, chol)
    uplo = _opt(uplo, "potrs", 3, "UL", "U")
    cm, bm = _system(b, chol, "potrs")
    fn = blas.lapack("potrs", cm.dtype) if cm.size and bm.size else None
    if fn is not None:
        info = ctypes.c_int(0)
        fa = np.array(cm, order="F", copy=True)
        fb = np.array(bm, order="F", copy=True)
        n = ctypes.c_int(fa.shape[0])
        blas.lapack_call(fn, uplo, n, ctypes.c_int(fb.shape[1]), fa, n, fb, n, info)
        if info.value > 0:
            i = info.value
            raise TorchError(f"Lapack Error in potrs : A({i},{i}) is zero, singular A")
        return _store_cm(res, fb)
    t = np.triu(cm) if uplo == "U" else np.tril(cm)
    # A = U'U: solve U'y = b, then U x = y (or L y = b, L'x = y)
    if uplo == "U":
        y = np.linalg.solve(t.T, bm)
        x = np.linalg.solve(t, y)
    else:
        y = np.linalg.solve(t, bm)
        x = np.linalg.solve(t.T, y)
    return _store(res, x)


def _potri(res: Tensor, chol: Tensor, uplo) -> Tensor:
    _float("potri", chol)
    uplo = _opt(uplo, "potri", 2, "UL", "U")
    cm = _square(chol, "potri", 1)
    fn = blas.lapack("potri", cm.dtype) if cm.size else None
    if fn is not None:
        info = ctypes.c_int(0)
        f = np.array(cm, order="F", copy=True)
        n = ctypes.c_int(f.shape[0])
        blas.lapack_call(fn, uplo, n, f, n, info)
        if info.value > 0:
            i = info.value
            raise TorchError(f"Lapack Error potri : A({i},{i}) is 0, A cannot be factorized")
        # TH fills the other triangle from the one LAPACK computed
        full = np.triu(f) + np.triu(f, 1).T if uplo == "U" else np.tril(f) + np.tril(f, -1).T
        return _store_cm(res, full)
    return _store(res, np.linalg.inv(_chol_matrix(cm, uplo)))


def _pstrf(res: Tensor, piv: Tensor, a: Tensor, uplo, tol: float | None) -> tuple:
    """Cholesky with complete pivoting of a positive semidefinite matrix (LAPACK pstrf):
    a[piv, piv] = U'U ('U') or L L' ('L'); piv is 1-based; rank-deficient trailing rows stay 0."""
    _float("pstrf", a)
    uplo = _opt(uplo, "pstrf", 3, "UL", "U")
    am = _square(a, "pstrf", 1)
    n = am.shape[0]
    fn = blas.lapack("pstrf", am.dtype) if n else None
    if fn is not None:
        info = ctypes.c_int(0)
        f = np.array(am, order="F", copy=True)
        p = np.zeros(n, dtype=np.int32)
        real_t = ctypes.c_double if am.dtype == np.float64 else ctypes.c_float
        work = np.zeros(2 * n, dtype=am.dtype)
        cn = ctypes.c_int(n)
        tol_ = real_t(-1 if tol is None else tol)
        blas.lapack_call(fn, uplo, cn, f, cn, p, ctypes.c_int(0), tol_, work, info)
        if info.value > 0:
            raise TorchError(
                "Lapack Error pstrf : matrix is rank deficient or not positive semidefinite"
            )
        _store_cm(res, np.triu(f) if uplo == "U" else np.tril(f))
        _store(piv, p)
        return res, piv
    sym = np.triu(am) + np.triu(am, 1).T if uplo == "U" else np.tril(am) + np.tril(am, -1).T
    w = np.array(sym, dtype=np.float64)
    perm = np.arange(n)
    low = np.zeros((n, n))
    eps = np.finfo(DTYPES[a.ttype]).eps
    stop = n * eps * float(np.max(np.diagonal(w))) if (tol is None or tol < 0) and n else tol
    for j in range(n):
        d = np.diagonal(w)[j:]
        k = j + int(np.argmax(d))
        if d[k - j] <= (stop or 0.0):
            break
        for m in (w,):
            m[[j, k], :] = m[[k, j], :]
            m[:, [j, k]] = m[:, [k, j]]
        low[[j, k], :] = low[[k, j], :]
        perm[[j, k]] = perm[[k, j]]
        ljj = np.sqrt(w[j, j])
        low[j, j] = ljj
        low[j + 1 :, j] = w[j + 1 :, j] / ljj
        w[j + 1 :, j + 1 :] -= np.outer(low[j + 1 :, j], low[j + 1 :, j])
    _store(res, low.T if uplo == "U" else low)
    _store(piv, perm + 1)
    return res, piv


def _raw_fortran(t: Tensor) -> np.ndarray:
    """The matrix LAPACK reads at t's data pointer when TH hands it over as it is (ormqr's A):
    t itself when column-major, its memory read column-major when row-major."""
    a = t.arr
    if t.stride == (1, t.size[0]):
        return np.asfortranarray(a)
    return np.ascontiguousarray(a).reshape(-1).reshape(a.shape[::-1], order="F")


def _geqrf(ra: Tensor, rtau: Tensor, a: Tensor) -> tuple[Tensor, Tensor]:
    _float("geqrf", a)
    am = _matrix(a, "geqrf", 1)
    fn = blas.lapack("geqrf", am.dtype)
    if fn is None:  # pragma: no cover - no system LAPACK
        raise TorchError("geqrf needs the system's LAPACK")
    f = np.array(am, order="F", copy=True)
    m, n = f.shape
    tau = np.zeros(min(m, n), dtype=am.dtype)
    info = ctypes.c_int(0)
    _lapack_work_query(fn, ctypes.c_int(m), ctypes.c_int(n), f, ctypes.c_int(max(m, 1)), tau,
                       _WORK, info)  # fmt: skip
    if info.value:
        raise TorchError(f"Lapack Error geqrf : unknown Lapack error. info = {info.value}")
    _store_cm(ra, f)
    _store(rtau, tau)
    return ra, rtau


def _orgqr(res: Tensor, a: Tensor, tau: Tensor) -> Tensor:
    _float("orgqr", a, tau)
    am = _matrix(a, "orgqr", 1)
    fn = blas.lapack("orgqr", am.dtype)
    if fn is None:  # pragma: no cover - no system LAPACK
        raise TorchError("orgqr needs the system's LAPACK")
    f = np.array(am, order="F", copy=True)
    m = f.shape[0]
    k = ctypes.c_int(tau.size[0] if tau.size else 0)
    t = np.ascontiguousarray(tau.arr) if tau.size else np.zeros(0, am.dtype)
    info = ctypes.c_int(0)
    # TH asks for k columns of Q (the others stay as A had them)
    _lapack_work_query(fn, ctypes.c_int(m), k, k, f, ctypes.c_int(max(m, 1)), t, _WORK, info)
    if info.value:
        raise TorchError(f" Lapack Error orgqr : unknown Lapack error. info = {info.value}")
    return _store_cm(res, f)


def _ormqr(res: Tensor, a: Tensor, tau: Tensor, c: Tensor, side, trans) -> Tensor:
    _float("ormqr", a, tau, c)
    side = _opt(side, "ormqr", 5, "LR", "L")
    trans = _opt(trans, "ormqr", 6, "NT", "N")
    _matrix(a, "ormqr", 1)
    cm = _matrix(c, "ormqr", 4, "C")
    fn = blas.lapack("ormqr", cm.dtype)
    if fn is None:  # pragma: no cover - no system LAPACK
        raise TorchError("ormqr needs the system's LAPACK")
    f = np.array(cm, order="F", copy=True)
    m, n = f.shape
    k = tau.size[0] if tau.size else 0
    lda = m if side == "L" else n
    info = ctypes.c_int(0)
    _lapack_work_query(fn, side, trans, ctypes.c_int(m), ctypes.c_int(n), ctypes.c_int(k),
                       _raw_fortran(a), ctypes.c_int(lda), np.ascontiguousarray(tau.arr), f,
                       ctypes.c_int(max(m, 1)), _WORK, info)  # fmt: skip
    if info.value:
        raise TorchError(f" Lapack Error ormqr : unknown Lapack error. info = {info.value}")
    return _store_cm(res, f)


_S2 = ("same", "same")
register("geqrf", [("T", _cwrapped("geqrf", _geqrf), _S2)], inplace=False)
register("orgqr", [("T T", _cwrapped("orgqr", _orgqr), "same")], inplace=False)
register("ormqr", [("T T T s? s?", _cwrapped("ormqr", _ormqr), "same")], inplace=False)
register("pstrf", [("T s? n?", _cwrapped("pstrf", _pstrf), ("same", "Int"))], inplace=False)
register("gesv", [("T T", _cwrapped("gesv", _gesv), _S2)], inplace=False)
register("gels", [("T T", _cwrapped("gels", _gels), _S2)], inplace=False)
register("trtrs", [("T T s? s? s?", _cwrapped("trtrs", _trtrs), _S2)], inplace=False)
register("inverse", [("T", _cwrapped("inverse", _inverse), "same")], inplace=False)
register("svd", [("T s?", _cwrapped("svd", _svd), ("same", "same", "same"))], inplace=False)
register("eig", [("T s?", _cwrapped("eig", _eig), _S2)], inplace=False)
register("symeig", [("T s? s?", _cwrapped("symeig", _symeig), _S2)], inplace=False)
register("qr", [("T", _cwrapped("qr", _qr), _S2)], inplace=False)
register("potrf", [("T s?", _cwrapped("potrf", _potrf), "same")], inplace=False)
register("potrs", [("T T s?", _cwrapped("potrs", _potrs), "same")], inplace=False)
register("potri", [("T s?", _cwrapped("potri", _potri), "same")], inplace=False)

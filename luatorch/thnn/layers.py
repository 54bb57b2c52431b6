"""Kernels of nn's simple layers (reductions, element-wise parameter layers, distances, lookups).

Each function follows THNN's shape: tensors and numbers in, outputs written in place. Modules with
table inputs ({x1, x2}) pass the table's tensors as separate arguments.

Sum/Mean:   y = sum_d x (/ n)                 dx = broadcast(dy) (/ n)
Max/Min:    y = max_d x, i = argmax_d x        dx = scatter(dy at i)
CMul:       y = x * w (broadcast)              dx = dy * w,  dw += s * sum(x * dy)
CAdd:       y = x + b (broadcast)              dx = dy,      db += s * sum(dy)
Euclidean:  y_j = ||x - w_j||                  dx = sum_j (x - w_j) dy_j / y_j
Normalize:  y = x / ||x||_p
Bilinear:   y_k = x1^T W_k x2 + b_k
LookupTable: y = W[idx]                        dW[idx] += s * dy
"""

from __future__ import annotations

import math

import numpy as np

from ..tensor import accreal, blas, libm
from ..tensor.core import Tensor, TorchError
from ._util import resize_as, store, sz


# ------------------------------------------------------------------------------ Sum, Mean
def Sum_updateOutput(
    input: Tensor, output: Tensor, dim: int, sizeAverage: bool, squeeze: bool
) -> None:
    x = input.arr
    d = dim - 1
    if not 0 <= d < max(x.ndim, 1):
        # nn.Sum calls output:sum(input, dim): THTensor_(sum)'s check on its argument
        raise TorchError(f"bad argument #1 to 'sum' (dimension {dim} out of range)")
    # nn's Sum: output:sum(input, dim) (THTensor_(sum): accreal per row when that dimension
    # has stride 1, else slice by slice in real), then output:div(n) in real
    if x.ndim == 0:
        value = x.reshape(1)
    else:
        unit = x.strides[d] == x.itemsize
        value = np.expand_dims(accreal.sum_dim(x, d, unit), d)
    if sizeAverage:
        n = x.shape[d] if x.ndim else 1
        value = value / value.dtype.type(n) if value.dtype.kind == "f" else value / n
    if squeeze and value.ndim > 1:
        value = value.squeeze(axis=d)
    store(output, value)


def Sum_updateGradInput(
    input: Tensor, gradOutput: Tensor, gradInput: Tensor, dim: int, sizeAverage: bool
) -> None:
    x = input.arr
    d = dim - 1
    shape = list(x.shape)
    shape[d] = 1
    g = gradOutput.arr
    if g.size != math.prod(shape):
        raise TorchError("gradOutput has the wrong number of elements")
    g = g.reshape(shape)
    if sizeAverage:
        g = g / x.shape[d]
    np.copyto(resize_as(gradInput, input), np.broadcast_to(g, x.shape), casting="unsafe")


# ------------------------------------------------------------------------------ Max, Min
def Max_updateOutput(input: Tensor, output: Tensor, indices: Tensor, dim: int, isMin: bool) -> None:
    x = input.arr
    d = dim - 1
    if not 0 <= d < input.dim():
        # nn.Max calls torch.max(values, indices, input, dim): TH's check on the dimension
        raise TorchError(f"bad argument #2 to '?' (dimension {dim} out of range)")
    idx = (np.argmin if isMin else np.argmax)(x, axis=d)
    idx = np.expand_dims(idx, d)
    store(indices, idx + 1)
    value = np.take_along_axis(x, idx, axis=d)
    if x.ndim > 1:
        value = value.squeeze(axis=d)
    store(output, value)


def Max_updateGradInput(
    input: Tensor, gradOutput: Tensor, gradInput: Tensor, indices: Tensor, dim: int
) -> None:
    d = dim - 1
    out = resize_as(gradInput, input)
    out[...] = 0
    idx = indices.arr - 1
    np.put_along_axis(out, idx, gradOutput.arr.reshape(idx.shape), axis=d)


# ------------------------------------------------------------------------------ CMul, CAdd
def _bcast(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The views under which Torch's CMul/CAdd combine input and weight."""
    if x.size == w.size:
        return x.reshape(-1), w.reshape(-1)
    if w.ndim == x.ndim:
        for a, b in zip(x.shape, w.shape, strict=True):
            if b != a and b != 1:
                raise TorchError(f"expand: weight {w.shape} does not match input {x.shape}")
        return x, w
    if x.ndim == 0 or (x.size // x.shape[0]) != w.size:
        raise TorchError("inconsistent tensor size: input and weight do not match")
    return x.reshape(x.shape[0], -1), w.reshape(1, -1)


def _reduce_to(v: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum v over the axes that were broadcast from shape."""
    if v.shape == shape:
        return v
    axes = tuple(i for i, (a, b) in enumerate(zip(v.shape, shape, strict=True)) if a != b)
    return v.sum(axis=axes, keepdims=True)


def CMul_updateOutput(input: Tensor, weight: Tensor, output: Tensor) -> None:
    x, w = _bcast(input.arr, weight.arr)
    np.copyto(resize_as(output, input), (x * w).reshape(input.size), casting="unsafe")


def CMul_updateGradInput(
    input: Tensor, gradOutput: Tensor, weight: Tensor, gradInput: Tensor
) -> None:
    g, w = _bcast(gradOutput.arr, weight.arr)
    np.copyto(resize_as(gradInput, input), (g * w).reshape(input.size), casting="unsafe")


def CMul_accGradParameters(
    input: Tensor, gradOutput: Tensor, gradWeight: Tensor, scale: float
) -> None:
    x, w = _bcast(input.arr, gradWeight.arr)
    g = gradOutput.arr.reshape(x.shape)
    gradWeight.arr[...] += scale * _reduce_to(x * g, w.shape).reshape(gradWeight.size)


def CAdd_updateOutput(input: Tensor, bias: Tensor, output: Tensor) -> None:
    x, b = _bcast(input.arr, bias.arr)
    np.copyto(resize_as(output, input), (x + b).reshape(input.size), casting="unsafe")


def CAdd_accGradParameters(
    input: Tensor, gradOutput: Tensor, gradBias: Tensor, scale: float
) -> None:
    # Torch: gradBias, expanded to gradOutput's shape, += scale * gradOutput element by element
    # in row-major order (TH's loop over an expanded tensor): each bias entry adds its terms
    # in turn, in real
    x, b = _bcast(input.arr, gradBias.arr)
    g = gradOutput.arr.reshape(x.shape)
    real = g.dtype.type
    terms = g if scale == 1 else real(scale) * g
    if terms.shape == b.shape:
        gradBias.arr[...] += terms.reshape(gradBias.size)
        return
    axes = [i for i, (a, c) in enumerate(zip(terms.shape, b.shape, strict=True)) if a != c]
    rows = np.moveaxis(terms, axes, list(range(len(axes)))).reshape((-1,) + b.reshape(-1).shape)
    steps = np.concatenate([b.reshape(1, -1), rows])
    gradBias.arr[...] = accreal.seq(steps, axis=0, dtype=real).reshape(gradBias.size)


def Add_updateOutput(input: Tensor, bias: Tensor, output: Tensor, scalar: bool) -> None:
    x = input.arr
    b = bias.arr
    if scalar:
        value = x + b[0]
    elif x.shape == b.shape:
        value = x + b
    else:
        if x.ndim == 0 or x.size // x.shape[0] != b.size:
            raise TorchError(f"size mismatch, input {sz(input)}, bias {sz(bias)}")
        value = (x.reshape(x.shape[0], -1) + b.reshape(1, -1)).reshape(x.shape)
    np.copyto(resize_as(output, input), value, casting="unsafe")


def Add_accGradParameters(
    input: Tensor, gradOutput: Tensor, gradBias: Tensor, scale: float
) -> None:
    g = gradOutput.arr
    gb = gradBias.arr
    if gb.size == 1:
        gb[0] += scale * g.sum()
    elif g.shape == gb.shape:
        gb += scale * g
    else:
        gb[...] += scale * g.reshape(g.shape[0], -1).sum(0).reshape(gb.shape)


# ------------------------------------------------------------------------------ Euclidean
def _rows(x: np.ndarray, n: int, what: str) -> np.ndarray:
    if x.ndim == 1 and x.shape[0] == n:
        return x.reshape(1, n)
    if x.ndim == 2 and x.shape[1] == n:
        return x
    raise TorchError(what)


def Euclidean_updateOutput(input: Tensor, weight: Tensor, output: Tensor) -> None:
    w = weight.arr  # inputSize x outputSize
    x = _rows(input.arr, w.shape[0], "vector or matrix expected with inputSize columns")
    d = x[:, :, None] - w[None, :, :]  # B x in x out
    y = np.sqrt((d * d).sum(1))
    store(output, y if input.dim() == 2 else y[0])


def Euclidean_updateGradInput(
    input: Tensor, gradOutput: Tensor, weight: Tensor, output: Tensor, gradInput: Tensor
) -> None:
    w = weight.arr
    x = _rows(input.arr, w.shape[0], "vector or matrix expected with inputSize columns")
    y = output.arr.reshape(x.shape[0], -1) + 1e-7  # Torch guards the division likewise
    g = gradOutput.arr.reshape(y.shape) / y
    d = x[:, :, None] - w[None, :, :]
    value = (d * g[:, None, :]).sum(2)
    store(gradInput, value.reshape(input.size))


def Euclidean_accGradParameters(
    input: Tensor,
    gradOutput: Tensor,
    weight: Tensor,
    output: Tensor,
    gradWeight: Tensor,
    scale: float,
) -> None:
    w = weight.arr
    x = _rows(input.arr, w.shape[0], "vector or matrix expected with inputSize columns")
    y = output.arr.reshape(x.shape[0], -1) + 1e-7
    g = gradOutput.arr.reshape(y.shape) / y
    d = x[:, :, None] - w[None, :, :]
    gradWeight.arr[...] -= scale * (d * g[:, None, :]).sum(0)


# ------------------------------------------------------------------------------ Cosine
_EPS = 1e-12


def Cosine_updateOutput(input: Tensor, weight: Tensor, output: Tensor) -> None:
    w = weight.arr  # outputSize x inputSize
    x = _rows(input.arr, w.shape[1], "vector or matrix expected with inputSize columns")
    wn = np.sqrt((w * w).sum(1)) + _EPS
    xn = np.sqrt((x * x).sum(1)) + _EPS
    y = (x @ w.T) / xn[:, None] / wn[None, :]
    store(output, y if input.dim() == 2 else y[0])


def _cosine_parts(input: Tensor, gradOutput: Tensor, weight: Tensor, output: Tensor):
    w = weight.arr
    x = _rows(input.arr, w.shape[1], "vector or matrix expected with inputSize columns")
    wn = np.sqrt((w * w).sum(1)) + _EPS
    xn = np.sqrt((x * x).sum(1)) + _EPS
    y = output.arr.reshape(x.shape[0], -1)
    g = gradOutput.arr.reshape(y.shape)
    return x, w, xn, wn, y, g


def Cosine_updateGradInput(
    input: Tensor, gradOutput: Tensor, weight: Tensor, output: Tensor, gradInput: Tensor
) -> None:
    x, w, xn, wn, y, g = _cosine_parts(input, gradOutput, weight, output)
    # d y_bj / d x_b = w_j / (|x||w_j|) - y_bj x_b / |x|^2
    value = (g / wn[None, :]) @ w / xn[:, None] - (g * y).sum(1)[:, None] * x / (xn * xn)[:, None]
    store(gradInput, value.reshape(input.size))


def Cosine_accGradParameters(
    input: Tensor,
    gradOutput: Tensor,
    weight: Tensor,
    output: Tensor,
    gradWeight: Tensor,
    scale: float,
) -> None:
    x, w, xn, wn, y, g = _cosine_parts(input, gradOutput, weight, output)
    value = (g / xn[:, None]).T @ x / wn[:, None] - (g * y).sum(0)[:, None] * w / (wn * wn)[:, None]
    gradWeight.arr[...] += scale * value


# ------------------------------------------------------------------------------ pairs {x1, x2}
def _pair(x1: Tensor, x2: Tensor) -> tuple[np.ndarray, np.ndarray]:
    a, b = x1.arr, x2.arr
    if a.shape != b.shape:
        raise TorchError(f"input sizes must be equal: {sz(x1)} vs {sz(x2)}")
    if a.ndim == 1:
        return a.reshape(1, -1), b.reshape(1, -1)
    if a.ndim == 2:
        return a, b
    raise TorchError("input must be vector or matrix")


def CosineDistance_updateOutput(x1: Tensor, x2: Tensor, output: Tensor) -> None:
    a, b = _pair(x1, x2)
    w1 = (a * b).sum(1)
    w22 = 1.0 / ((a * a).sum(1) + _EPS)
    w32 = 1.0 / ((b * b).sum(1) + _EPS)
    store(output, w1 * np.sqrt(w22 * w32))


def CosineDistance_updateGradInput(
    x1: Tensor, x2: Tensor, gradOutput: Tensor, gradInput1: Tensor, gradInput2: Tensor
) -> None:
    a, b = _pair(x1, x2)
    w1 = (a * b).sum(1)[:, None]
    w22 = 1.0 / ((a * a).sum(1) + _EPS)[:, None]
    w32 = 1.0 / ((b * b).sum(1) + _EPS)[:, None]
    w = np.sqrt(w22 * w32)
    g = gradOutput.arr.reshape(-1, 1)
    ga = (b * w - a * (w1 * w22 * w)) * g
    gb = (a * w - b * (w1 * w32 * w)) * g
    store(gradInput1, ga.reshape(x1.size))
    store(gradInput2, gb.reshape(x2.size))


def DotProduct_updateOutput(x1: Tensor, x2: Tensor, output: Tensor) -> None:
    a, b = _pair(x1, x2)
    store(output, (a * b).sum(1))


def DotProduct_updateGradInput(
    x1: Tensor, x2: Tensor, gradOutput: Tensor, gradInput1: Tensor, gradInput2: Tensor
) -> None:
    a, b = _pair(x1, x2)
    g = gradOutput.arr.reshape(-1, 1)
    store(gradInput1, (b * g).reshape(x1.size))
    store(gradInput2, (a * g).reshape(x2.size))


def PairwiseDistance_updateOutput(x1: Tensor, x2: Tensor, output: Tensor, p: float) -> None:
    a, b = _pair(x1, x2)
    d = np.abs(a - b)
    if p == np.inf:
        y = d.max(1)
    elif p == 1:
        y = d.sum(1)
    else:
        y = (d**p).sum(1) ** (1.0 / p)
    store(output, y)


def PairwiseDistance_updateGradInput(
    x1: Tensor,
    x2: Tensor,
    gradOutput: Tensor,
    output: Tensor,
    gradInput1: Tensor,
    gradInput2: Tensor,
    p: float,
) -> None:
    a, b = _pair(x1, x2)
    d = a - b
    g = gradOutput.arr.reshape(-1, 1)
    if p == 1:
        v = np.sign(d)
    elif p == np.inf:
        v = np.zeros_like(d)
        i = np.abs(d).argmax(1)
        r = np.arange(d.shape[0])
        v[r, i] = np.sign(d[r, i])
    else:
        y = output.arr.reshape(-1, 1) + 1e-6  # Torch's guard against a zero distance
        v = d * np.abs(d) ** (p - 2) / y ** (p - 1)
    store(gradInput1, (v * g).reshape(x1.size))
    store(gradInput2, (-v * g).reshape(x2.size))


# ------------------------------------------------------------------------------ Normalize
def _norm(x: np.ndarray, p: float, eps: float) -> np.ndarray:
    if p == np.inf:
        return np.abs(x).max(1) + eps
    return ((np.abs(x) ** p).sum(1) + eps) ** (1.0 / p)


def Normalize_updateOutput(input: Tensor, output: Tensor, p: float, eps: float) -> None:
    if input.dim() > 2 or input.dim() == 0:
        raise TorchError("only 1d layer supported")
    x = input.arr.reshape(-1, input.size[-1])
    n = _norm(x, p, eps)
    store(output, (x / n[:, None]).reshape(input.size))


def Normalize_updateGradInput(
    input: Tensor, gradOutput: Tensor, gradInput: Tensor, p: float, eps: float
) -> None:
    if input.dim() > 2 or input.dim() == 0:
        raise TorchError("only 1d layer supported")
    x = input.arr.reshape(-1, input.size[-1])
    g = gradOutput.arr.reshape(x.shape)
    n = _norm(x, p, eps)[:, None]
    if p == np.inf:
        dn = np.zeros_like(x)
        i = np.abs(x).argmax(1)
        r = np.arange(x.shape[0])
        dn[r, i] = np.sign(x[r, i])
    else:
        dn = np.abs(x) ** (p - 1) * np.sign(x) * n ** (1 - p)
    value = g / n - (g * x).sum(1)[:, None] / (n * n) * dn
    store(gradInput, value.reshape(input.size))


# ------------------------------------------------------------------------------ Bilinear
def Bilinear_updateOutput(
    x1: Tensor, x2: Tensor, weight: Tensor, bias: Tensor | None, output: Tensor
) -> None:
    y = np.einsum("bi,kij,bj->bk", x1.arr, weight.arr, x2.arr)
    if bias is not None:
        y += bias.arr
    store(output, y)


def Bilinear_updateGradInput(
    x1: Tensor,
    x2: Tensor,
    gradOutput: Tensor,
    weight: Tensor,
    gradInput1: Tensor,
    gradInput2: Tensor,
) -> None:
    g = gradOutput.arr
    w = weight.arr
    store(gradInput1, np.einsum("bk,kij,bj->bi", g, w, x2.arr))
    store(gradInput2, np.einsum("bk,kij,bi->bj", g, w, x1.arr))


def Bilinear_accGradParameters(
    x1: Tensor,
    x2: Tensor,
    gradOutput: Tensor,
    gradWeight: Tensor,
    gradBias: Tensor | None,
    scale: float,
) -> None:
    g = gradOutput.arr
    gradWeight.arr[...] += scale * np.einsum("bk,bi,bj->kij", g, x1.arr, x2.arr)
    if gradBias is not None:
        gradBias.arr[...] += scale * g.sum(0)


# ------------------------------------------------------------------------------ LookupTable
def _indices(input: Tensor, nIndex: int, check: str = "index") -> np.ndarray:
    """0-based rows. An index out of range is reported as Torch7 does where it is found:
    the forward's index() ("index out of range"), THNN's accGradParameters ("inputs need
    to be ...") or renorm ("input need to be ..."), the last two naming the first bad value."""
    if input.dim() not in (1, 2):
        raise TorchError("input must be a vector or matrix")
    idx = input.arr
    if idx.size and (idx.min() < 1 or idx.max() > nIndex):
        if check == "index":
            raise TorchError("index out of range")
        flat = idx.reshape(-1)
        bad = int(flat[np.flatnonzero((flat < 1) | (flat > nIndex))[0]])
        raise TorchError(
            f"{check} need to be in the range 1 <= input < {nIndex + 1}, "
            f"but got input of value: {bad}"
        )
    return idx.astype(np.int64) - 1


def LookupTable_updateOutput(input: Tensor, weight: Tensor, output: Tensor) -> None:
    w = weight.arr
    idx = _indices(input, w.shape[0])
    store(output, w[idx])


def LookupTable_accGradParameters(
    input: Tensor,
    gradOutput: Tensor,
    gradWeight: Tensor,
    scaleGradByFreq: bool,
    paddingValue: int,
    scale: float,
) -> None:
    gw = gradWeight.arr
    raw = input.arr.reshape(-1)
    idx = _indices(input, gw.shape[0], "inputs").reshape(-1)
    g = gradOutput.arr.reshape(idx.size, gw.shape[1])
    keep = raw != paddingValue
    idx, g = idx[keep], g[keep]
    # THNN: for each index in input order, gradWeight[k] += scale_ * gradOutput[i] with BLAS
    # axpy in real (scale_ = scale / count[k] with scaleGradByFreq). With scale_ 1 that is the
    # plain sum in order, which add.at does in the array's type; any other factor goes
    # through axpy itself, row by row
    real = gw.dtype.type
    factors = np.full(idx.size, real(scale), dtype=gw.dtype)
    if scaleGradByFreq:
        counts = np.bincount(idx, minlength=gw.shape[0])
        factors = factors / counts[idx].astype(gw.dtype)
    if np.all(factors == 1):
        np.add.at(gw, idx, g.astype(gw.dtype, copy=False))
        return
    g = np.ascontiguousarray(g, dtype=gw.dtype)
    for i in range(idx.size):
        blas.axpy(gw[idx[i]], float(factors[i]), g[i])


def LookupTable_renorm(input: Tensor, weight: Tensor, maxNorm: float, normType: float) -> None:
    # THNN: each row once (sorted, duplicates skipped); the norm summed in real along the row
    # (|x|, x * x, or the C library's pow(|x|, p) in double), pow(norm, 1 / p) in double; rows
    # whose norm passes maxNorm scaled by maxNorm / (norm + 1e-7), in real. maxNorm and p are
    # converted to real first.
    w = weight.arr
    real = w.dtype.type
    maxNorm, normType = float(real(maxNorm)), float(real(normType))
    idx = np.unique(_indices(input, w.shape[0], "input"))
    rows = w[idx]
    norm = np.zeros(len(idx), dtype=w.dtype)
    with np.errstate(all="ignore"):
        for j in range(rows.shape[1]):
            col = rows[:, j]
            if normType == 1:
                norm = (norm + np.abs(col)).astype(w.dtype)
            elif normType == 2:
                norm = (norm + col * col).astype(w.dtype)
            else:
                term = libm.call("pow", np.abs(col.astype(np.float64)), normType)
                norm = (norm.astype(np.float64) + term).astype(w.dtype)
        norm = libm.call("pow", norm.astype(np.float64), 1.0 / normType).astype(w.dtype)
        big = norm > maxNorm
        scale = (maxNorm / (norm[big].astype(np.float64) + 1e-7)).astype(w.dtype)
        w[idx[big]] = rows[big] * scale[:, None]


# ------------------------------------------------------------------------------ index helpers
def Index_updateOutput(input: Tensor, indices: Tensor, output: Tensor, dim: int) -> None:
    x = input.arr
    idx = indices.arr.reshape(-1).astype(np.int64)
    if idx.size and (idx.min() < 1 or idx.max() > x.shape[dim - 1]):
        raise TorchError("index out of range")
    store(output, np.take(x, idx - 1, axis=dim - 1))


def Index_updateGradInput(
    input: Tensor, indices: Tensor, gradOutput: Tensor, gradInput: Tensor, dim: int
) -> None:
    out = resize_as(gradInput, input)
    out[...] = 0
    idx = indices.arr.reshape(-1).astype(np.int64) - 1
    moved = np.moveaxis(out, dim - 1, 0)
    np.add.at(moved, idx, np.moveaxis(gradOutput.arr, dim - 1, 0))


def MaskedSelect_updateOutput(input: Tensor, mask: Tensor, output: Tensor) -> None:
    m = mask.arr
    if m.size != input.arr.size:
        raise TorchError(
            "inconsistent tensor size: mask and input must have the same number of elements"
        )
    store(output, input.arr[m.reshape(input.arr.shape) != 0])


def MaskedSelect_updateGradInput(
    input: Tensor, mask: Tensor, gradOutput: Tensor, gradInput: Tensor, gradMask: Tensor
) -> None:
    out = resize_as(gradInput, input)
    out[...] = 0
    out[mask.arr.reshape(out.shape) != 0] = gradOutput.arr.reshape(-1)
    resize_as(gradMask, mask)[...] = 0


# ------------------------------------------------------------------------------ MM
def MM_updateOutput(a: Tensor, b: Tensor, output: Tensor, transA: bool, transB: bool) -> None:
    x, y = a.arr, b.arr
    if x.ndim != y.ndim or x.ndim not in (2, 3):
        raise TorchError("input tensors must be 2D or 3D")
    if transA:
        x = np.swapaxes(x, -1, -2)
    if transB:
        y = np.swapaxes(y, -1, -2)
    if x.shape[-1] != y.shape[-2] or (x.ndim == 3 and x.shape[0] != y.shape[0]):
        raise TorchError("matrix sizes do not match")
    store(output, x @ y)


def MM_updateGradInput(
    a: Tensor,
    b: Tensor,
    gradOutput: Tensor,
    gradA: Tensor,
    gradB: Tensor,
    transA: bool,
    transB: bool,
) -> None:
    x, y, g = a.arr, b.arr, gradOutput.arr

    def t(m: np.ndarray) -> np.ndarray:
        return np.swapaxes(m, -1, -2)

    xa = t(x) if transA else x
    yb = t(y) if transB else y
    ga = g @ t(yb)
    gb = t(xa) @ g
    store(gradA, t(ga) if transA else ga)
    store(gradB, t(gb) if transB else gb)


# ------------------------------------------------------------------------------ SparseLinear
# THNN's sparse Linear: inputs are (batch, column, value) triples (nnz x 3, sorted by batch
# for the forward, by column for the gradient) or, in the legacy form, batch x nnz x (column,
# value). Each entry moves a whole weight column with a BLAS axpy; OpenBLAS runs strided
# axpys as ``y + alpha * x`` (product rounded, then the sum), which is what is done here, the
# entries touching one row or column added in their order.
def _add_in_turn(acc: np.ndarray, targets: np.ndarray, terms: np.ndarray) -> None:
    """acc[targets[k]] += terms[k] for k in order, in acc's type (ufunc.at is unbuffered: each
    target sees its entries one after another, in input order)."""
    if targets.size:
        np.add.at(acc, targets, terms)


def _columns(cols: np.ndarray, inDim: int, what: str) -> np.ndarray:
    """0-based columns, checked as THNN checks them."""
    bad = (cols < 0) | (cols >= inDim)
    if bad.any():
        raise TorchError(
            f"index out of bound. {what}: {int(cols[bad][0]) + 1} not between 1 and {inDim}"
        )
    return cols


def _sparse_forward(
    rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, weight: Tensor, bias: Tensor, B: int
) -> np.ndarray:
    w = weight.arr
    keep = vals != 0
    rows, cols, vals = rows[keep], _columns(cols[keep], w.shape[1], "updateOutput"), vals[keep]
    out = np.zeros((B, w.shape[0]), dtype=w.dtype)
    if w.shape[1] == 1:  # unit-stride columns: OpenBLAS's own axpy kernel
        for h, c, v in zip(rows.tolist(), cols.tolist(), vals.tolist(), strict=True):
            blas.axpy(out[h], v, w[:, c])
    else:
        _add_in_turn(out, rows, vals[:, None] * w[:, cols].T)
    # each row: bias + row (THTensor_(cadd) with value 1)
    return bias.arr + out


def SparseLinear_updateOutput(input: Tensor, output: Tensor, weight: Tensor, bias: Tensor) -> None:
    x = input.arr
    if x.ndim != 2 or x.shape[1] != 3:
        raise TorchError("bad argument #2 to 'v' (input must be in coo format, nnz x 3)")
    B = output.size[0]
    rows = x[:, 0].astype(np.int64) - 1
    y = _sparse_forward(rows, x[:, 1].astype(np.int64) - 1, x[:, 2], weight, bias, B)
    np.copyto(output.arr, y, casting="unsafe")


def SparseLinear_legacyUpdateOutput(
    input: Tensor, output: Tensor, weight: Tensor, bias: Tensor
) -> None:
    x = input.arr
    if x.ndim != 3 or x.shape[2] != 2:
        raise TorchError("bad argument #2 to 'v' (input size must be batchsize x nnz x 2)")
    B, nnz = x.shape[:2]
    rows = np.repeat(np.arange(B), nnz)
    y = _sparse_forward(
        rows, x[..., 0].reshape(-1).astype(np.int64) - 1, x[..., 1].reshape(-1), weight, bias, B
    )
    output.resize((B, weight.size[0]))
    np.copyto(output.arr, y, casting="unsafe")


def _sparse_grad(
    rows: np.ndarray,
    cols: np.ndarray,
    vals: np.ndarray,
    g: np.ndarray,
    gradWeight: Tensor,
    what: str,
) -> None:
    """gradWeight[:, col] += val * gradOutput[row], entry after entry."""
    gw = gradWeight.arr
    cols = _columns(cols, gw.shape[1], what)
    if gw.shape[1] == 1:
        for h, c, v in zip(rows.tolist(), cols.tolist(), vals.tolist(), strict=True):
            col = gw[:, c].copy()
            blas.axpy(col, v, g[h])
            gw[:, c] = col
        return
    acc = np.ascontiguousarray(gw.T)
    _add_in_turn(acc, cols, vals[:, None] * g[rows])
    gw[...] = acc.T


def SparseLinear_accGradParameters(
    input: Tensor,
    gradOutput: Tensor,
    gradWeight: Tensor,
    gradBias: Tensor,
    weight: Tensor,
    bias: Tensor,
    weightDecay: float,
    scale: float,
) -> None:
    x = input.arr
    if x.ndim != 2 or x.shape[1] != 3:
        raise TorchError("bad argument #2 to 'v' (input must be in coo format, nnz x 3)")
    g = gradOutput.arr
    real = g.dtype.type
    vals = real(scale) * x[:, 2]
    _sparse_grad(
        x[:, 0].astype(np.int64) - 1,
        x[:, 1].astype(np.int64) - 1,
        vals,
        g,
        gradWeight,
        "accGradParameters",
    )
    # gradBias += scale * (gradOutput summed over the batch, THTensor_(sum) along dim 1)
    buf = accreal.sum_dim(g, 0, g.ndim == 1 or g.strides[0] == g.itemsize)
    if buf.size != gradBias.nelement():
        # (a 1D gradOutput given twice: nn's SparseLinear resized it to 1 x n the first time)
        kept = "[" + " x ".join(["1"] + [str(v) for v in g.shape[1:]]) + "]"
        n = gradBias.nelement()
        raise TorchError(
            f"inconsistent tensor size, expected r_ {sz(gradBias)}, t {sz(gradBias)} and src "
            f"{kept} to have the same number of elements, but got {n}, {n} and {buf.size} "
            "elements respectively"
        )
    blas.axpy(gradBias.arr, float(real(scale)), buf)
    if weightDecay != 0:
        blas.axpy(gradWeight.arr, float(real(weightDecay)), weight.arr)


def SparseLinear_legacyAccGradParameters(
    input: Tensor,
    gradOutput: Tensor,
    gradWeight: Tensor,
    gradBias: Tensor,
    weight: Tensor,
    bias: Tensor,
    weightDecay: float,
    scale: float,
) -> None:
    x = input.arr
    if x.ndim != 3 or x.shape[2] != 2:
        raise TorchError("bad argument #2 to 'v' (input size must be batchsize x nnz x 2)")
    B, nnz = x.shape[:2]
    gradOutput.resize((B, weight.size[0]))
    g = gradOutput.arr
    real = g.dtype.type
    # entry i of every batch item, then entry i + 1 (THNN's loop order); zero values skipped
    vals = (real(scale) * x[..., 1]).T.reshape(-1)
    cols = x[..., 0].T.reshape(-1).astype(np.int64) - 1
    rows = np.tile(np.arange(B), nnz)
    keep = vals != 0
    _sparse_grad(rows[keep], cols[keep], vals[keep], g, gradWeight, "accGradParameters")
    for h in range(B):
        blas.axpy(gradBias.arr, float(real(scale)), g[h])
    if weightDecay != 0:
        blas.axpy(gradWeight.arr, float(real(weightDecay)), weight.arr)


def _touched_columns(cols: np.ndarray, vals: np.ndarray, inDim: int, what: str) -> np.ndarray:
    return np.unique(_columns(cols[vals != 0], inDim, what))


def _sparse_update(
    weight: Tensor, bias: Tensor, gradWeight: Tensor, gradBias: Tensor, cols: np.ndarray, lr: float
) -> None:
    w, gw = weight.arr, gradWeight.arr
    real = w.dtype.type
    blas.axpy(bias.arr, float(-real(lr)), gradBias.arr)
    if w.shape[1] == 1:
        for c in cols.tolist():
            col = w[:, c].copy()
            blas.axpy(col, float(-real(lr)), gw[:, c])
            w[:, c] = col
        return
    w[:, cols] = w[:, cols] + (-real(lr)) * gw[:, cols]


def SparseLinear_updateParameters(
    weight: Tensor,
    bias: Tensor,
    gradWeight: Tensor,
    gradBias: Tensor,
    lastInput: Tensor,
    learningRate: float,
) -> None:
    x = lastInput.arr
    cols = _touched_columns(
        x[:, 1].astype(np.int64) - 1, x[:, 2], weight.size[1], "updateParameters"
    )
    if cols.size == 0:  # THNN returns before the bias too
        return
    _sparse_update(weight, bias, gradWeight, gradBias, cols, learningRate)


def SparseLinear_legacyUpdateParameters(
    weight: Tensor,
    bias: Tensor,
    gradWeight: Tensor,
    gradBias: Tensor,
    lastInput: Tensor,
    learningRate: float,
) -> None:
    x = lastInput.arr
    cols = _touched_columns(
        x[..., 0].reshape(-1).astype(np.int64) - 1,
        x[..., 1].reshape(-1),
        weight.size[1],
        "updateParameters",
    )
    _sparse_update(weight, bias, gradWeight, gradBias, cols, learningRate)


def SparseLinear_zeroGradParameters(
    gradWeight: Tensor, gradBias: Tensor, lastInput: Tensor
) -> None:
    x = lastInput.arr
    gradBias.arr[...] = 0
    cols = _touched_columns(
        x[:, 1].astype(np.int64) - 1, x[:, 2], gradWeight.size[1], "zeroGradParameters"
    )
    gradWeight.arr[:, cols] = 0


def SparseLinear_legacyZeroGradParameters(
    gradWeight: Tensor, gradBias: Tensor, lastInput: Tensor
) -> None:
    x = lastInput.arr
    gradBias.arr[...] = 0
    cols = _touched_columns(
        x[..., 0].reshape(-1).astype(np.int64) - 1,
        x[..., 1].reshape(-1),
        gradWeight.size[1],
        "zeroGradParameters",
    )
    gradWeight.arr[:, cols] = 0

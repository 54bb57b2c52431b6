"""Transfer functions beyond Tanh/Sigmoid/Threshold, forward and backward side by side.

Element-wise kernels follow THNN's formulas (same comparisons at the kinks, same operation order
where it changes rounding). In-place variants modify the input (forward) or gradOutput (backward)
and make the output a view of it, as THNN does. SoftMax-like kernels normalise over THNN's
feature dimension: 1-D -> dim 0, 2-D -> dim 1, 3-D -> dim 0, 4-D -> dim 1; they accumulate in
double precision (THNN's accreal) and sum in sequence.
"""

from __future__ import annotations

import numpy as np

from ..tensor import accreal, libm
from ..tensor.core import Tensor, TorchError
from ..tensor.math import _sigmoid as _th_sigmoid
from ..tensor.math import th_pow
from ..tensor.random import default_generator
from ._util import check_shape, resize_as, sz


def _put(out: Tensor, like: Tensor, value: np.ndarray) -> None:
    np.copyto(resize_as(out, like), value, casting="unsafe")


def _alias(out: Tensor, src: Tensor) -> None:
    """THTensor_(set)(out, src): out becomes a view of src's storage."""
    out.set(src.storage, src.offset, src.size, src.stride)


def _check_cmul(like: Tensor, gradOutput: Tensor) -> np.ndarray:
    """gradOutput shaped as ``like`` for the modules Torch7 writes in Lua with
    ``gradInput:cmul(...)`` (Exp, Log, Power): TH's cmul message when the counts differ."""
    n, m = like.nelement(), gradOutput.nelement()
    if n != m:
        raise TorchError(
            f"inconsistent tensor size, expected r_ {sz(like)}, t {sz(like)} and src "
            f"{sz(gradOutput)} to have the same number of elements, but got {n}, {n} and "
            f"{m} elements respectively"
        )
    g = gradOutput.arr
    return g if g.shape == like.size else g.reshape(like.size)


def _check_nelement(input: Tensor, gradOutput: Tensor) -> np.ndarray:
    if input.nelement() != gradOutput.nelement():
        raise TorchError(
            f"input and gradOutput have different number of elements: input"
            f"{sz(input)} has {input.nelement()} elements, while gradOutput"
            f"{sz(gradOutput)} has {gradOutput.nelement()} elements"
        )
    g = gradOutput.arr
    return g if g.shape == input.size else g.reshape(input.size)


def _real(t: Tensor, v: float) -> float:
    """A number as THNN's `real` argument sees it (rounded to float for FloatTensors)."""
    return float(t.arr.dtype.type(v))


# ------------------------------------------------------------------------------ HardTanh
def HardTanh_updateOutput(
    input: Tensor, output: Tensor, min_val: float, max_val: float, inplace: bool
) -> None:
    x = input.arr
    if inplace:
        np.clip(x, min_val, max_val, out=x)
        _alias(output, input)
        return
    _put(output, input, np.clip(x, min_val, max_val))


def HardTanh_updateGradInput(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    min_val: float,
    max_val: float,
    inplace: bool,
) -> None:
    g = _check_nelement(input, gradOutput)
    x = input.arr
    dead = (x <= min_val) | (x >= max_val)
    if inplace:
        g[dead] = 0
        _alias(gradInput, gradOutput)
        return
    _put(gradInput, input, np.where(dead, 0, g))


# ------------------------------------------------------------------------------ ELU
def ELU_updateOutput(input: Tensor, output: Tensor, alpha: float, inplace: bool) -> None:
    x = input.arr
    # THNN: (exp(x) - 1) * alpha with the C library's double exp, not expm1
    a = float(x.dtype.type(alpha))
    value = np.where(x <= 0, (libm.call("exp", np.minimum(x, 0)) - 1) * a, x)
    if inplace:
        np.copyto(x, value, casting="unsafe")
        _alias(output, input)
        return
    _put(output, input, value)


def ELU_updateGradInput(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    output: Tensor,
    alpha: float,
    inplace: bool,
) -> None:
    g = _check_nelement(output, gradOutput)
    y = output.arr
    value = np.where(y <= 0, g * (y + alpha), g)
    if inplace:
        np.copyto(g, value, casting="unsafe")
        _alias(gradInput, gradOutput)
        return
    _put(gradInput, output, value)


# ------------------------------------------------------------------------------ LeakyReLU
def LeakyReLU_updateOutput(input: Tensor, output: Tensor, negval: float, inplace: bool) -> None:
    x = input.arr
    if inplace:
        x[x <= 0] *= negval
        _alias(output, input)
        return
    _put(output, input, np.where(x > 0, x, x * negval))


def LeakyReLU_updateGradInput(
    input: Tensor, gradOutput: Tensor, gradInput: Tensor, negval: float, inplace: bool
) -> None:
    g = _check_nelement(input, gradOutput)
    x = input.arr
    if inplace:
        g[x <= 0] *= negval
        _alias(gradInput, gradOutput)
        return
    _put(gradInput, input, np.where(x > 0, g, g * negval))


# ------------------------------------------------------------------------------ RReLU
def _planes(input: Tensor) -> tuple[int, int, int]:
    """(batch size, planes, plane size) as THNN's channel-wise RReLU sees the input."""
    nd = input.dim()
    s = input.size
    if nd == 1:
        return 1, s[0], 1
    if nd == 2:
        return s[0], s[1], 1
    if nd == 3:
        return 1, s[0], s[1] * s[2]
    if nd == 4:
        return s[0], s[1], s[2] * s[3]
    raise TorchError("RReLU: 1D, 2D, 3D or 4D input expected")


def RReLU_updateOutput(
    input: Tensor,
    output: Tensor,
    noise: Tensor,
    lower: float,
    upper: float,
    train: bool,
    inplace: bool,
    channelwise: bool = False,
) -> None:
    x = input.arr
    lower, upper = _real(input, lower), _real(input, upper)
    if channelwise and train:
        bs, planes, ks = _planes(input)
        r = default_generator.uniform_array(planes, lower, upper).astype(x.dtype)
        shaped = x.reshape(bs, planes, ks)
        slope = np.where(shaped <= 0, r[None, :, None], 1).astype(x.dtype)
        if inplace:
            np.copyto(resize_as(noise, input), slope.reshape(input.size), casting="unsafe")
            np.copyto(x, (shaped * slope).reshape(input.size), casting="unsafe")
            _alias(output, input)
        else:
            _put(output, input, np.where(shaped > 0, shaped, shaped * slope).reshape(input.size))
            noise.resize((planes,))
            np.copyto(noise.arr, r, casting="unsafe")
        return
    if train:
        neg = x <= 0
        # one uniform draw per non-positive element, in the tensor's element order (as TH's apply)
        r = default_generator.uniform_array(int(neg.sum()), lower, upper).astype(x.dtype)
        n = resize_as(noise, input)
        n[...] = 1
        n[neg] = r
        if inplace:
            x[neg] *= r
            _alias(output, input)
        else:
            _put(output, input, x * n)
        return
    neg_slope = _real(input, (lower + upper) / 2)
    if inplace:
        x[x <= 0] *= neg_slope
        _alias(output, input)
        return
    _put(output, input, np.where(x <= 0, x * neg_slope, x))


def RReLU_updateGradInput(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    noise: Tensor,
    lower: float,
    upper: float,
    train: bool,
    inplace: bool,
    channelwise: bool = False,
) -> None:
    g = _check_nelement(input, gradOutput)
    x = input.arr
    lower, upper = _real(input, lower), _real(input, upper)
    if train and upper - lower > 1e-6:
        if channelwise and not inplace:
            bs, planes, ks = _planes(input)
            r = noise.arr.reshape(1, planes, 1)
            shaped = x.reshape(bs, planes, ks)
            gs = g.reshape(bs, planes, ks)
            _put(gradInput, input, np.where(shaped > 0, gs, gs * r).reshape(input.size))
            return
        n = noise.arr.reshape(input.size)
        if inplace:
            g *= n
            _alias(gradInput, gradOutput)
        else:
            _put(gradInput, input, g * n)
        return
    neg_slope = _real(input, (lower + upper) / 2)
    if inplace:
        g[x <= 0] *= neg_slope
        _alias(gradInput, gradOutput)
        return
    _put(gradInput, input, np.where(x <= 0, g * neg_slope, g))


# ------------------------------------------------------------------------------ PReLU
def _prelu_view(input: Tensor, nOutputPlane: int) -> tuple[int, int, int]:
    nd = input.dim()
    planes = input.size[1 if nd > 1 else 0] if nd else 0
    if planes != nOutputPlane:
        raise TorchError(f"Wrong number of input planes. Expected {nOutputPlane} but got {planes}.")
    bs = input.size[0] if nd > 1 else 1
    ks = 1
    for s in input.size[2:]:
        ks *= s
    return bs, planes, ks


def PReLU_updateOutput(input: Tensor, output: Tensor, weight: Tensor, nOutputPlane: int) -> None:
    x = input.arr
    if nOutputPlane == 0:
        w = weight.arr.reshape(-1)[0]
        _put(output, input, np.where(x > 0, x, w * x))
        return
    bs, planes, ks = _prelu_view(input, nOutputPlane)
    xs = x.reshape(bs, planes, ks)
    w = weight.arr.reshape(1, planes, 1)
    _put(output, input, np.where(xs > 0, xs, w * xs).reshape(input.size))


def PReLU_updateGradInput(
    input: Tensor, gradOutput: Tensor, gradInput: Tensor, weight: Tensor, nOutputPlane: int
) -> None:
    g = _check_nelement(input, gradOutput)
    x = input.arr
    if nOutputPlane == 0:
        w = weight.arr.reshape(-1)[0]
        _put(gradInput, input, np.where(x > 0, g, w * g))
        return
    bs, planes, ks = _prelu_view(input, nOutputPlane)
    xs = x.reshape(bs, planes, ks)
    gs = g.reshape(bs, planes, ks)
    w = weight.arr.reshape(1, planes, 1)
    _put(gradInput, input, np.where(xs > 0, gs, gs * w).reshape(input.size))


def PReLU_accGradParameters(
    input: Tensor, gradOutput: Tensor, gradWeight: Tensor, nOutputPlane: int, scale: float
) -> None:
    # THNN adds x * g (x <= 0) in sequence into a `real` sum, per plane of each batch item,
    # and adds scale * sum into gradWeight item after item
    g = _check_nelement(input, gradOutput)
    x = input.arr
    gw = gradWeight.arr
    real = x.dtype.type
    prod = np.where(x <= 0, x * g, real(0))
    if nOutputPlane == 0:
        total = accreal.seq(prod, dtype=real)
        gw.reshape(-1)[0] += real(scale) * total
        return
    bs, planes, ks = _prelu_view(input, nOutputPlane)
    sums = accreal.seq(prod.reshape(bs, planes, ks), axis=2, dtype=real)
    steps = np.concatenate([gw.reshape(1, planes), real(scale) * sums])
    gw[...] = accreal.seq(steps, axis=0, dtype=real).reshape(gw.shape)


# ------------------------------------------------------------------------------ SoftPlus
def SoftPlus_updateOutput(input: Tensor, output: Tensor, beta: float, threshold: float) -> None:
    # THNN: x * beta > threshold ? x : log1p(exp(x * beta)) / beta, x * beta in real and the
    # C library's double exp and log1p
    x = input.arr
    real = x.dtype.type
    bx = x * real(beta)
    with np.errstate(over="ignore"):
        soft = libm.call("log1p", libm.call("exp", np.minimum(bx, real(threshold)))) / real(beta)
    _put(output, input, np.where(bx > real(threshold), x, soft))


def SoftPlus_updateGradInput(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    output: Tensor,
    beta: float,
    threshold: float,
) -> None:
    g = _check_nelement(output, gradOutput)
    real = output.arr.dtype.type
    by = output.arr * real(beta)
    # THNN: real z = exp(y * beta); g * (z - 1.) / z in double
    with np.errstate(over="ignore", invalid="ignore"):
        z = libm.call("exp", np.minimum(by, real(threshold))).astype(by.dtype).astype(np.float64)
        _put(gradInput, output, np.where(by > real(threshold), g, g * (z - 1.0) / z))


# ------------------------------------------------------------------------------ shrinkage
def HardShrink_updateOutput(input: Tensor, output: Tensor, lambd: float) -> None:
    x = input.arr
    _put(output, input, np.where((x > lambd) | (x < -lambd), x, 0))


def HardShrink_updateGradInput(
    input: Tensor, gradOutput: Tensor, gradInput: Tensor, lambd: float
) -> None:
    g = _check_nelement(input, gradOutput)
    x = input.arr
    _put(gradInput, input, np.where((x > lambd) | (x < -lambd), g, 0))


def SoftShrink_updateOutput(input: Tensor, output: Tensor, lambd: float) -> None:
    x = input.arr
    _put(output, input, np.where(x > lambd, x - lambd, np.where(x < -lambd, x + lambd, 0)))


def SoftShrink_updateGradInput(
    input: Tensor, gradOutput: Tensor, gradInput: Tensor, lambd: float
) -> None:
    g = _check_nelement(input, gradOutput)
    x = input.arr
    _put(gradInput, input, np.where((x > lambd) | (x < -lambd), g, 0))


def TanhShrink_updateOutput(input: Tensor, output: Tensor) -> None:
    # nn.TanhShrink: input - Tanh's output (tanhf / tanh)
    x = input.arr
    _put(output, input, x - libm.th("tanh", x))


def TanhShrink_updateGradInput(input: Tensor, gradOutput: Tensor, gradInput: Tensor) -> None:
    g = _check_nelement(input, gradOutput)
    x = input.arr
    t = libm.th("tanh", x)
    # Torch: gradOutput - Tanh's gradInput, gradOutput * (1. - t*t) in double stored as real
    dth = (g * (1.0 - (t * t).astype(np.float64))).astype(x.dtype)
    _put(gradInput, input, g - dth)


# ------------------------------------------------------------------------------ simple maths
def Abs_updateOutput(input: Tensor, output: Tensor) -> None:
    _put(output, input, np.abs(input.arr))


def Abs_updateGradInput(input: Tensor, gradOutput: Tensor, gradInput: Tensor) -> None:
    g = _check_nelement(input, gradOutput)
    _put(gradInput, input, np.where(input.arr < 0, -g, g))


def Square_updateOutput(input: Tensor, output: Tensor) -> None:
    x = input.arr
    _put(output, input, x * x)


def Square_updateGradInput(input: Tensor, gradOutput: Tensor, gradInput: Tensor) -> None:
    check_shape(input, gradOutput, "input", "gradOutput")
    g = gradOutput.arr
    _put(gradInput, input, 2.0 * g * input.arr)


def Sqrt_updateOutput(input: Tensor, output: Tensor, eps: float) -> None:
    with np.errstate(invalid="ignore"):
        _put(output, input, np.sqrt(input.arr + eps))


def Sqrt_updateGradInput(
    input: Tensor, gradOutput: Tensor, gradInput: Tensor, output: Tensor
) -> None:
    check_shape(output, gradOutput, "output", "gradOutput")
    g = gradOutput.arr
    y = output.arr
    with np.errstate(divide="ignore", invalid="ignore"):
        _put(gradInput, output, np.where(y == 0, 0, (0.5 * g) / y))


def Exp_updateOutput(input: Tensor, output: Tensor) -> None:
    # nn.Exp: output:exp(input), the C library's expf / exp
    _put(output, input, libm.th("exp", input.arr))


def Exp_updateGradInput(
    input: Tensor, gradOutput: Tensor, gradInput: Tensor, output: Tensor
) -> None:
    g = _check_cmul(output, gradOutput)
    _put(gradInput, output, g * output.arr)


def Log_updateOutput(input: Tensor, output: Tensor) -> None:
    # nn.Log: output:copy(input):log(), the C library's logf / log
    _put(output, input, libm.th("log", input.arr))


def Log_updateGradInput(input: Tensor, gradOutput: Tensor, gradInput: Tensor) -> None:
    g = _check_cmul(input, gradOutput)
    with np.errstate(divide="ignore"):
        # Torch: fill(1):cdiv(input):cmul(gradOutput)
        _put(gradInput, input, (1.0 / input.arr) * g)


def Power_updateOutput(input: Tensor, output: Tensor, pow: float) -> None:
    # nn.Power: output:copy(input):pow(p), THTensor_(pow) with its special exponents
    _put(output, input, th_pow(input.arr, pow))


def Power_updateGradInput(input: Tensor, gradOutput: Tensor, gradInput: Tensor, pow: float) -> None:
    # nn.Power: gradInput:copy(input):pow(p - 1):cmul(gradOutput):mul(p), in real
    g = _check_cmul(input, gradOutput)
    x = input.arr
    with np.errstate(all="ignore"):
        _put(gradInput, input, th_pow(x, pow - 1) * g * x.dtype.type(pow))


def SoftSign_updateOutput(input: Tensor, output: Tensor) -> None:
    x = input.arr
    _put(output, input, x / (np.abs(x) + 1))


def SoftSign_updateGradInput(input: Tensor, gradOutput: Tensor, gradInput: Tensor) -> None:
    g = _check_nelement(input, gradOutput)
    d = np.abs(input.arr) + 1
    _put(gradInput, input, g / (d * d))


def LogSigmoid_updateOutput(input: Tensor, output: Tensor, buffer: Tensor) -> None:
    # THNN: m = fmax(0, -x); z = exp(-m) + exp(-x - m) (stored as real in buffer);
    # output = -(m + log(z)), with the C library's double exp and log
    x = input.arr
    m = np.fmax(0, -x).astype(x.dtype)
    z = (libm.call("exp", -m) + libm.call("exp", -x - m)).astype(x.dtype)
    np.copyto(resize_as(buffer, input), z, casting="unsafe")
    _put(output, input, -(m + libm.call("log", z)))


def LogSigmoid_updateGradInput(
    input: Tensor, gradOutput: Tensor, gradInput: Tensor, buffer: Tensor
) -> None:
    g = _check_nelement(input, gradOutput)
    x = input.arr
    z = buffer.arr.reshape(x.shape)
    # THNN: -max_deriv - sign * ((z - 1.0) / z) in double, stored as real, then times
    # gradOutput (cmul in real)
    neg = x < 0
    with np.errstate(divide="ignore", invalid="ignore"):
        q = (z - 1.0) / z.astype(np.float64)
        d = np.where(neg, 1.0 - q, q + 0.0).astype(x.dtype)
    _put(gradInput, input, g * d)


# ------------------------------------------------------------------------------ SoftMax family
def _feature_axis(input: Tensor, forward: bool = True) -> int:
    nd = input.dim()
    if nd in (1, 3):
        return 0
    if nd in (2, 4):
        return 1
    if forward:
        # THArgCheck on the input, argument 2 of Torch7's FFI call (after THNN's state)
        raise TorchError("bad argument #2 to 'v' (1D, 2D, 3D or 4D tensor expected)")
    # the backward kernels check the output with THError (an empty one: no forward yet)
    raise TorchError("1D, 2D, 3D or 4D tensor expected")


def _seqsum(a: np.ndarray, axis: int) -> np.ndarray:
    """Sum along axis in element order in double (THNN's accreal loops), keeping the axis."""
    return np.expand_dims(accreal.seq(a, axis, np.float64), axis)


def _softmax(x: np.ndarray, ax: int) -> np.ndarray:
    """THNN SoftMax: z = exp(x - max) with the difference in real and the double exp, stored
    as real; the sum of the stored z in double; each z times 1/sum (double), stored as real."""
    z = libm.call("exp", x - x.max(axis=ax, keepdims=True)).astype(x.dtype)
    return (z * (1.0 / _seqsum(z, ax))).astype(x.dtype)


def SoftMax_updateOutput(input: Tensor, output: Tensor) -> None:
    _put(output, input, _softmax(input.arr, _feature_axis(input)))


def _softmax_grad(g: np.ndarray, y: np.ndarray, ax: int) -> np.ndarray:
    # THNN: sum of (accreal)g * y, then y * (g - sum) in double
    s = _seqsum(g.astype(np.float64) * y, ax)
    return y * (g - s)


def SoftMax_updateGradInput(
    input: Tensor, gradOutput: Tensor, gradInput: Tensor, output: Tensor
) -> None:
    check_shape(input, gradOutput, "input", "gradOutput")
    g = gradOutput.arr
    _put(gradInput, output, _softmax_grad(g, output.arr, _feature_axis(output, False)))


def LogSoftMax_updateOutput(input: Tensor, output: Tensor) -> None:
    # THNN: logsum = max + log(sum of exp(x - max)), the difference in real, exp and log the
    # double C functions, sums in double; output = x - logsum in double, stored as real
    ax = _feature_axis(input)
    x = input.arr
    m = x.max(axis=ax, keepdims=True)
    logsum = m + libm.call("log", _seqsum(libm.call("exp", x - m), ax))
    np.subtract(x, logsum, out=resize_as(output, input), casting="unsafe")


def LogSoftMax_updateGradInput(
    input: Tensor, gradOutput: Tensor, gradInput: Tensor, output: Tensor
) -> None:
    # THNN: gradOutput - exp(output) * sum(gradOutput), in double
    check_shape(input, gradOutput, "input", "gradOutput")
    g = gradOutput.arr
    ax = _feature_axis(output, False)
    s = _seqsum(g, ax)
    _put(gradInput, output, g - libm.call("exp", output.arr) * s)


def SoftMin_updateOutput(input: Tensor, output: Tensor) -> None:
    # nn.SoftMin: SoftMax of a negated copy of the input
    _put(output, input, _softmax(-input.arr, _feature_axis(input)))


def SoftMin_updateGradInput(
    input: Tensor, gradOutput: Tensor, gradInput: Tensor, output: Tensor
) -> None:
    # nn.SoftMin calls SoftMax's kernel, which checks input against gradOutput
    check_shape(input, gradOutput, "input", "gradOutput")
    g = gradOutput.arr
    y = output.arr
    # SoftMax's gradient stored as real, then gradInput:mul(-1)
    _put(gradInput, output, -(_softmax_grad(g, y, _feature_axis(output, False)).astype(y.dtype)))


# ------------------------------------------------------------------------------ GatedLinearUnit
def _halves(input: Tensor, dim: int) -> tuple[np.ndarray, np.ndarray]:
    x = input.arr
    n = input.size[dim]
    a, b = np.split(x, [n // 2], axis=dim)
    return a, b


def GatedLinearUnit_updateOutput(input: Tensor, output: Tensor, dim: int) -> None:
    """dim is 1-based; THNN: output = sigmoid(second half), then output *= first half."""
    a, b = _halves(input, dim - 1)
    value = _th_sigmoid(b) * a
    if output.size != value.shape:
        output.resize(value.shape)
    np.copyto(output.arr, value, casting="unsafe")


def GatedLinearUnit_updateGradInput(
    input: Tensor, gradOutput: Tensor, gradInput: Tensor, dim: int
) -> None:
    a, b = _halves(input, dim - 1)
    g = gradOutput.arr
    if g.shape != a.shape:
        raise TorchError(f"gradOutput should be of size {sz(input)} halved along dim {dim}")
    # THNN: first = sigmoid(b); second = (1. - first) * first in double, stored as real; then
    # first *= gradOutput, second *= gradOutput, second *= a (each product in real)
    s = _th_sigmoid(b)
    ds = ((1.0 - s.astype(np.float64)) * s).astype(s.dtype)
    out = resize_as(gradInput, input)
    ga, gb = np.split(out, [a.shape[dim - 1]], axis=dim - 1)
    np.copyto(ga, s * g, casting="unsafe")
    np.copyto(gb, ds * g * a, casting="unsafe")

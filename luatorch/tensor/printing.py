"""Torch7's text form of tensors and storages (``tostring`` / ``print``), byte for byte.

Pure Python + numpy. The rules follow real Torch7 (torch7 814ea4a, ``Tensor.lua``):

* The print format is chosen once, from *all* elements of the tensor converted to float64:

  - ``intMode``: every value equals its ceiling (NaN turns it off, +-inf keeps it on);
  - ``expMin`` / ``expMax``: ``floor(log10(v)) + 1`` of the smallest / largest absolute value,
    where a zero gives 1;
  - intMode: ``%11.4e`` if expMax > 9, else ``%{expMax+1}d``;
  - otherwise ``%11.4e`` (``%12.4e`` when an exponent exceeds 99 in size) if expMax - expMin > 4;
    else ``%7.4f`` of ``x / 10^(expMax-1)`` after a ``%g *`` line if expMax > 5 or expMax < 0;
    else ``%{7 if expMax == 0 else expMax + 6}.4f``;
  - any NaN: the width computation yields NaN and Torch falls back to plain ``%f`` (``nan``,
    ``1.000000``, ``inf``), with no column splitting.

* ``tostring`` ends with the closing ``]`` **and a newline**; ``print`` then adds one more newline,
  which is why a blank line follows every printed tensor.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

__all__ = ["format_storage", "format_tensor"]

_LINE_WIDTH = 80


class _Format:
    """The chosen print format: a %-format, an optional scale and the field width.

    ``width`` is None in NaN mode (Torch's width is NaN there: no column splitting).
    """

    __slots__ = ("fmt", "int_mode", "scale", "width")

    def __init__(self, fmt: str, width: int | None, scale: float | None, int_mode: bool) -> None:
        self.fmt = fmt
        self.width = width
        self.scale = scale
        self.int_mode = int_mode

    def values(self, arr: np.ndarray) -> list:
        """Python values ready for ``self.fmt`` (divided by the scale, ints in integer mode)."""
        if self.int_mode:
            return arr.astype(np.int64).tolist()
        if self.scale is not None:
            arr = arr / self.scale
        if self.fmt.endswith((".4f", ".4e")):
            arr = _ties_away(arr, self.fmt[-1])
        return arr.tolist()


def _ties_away(arr: np.ndarray, conv: str) -> np.ndarray:
    """Torch7 prints through LuaJIT 2.1.0-beta3's string.format, which rounds a value lying
    exactly half-way between two 4-digit outputs away from zero (0.03125 -> 0.0313) where C
    and Python round to even: such values are moved one ulp away from zero first."""
    flat = np.asarray(arr, dtype=np.float64)
    finite = np.isfinite(flat) & (flat != 0)
    if conv == "f":
        scaled = np.abs(flat) * 1e4
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            exp10 = np.floor(np.log10(np.abs(np.where(finite, flat, 1.0))))
            scaled = np.abs(flat) / 10.0 ** (exp10 - 4)
    near = finite & (np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)
    if not near.any():
        return arr
    out = flat.copy()
    for i in np.flatnonzero(near.reshape(-1)):
        v = float(flat.reshape(-1)[i])
        if _exact_tie(v, conv):
            out.reshape(-1)[i] = np.nextafter(v, math.copysign(math.inf, v))
    return out


def _exact_tie(v: float, conv: str) -> bool:
    """v's exact binary value ends half-way at the 5th decimal (f) or 6th significant (e)
    digit."""
    from decimal import Decimal  # here: 0.3 MB resident for the rare ties

    d = Decimal(v)
    sign, digits, exponent = d.as_tuple()
    while len(digits) > 1 and digits[-1] == 0:
        digits, exponent = digits[:-1], exponent + 1
    if digits[-1] != 5:
        return False
    if conv == "f":
        return exponent == -5
    return len(digits) == 6


def _exponent(v: float) -> float:
    """floor(log10(v)) + 1 for v >= 0, with 1 for zero (inf stays inf)."""
    if v == 0:
        return 1
    if math.isinf(v):
        return math.inf
    return math.floor(math.log10(v)) + 1


def _choose_format(flat: np.ndarray) -> _Format:
    """Torch7's format choice from every value of ``flat`` (1-D float64, non-empty)."""
    if np.isnan(flat).any():
        return _Format("%f", None, None, False)
    with np.errstate(invalid="ignore"):
        int_mode = bool(np.all(flat == np.ceil(flat)))
    mags = np.abs(flat)
    exp_min = _exponent(float(mags.min()))
    exp_max = _exponent(float(mags.max()))
    scale = None
    if int_mode:
        if exp_max > 9:
            fmt, width = "%11.4e", 11
        else:
            width = int(exp_max) + 1
            fmt = f"%{width}d"
    elif exp_max - exp_min > 4:
        width = 12 if abs(exp_max) > 99 or abs(exp_min) > 99 else 11
        fmt = f"%{width}.4e"
    elif exp_max > 5 or exp_max < 0:
        width = 7
        fmt = "%7.4f"
        scale = math.pow(10, exp_max - 1)
    else:
        width = 7 if exp_max == 0 else int(exp_max) + 6
        fmt = f"%{width}.4f"
    if scale == 1:
        scale = None
    return _Format(fmt, width, scale, int_mode and fmt.endswith("d"))


def _format_column(values: np.ndarray, form: _Format) -> list[str]:
    """1-D layout: optional scale line, then one value per line (each line ends with newline)."""
    parts = []
    if form.scale is not None:
        parts.append(f"{form.scale:g} *\n")
    vals = form.values(values)
    parts.append(((form.fmt + "\n") * len(vals)) % tuple(vals))
    return parts


def _format_matrix(mat: np.ndarray, form: _Format, indent: str, parts: list[str]) -> None:
    """Append Torch7's Tensor__printMatrix text of the 2-D ``mat`` to ``parts``."""
    ncols = mat.shape[1]
    scaled = form.scale is not None
    # NaN mode: Torch's width is NaN, so it never splits into column blocks.
    per_line = ncols if form.width is None else (_LINE_WIDTH - len(indent)) // (form.width + 1)
    split = per_line < ncols
    row_lead = indent + " " if scaled else indent
    parts.append(indent)
    first = 0
    while first < ncols:
        last = min(first + per_line, ncols)  # exclusive
        if split:
            if first != 0:
                parts.append("\n")
            # The indent goes after the header: later headers in a slice lose their indent.
            parts.append(f"Columns {first + 1} to {last}\n{indent}")
        if scaled:
            parts.append(f"{form.scale:g} *\n {indent}")
        row_fmt = " ".join([form.fmt] * (last - first)) + "\n"
        rows = [row_fmt % tuple(r) for r in form.values(mat[:, first:last])]
        parts.append(row_lead.join(rows))
        first = last


def _format_nd(arr: np.ndarray, form: _Format, parts: list[str]) -> None:
    """Slices ``(i,j,.,.) = `` of a >= 3-D tensor, first index varying fastest."""
    lead = arr.shape[:-2]
    for n, rev in enumerate(itertools.product(*(range(s) for s in reversed(lead)))):
        idx = rev[::-1]
        if n:
            parts.append("\n")
        parts.append("(" + "".join(f"{i + 1}," for i in idx) + ".,.) = \n")
        _format_matrix(arr[idx], form, " ", parts)


def format_tensor(arr: np.ndarray | None, type_name: str) -> str:
    """Torch7's ``tostring(tensor)``.

    ``arr`` holds the tensor's values with shape == the tensor's sizes (any strides, views are
    fine); None, a 0-d array or an array with no elements means a tensor with no dimension.
    ``type_name`` is e.g. ``'torch.DoubleTensor'``.

    The result ends with ``]`` followed by a newline, exactly like Torch7's ``__tostring__``
    (``io.write(tostring(t))`` in print.out shows the newline); ``print`` writes this text plus
    one more newline, hence the blank line after a printed tensor. Examples:
    ``' 1\\n 2\\n[torch.DoubleTensor of size 2]\\n'`` and
    ``'[torch.DoubleTensor with no dimension]\\n'``.
    """
    if arr is None or arr.ndim == 0 or arr.size == 0:
        return f"[{type_name} with no dimension]\n"
    values = np.asarray(arr, dtype=np.float64)
    form = _choose_format(values.reshape(-1))
    parts: list[str] = []
    if values.ndim == 1:
        parts.extend(_format_column(values, form))
    elif values.ndim == 2:
        _format_matrix(values, form, "", parts)
    else:
        _format_nd(values, form, parts)
    size = "x".join(str(s) for s in values.shape)
    parts.append(f"[{type_name} of size {size}]\n")
    return "".join(parts)


def format_storage(arr: np.ndarray, type_name: str) -> str:
    """Torch7's ``tostring(storage)`` for the 1-D values ``arr``.

    ``type_name`` is e.g. ``'torch.LongStorage'``. Like :func:`format_tensor` the text ends with
    ``]`` and a newline, e.g. ``' 2\\n 3\\n[torch.LongStorage of size 2]\\n'``; an empty storage
    gives ``'[torch.LongStorage of size 0]\\n'``.
    """
    values = np.asarray(arr, dtype=np.float64).reshape(-1)
    parts: list[str] = []
    if values.size:
        parts.extend(_format_column(values, _choose_format(values)))
    parts.append(f"[{type_name} of size {values.size}]\n")
    return "".join(parts)

"""nn kernels in THNN's shape: tensors and numbers in, outputs written in place.

Each family lives in its own module; every public function named ``<Module>_<method>`` is exported
to Lua as ``nn.THNN.<Module>_<method>``. This package knows nothing of Lua: it imports only
``tensor`` (its maths, BLAS calls and thread pool) and numpy, never lupa, the runtime, ``t7`` or
the packages.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..tensor.core import Storage, Tensor, TorchError
from ._names import THNN_NAMES


def kernels() -> dict[str, Callable[..., Any]]:
    """Every kernel of every family module in this package (modules starting with _ are helpers)."""
    out: dict[str, Callable[..., Any]] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"luatorch.thnn.{info.name}")
        for name in dir(mod):
            obj = getattr(mod, name)
            if "_" in name and name[0].isupper() and callable(obj):
                out[name] = obj
    return out


# a kernel's definition at the start of a line: ``def Name_method(`` or ``Name_method = ...``
_DEFINITION = re.compile(
    r"^(?:def\s+([A-Z]\w*_\w*)\s*\(|([A-Z]\w*_\w*)\s*(?::[^=\n]*)?=(?!=))", re.M
)


def index() -> dict[str, str]:
    """Every kernel's name and the family module defining it, read from the sources without
    importing them (the same names as :func:`kernels`: tests/runtime/test_memory.py checks)."""
    out: dict[str, str] = {}
    for path in sorted(Path(__path__[0]).glob("[!_]*.py")):
        for m in _DEFINITION.finditer(path.read_text(encoding="utf-8")):
            out.setdefault(m.group(1) or m.group(2), path.stem)
    return out


# Parameters that THNN types as the kernel's own tensor type (THTensor*, not THIndexTensor*):
# Torch7 picks the kernel by the input's type (``input.THNN``), and LuaJIT's FFI refuses a
# tensor of another type in any of these places
_REAL_PARAMS = frozenset(
    "output gradOutput gradInput weight bias gradWeight gradBias finput fgradInput columns "
    "ones running_mean running_var save_mean save_std weights total_weight".split()
)
# criterions whose target is a tensor of reals (the others take class indices)
_REAL_TARGETS = frozenset(
    "MSECriterion AbsCriterion SmoothL1Criterion SoftMarginCriterion DistKLDivCriterion "
    "MarginCriterion BCECriterion".split()
)
# kernels whose Torch7 modules assert ``input.THNN`` before anything else
_ASSERT_BACKEND = ("SpatialConvolutionMM_", "SpatialDepthWiseConvolution_")
# families whose input is not of the kernel's type (indices)
_UNTYPED = ("LookupTable_", "IndexLinear_")


def target_position(name: str, f: Callable[..., Any]) -> int:
    """Where a THNN criterion kernel takes its target (-1 when it has none): Torch7's Lua
    module indexes the target before the call, so a nil one fails there."""
    params = list(inspect.signature(f).parameters)
    if name not in THNN_NAMES or "Criterion_" not in name or "target" not in params:
        return -1
    return params.index("target")


def typed_positions(name: str, f: Callable[..., Any]) -> tuple[int, ...]:
    """Positions of f's parameters that must share the type of its first one, ``input``
    (empty when the kernel has no such rule)."""
    params = list(inspect.signature(f).parameters)
    if name not in THNN_NAMES or not params or params[0] != "input" or name.startswith(_UNTYPED):
        return ()
    real = _REAL_PARAMS | ({"target"} if name.split("_", 1)[0] in _REAL_TARGETS else set())
    return tuple(i for i, p in enumerate(params) if i > 0 and p in real)


# THNN's argument numbers of its kernel size, stride and dilation checks (THArgCheck, which
# Torch7 reports as "bad argument #N to 'v' (...)"), by kernel family; the dilation's words
# differ between families: separator, and "0" where the others say "zero"
_WINDOW_ARGS: dict[str, tuple[int | None, int, int | None, str]] = {
    "SpatialConvolutionMM_": (9, 11, None, ""),
    "SpatialConvolutionLocal_": (9, 11, None, ""),
    "SpatialDepthWiseConvolution_": (9, 11, None, ""),
    "SpatialDilatedConvolution_": (9, 11, 15, ", "),
    "SpatialFullConvolution_": (9, 11, 15, ", "),
    "SpatialAveragePooling_": (5, 8, None, ""),
    "SpatialMaxPooling_": (5, 8, 12, " "),
    "SpatialDilatedMaxPooling_": (5, 8, 12, " "),
    "TemporalConvolution_": (9, 11, None, ""),
    "TemporalMaxPooling_": (5, 6, None, ""),
    "TemporalSubSampling_": (6, 7, None, ""),
    "VolumetricAveragePooling_": (5, 8, None, ""),
    "VolumetricConvolutionMM_": (8, 11, None, ""),
    "VolumetricDilatedConvolution_": (8, 11, 15, ", "),
    "VolumetricFullConvolution_": (None, 11, 15, ", "),
    "VolumetricMaxPooling_": (5, 8, 14, " 0"),
    "VolumetricDilatedMaxPooling_": (5, 8, 14, " 0"),
}
_WINDOW_CHECK = re.compile(
    r"(kernel size|stride|dilation) should be greater than zero, but got (.*)"
)


def _window_error(name: str, msg: str) -> str | None:
    """A kernel size/stride/dilation check's message as Torch7 reports it for kernel name."""
    m = _WINDOW_CHECK.fullmatch(msg)
    if m is None:
        return None
    found = [v for prefix, v in _WINDOW_ARGS.items() if name.startswith(prefix)]
    if not found:
        return None
    k, d, dil, words = found[0]
    what, got = m.groups()
    arg = {"kernel size": k, "stride": d, "dilation": dil}[what]
    if arg is None:
        return None
    zero = "zero"
    if what == "dilation":
        values = re.findall(r"dilation\w: -?\d+", got)
        zero = "0" if words.endswith("0") else "zero"
        got = (", " if words.startswith(",") else " ").join(values)
    return f"bad argument #{arg} to 'v' ({what} should be greater than {zero}, but got {got})"


def _lua_type(v: Any) -> str:
    if v is None:
        return "nil"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, (str, bytes)):
        return "string"
    return "table"


def _indexing_error(local: str, v: Any, indexed: str) -> str:
    """Lua's error for Torch7's module code indexing a non-tensor argument: ``input.THNN``
    (``indexed`` "field 'THNN'") or ``gradOutput:cdata()`` ("method 'cdata'"). nil, numbers
    and booleans cannot be indexed; a table or string has no such key (a nil to index or
    call)."""
    kind = _lua_type(v)
    if kind in ("nil", "number", "boolean"):
        return f"attempt to index local '{local}' (a {kind} value)"
    verb = "call" if indexed.startswith("method") else "index"
    return f"attempt to {verb} {indexed} (a nil value)"


def tensor_position(name: str, f: Callable[..., Any]) -> tuple[int, str]:
    """Where a THNN kernel takes the tensor Torch7's module passes as ``local:cdata()`` right
    after the input (a criterion's ``target``, a module's ``gradOutput``), and that local's
    name; (-1, "") when there is none."""
    params = list(inspect.signature(f).parameters)
    if (
        name not in THNN_NAMES
        or len(params) < 2
        or params[0] != "input"
        or name.startswith(_UNTYPED)
    ):
        return -1, ""
    if "Criterion_" in name and params[1] == "target":
        return 1, "target"
    if params[1] == "gradOutput":
        return 1, "gradOutput"
    return -1, ""


def check_types(name: str, args: tuple[Any, ...], positions: tuple[int, ...]) -> None:
    """LuaJIT's FFI error for a tensor of another type than the input, as Torch7 raises it
    from THNN.lua's wrapper (argument 1 is THNN's state: the input is argument 2)."""
    first = args[0] if args else None
    if name.startswith(_ASSERT_BACKEND) and (
        first.__class__ is not Tensor or first.ttype not in ("Double", "Float")
    ):
        # these modules assert ``input.THNN`` first, naming torch.type(input)
        kind = _lua_type(first)
        if kind == "table" or kind == "string":
            what = first.typename if isinstance(first, (Tensor, Storage)) else kind
            raise TorchError(f"{what}.THNN backend not imported")
    if first.__class__ is not Tensor:
        if args:
            # Torch7's module indexes ``input.THNN`` in Lua before the call
            raise TorchError(_indexing_error("input", first, "field 'THNN'"))
        return
    want = first.ttype
    if want != "Double" and want != "Float":
        # Torch7 has THNN for these two types only: ``input.THNN`` is nil
        raise TorchError("attempt to index field 'THNN' (a nil value)")
    n = len(args)
    for i in positions:
        if i >= n:
            return
        a = args[i]
        if a.__class__ is Tensor and a.ttype != want:
            raise TorchError(
                f"bad argument #{i + 2} to 'v' (cannot convert 'struct TH{a.ttype}Tensor *' "
                f"to 'struct TH{want}Tensor *')"
            )


def exports(bindings: Any) -> dict[str, Callable[..., Any]]:
    """The kernels for Lua. A family module is imported on its first call: importing all
    of them costs 2 MB of resident memory, which a script using a few layers does not need."""
    wrap = bindings.wrap

    def exported(name: str, module: str) -> Callable[..., Any]:
        f: Callable[..., Any] | None = None
        positions: tuple[int, ...] = ()
        target = -1
        second, local = -1, ""
        input_first = False

        def call(*args: Any) -> Any:
            nonlocal f, positions, target, second, local, input_first
            if f is None:
                f = getattr(importlib.import_module(f"luatorch.thnn.{module}"), name)
                positions = typed_positions(name, f)
                target = target_position(name, f)
                second, local = tensor_position(name, f)
                input_first = second >= 0 or bool(positions)
                bindings.after_loading()
            if positions or input_first and (not args or args[0].__class__ is not Tensor):
                check_types(name, args, positions)
            if target >= 0 and (target >= len(args) or args[target] is None):
                raise TorchError("attempt to index local 'target' (a nil value)")
            if second >= 0:
                v = args[second] if second < len(args) else None
                if v.__class__ is not Tensor:
                    if isinstance(v, Storage) and args[0].__class__ is Tensor:
                        # a storage has cdata(): LuaJIT's FFI refuses its pointer
                        raise TorchError(
                            f"bad argument #{second + 2} to 'v' (cannot convert 'struct "
                            f"TH{v.ttype}Storage *' to 'struct TH{args[0].ttype}Tensor *')"
                        )
                    raise TorchError(_indexing_error(local, v, "method 'cdata'"))
            try:
                return wrap(f(*args))
            except TorchError as e:
                fixed = _window_error(name, str(e))
                if fixed is None:
                    raise
                raise TorchError(fixed) from None

        call.__name__ = name
        return call

    found = index()
    if not found:  # no sources to read (a build that ships bytecode only): import them all
        found = {name: f.__module__.rsplit(".", 1)[1] for name, f in kernels().items()}
    return {"THNN_" + name: exported(name, module) for name, module in found.items()}

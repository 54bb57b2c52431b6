"""Python exceptions as Lua error messages in Torch's words.

Every binding turns a ``TorchError`` into a Lua error with the exception's message. Anything
else that escapes a kernel (a numpy ``MemoryError``, ``int(nan)``'s ``ValueError``, an
``AttributeError`` because a string arrived where a tensor was expected) comes here, once, so
that a script never sees Python exception class names or traceback text.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

from ..tensor.core import TorchError

# numpy's RuntimeWarnings (a NaN cast to an integer, the mean of nothing) are Torch's silent C
# arithmetic: never a line with a numpy file path on a script's stderr
warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"(numpy|luatorch)(\.|$)")

# numpy's and Python's wording of an argument error, in Torch's (said of an argument when the
# function is known)
_PHRASES = (
    ("invalid literal for int()", "number expected, got string", True),
    ("could not convert string to float", "number expected, got string", True),
    ("negative dimensions are not allowed", "invalid size: negative dimension", True),
    ("maximum supported dimension", "too many dimensions", True),
    ("Could not convert object to sequence", "invalid arguments", True),
    ("setting an array element with a sequence", "number expected, got table", True),
    ("could not broadcast input array", "inconsistent tensor size", False),
    ("operands could not be broadcast", "inconsistent tensor size", False),
    ("cannot reshape array", "inconsistent tensor size", False),
)

# Python type names as Lua users know them
_LUA_TYPES = {
    "NoneType": "nil",
    "str": "string",
    "bytes": "string",
    "bool": "boolean",
    "int": "number",
    "float": "number",
    "_LuaTable": "table",
    "_LuaFunction": "function",
    "_LuaCoroutineFunction": "function",
    "_LuaThread": "thread",
    "_LuaObject": "userdata",
    "tuple": "values",
    "list": "table",
    "dict": "table",
    "Tensor": "tensor",
    "Storage": "storage",
    "ndarray": "tensor",
    "function": "function",
    "method": "function",
}
_QUOTED_TYPE = re.compile(r"'(?:[\w.]+\.)?(\w+)'")
_OBJECT = re.compile(r"'(?:[\w.]+\.)?(\w+)' object")
_NOT_TYPE = re.compile(r"must be (.*?), not '(?:[\w.]+\.)?(\w+)'")
_OPERANDS = re.compile(r"for (\S+): '(?:[\w.]+\.)?(\w+)' and '(?:[\w.]+\.)?(\w+)'")
_AS_INTEGER = re.compile(r"'(?:[\w.]+\.)?(\w+)' object cannot be interpreted as an integer")
_CLASS_PREFIX = re.compile(r"\b[A-Z]\w*(Error|Exception|Warning|Interrupt|Exit):\s*")
_TIB = re.compile(r"Unable to allocate ([\d.]+) ([KMGTPE]?i?B)")
_UNITS = {"B": 0, "KiB": 1, "MiB": 2, "GiB": 3, "TiB": 4, "PiB": 5, "EiB": 6}
_TENSOR_ATTRS = {
    "dim",
    "size",
    "stride",
    "arr",
    "storage",
    "ttype",
    "nelement",
    "offset",
    "code",
    "is_contiguous",
    "resize",
    "data",
    "narrow",
    "select",
    "clone",
    "contiguous",
    "set",
    "typename",
    "transpose",
    "view_of",
    "check_dim",
}


def lua_type_name(pytype: str) -> str:
    """The Lua name of a Python type name ('NoneType' -> 'nil', 'str' -> 'string')."""
    return _LUA_TYPES.get(pytype, pytype)


# numpy's and Python's vocabulary: a message using it says nothing to a Lua user
_PYTHONIC = re.compile(
    r"numpy|ufunc|kwarg|ndarray|dtype|\.py\b|lupa|callable|positional|"
    r"keyword|attribute|iterable|subscriptable|__\w+__"
)


def _lua_words(text: str) -> str:
    """Python type names in a message replaced by Lua's, class-name prefixes dropped; empty
    when the message is about Python's machinery rather than the user's arguments."""
    if _PYTHONIC.search(text):
        return ""
    text = _CLASS_PREFIX.sub("", text)
    text = _OBJECT.sub(lambda m: lua_type_name(m.group(1)), text)
    return _QUOTED_TYPE.sub(lambda m: lua_type_name(m.group(1)), text)


def not_enough_memory(nbytes: float) -> str:
    """THAlloc's message."""
    return (
        f"$ Torch: not enough memory: you tried to allocate {int(nbytes // 2**30)}GB. Buy new RAM!"
    )


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    if "Traceback" in text or 'File "' in text:
        text = text.split("Traceback")[0].split('File "')[0].strip()
    return text.splitlines()[0] if text else ""


def errmsg(e: Any, name: str | None = None) -> str:
    """The Lua error message for ``e``; ``name`` is the Lua function that was called."""
    try:
        return _translate(e, name if isinstance(name, str) else None)
    except Exception:  # noqa: BLE001 - reporting an error must never fail
        return f"bad argument to '{name}'" if isinstance(name, str) else "invalid arguments"


def _translate(e: Any, name: str | None) -> str:
    if isinstance(e, TorchError):
        return str(e)
    if isinstance(e, KeyboardInterrupt):
        return "interrupted!"
    if not isinstance(e, BaseException):
        return str(e)
    fname = f" to '{name}'" if name else ""
    text = _first_line(e)
    for phrase, words, of_argument in _PHRASES:
        if phrase in text:
            return f"bad argument{fname} ({words})" if name and of_argument else words
    if isinstance(e, ValueError) and "is too big" in text or "Maximum allowed" in text:
        return "$ Torch: not enough memory: you tried to allocate more than the address space"
    if "buffer" in text and ("strides is incompatible" in text or "too small" in text):
        # a view whose storage was shrunk under it (Torch would read freed memory here)
        return "Storage size and offset/sizes/strides are inconsistent"
    if isinstance(e, MemoryError):
        m = _TIB.search(text)
        nbytes = float(m.group(1)) * 1024 ** _UNITS.get(m.group(2), 0) if m else 0
        return not_enough_memory(nbytes) if m else "$ Torch: not enough memory"
    if isinstance(e, RecursionError):
        return "stack overflow"
    if isinstance(e, ZeroDivisionError):
        return f"bad argument{fname} (division by zero)"
    if isinstance(e, UnicodeError):
        return f"bad argument{fname} (string is not valid UTF-8 text)"
    if isinstance(e, (ValueError, OverflowError)) and ("NaN" in text or "infinity" in text):
        return f"bad argument{fname} (number has no integer representation)"
    if isinstance(e, OverflowError) or "too large to convert" in text or "out of bounds" in text:
        return f"bad argument{fname} (number out of range)"
    if isinstance(e, AttributeError):
        m = re.search(r"'(\w+)' object has no attribute '(\w+)'", text)
        if m:
            got = lua_type_name(m.group(1))
            wanted = "tensor" if m.group(2) in _TENSOR_ATTRS else "valid object"
            return f"bad argument{fname} ({wanted} expected, got {got})"
        return f"bad argument{fname} (invalid arguments)"
    if isinstance(e, (IndexError, KeyError)):
        if "tuple index" in text or "list index" in text:
            return f"invalid arguments{fname} (missing argument)"
        return f"bad argument{fname} (index out of range)"
    if isinstance(e, TypeError):
        m = _NOT_TYPE.search(text)
        if m:
            wanted = (
                "number"
                if "number" in m.group(1) or "int" in m.group(1)
                else "string"
                if "str" in m.group(1)
                else "valid argument"
            )
            return f"bad argument{fname} ({wanted} expected, got {lua_type_name(m.group(2))})"
        m = _AS_INTEGER.search(text)
        if m and m.group(1) == "float":
            return f"bad argument{fname} (number has no integer representation)"
        if m:
            return f"bad argument{fname} (number expected, got {lua_type_name(m.group(1))})"
        m = _OPERANDS.search(text)
        if m:
            a, b = lua_type_name(m.group(2)), lua_type_name(m.group(3))
            return f"invalid arguments{fname} (cannot apply {m.group(1)} to {a} and {b})"
        detail = _lua_words(text)
        return f"invalid arguments{fname} ({detail})" if detail else f"invalid arguments{fname}"
    detail = _lua_words(text) or "invalid arguments"
    return f"{name}: {detail}" if name else detail

"""The runtime: one embedded LuaJIT state with torch loaded, as ``th`` starts it.

``state.py`` creates the state (``Runtime``), routes output and runs code under xpcall;
``paths.py`` sets the package path; ``errors.py`` words Python exceptions as Torch's Lua
errors; ``bindings/`` is the Lua<->Python bridge, split by concern. This
package may import everything below it (``tensor``, ``thnn``, ``t7``, ``packages``); only the
entry points (``cli``, ``repl``, ``kernel``, ``pytest_plugin``) and the packages that start
worker runtimes (threads) import it, and nothing in ``tensor`` or ``thnn`` ever does.
"""

from .paths import (
    CUDA_EMULATION_DIR,
    CUDA_EMULATION_ENV,
    LUA_DIR,
    cuda_emulation_requested,
    search_paths,
)
from .state import EXTENSIONS, LuaError, Runtime

__all__ = [
    "CUDA_EMULATION_DIR",
    "CUDA_EMULATION_ENV",
    "EXTENSIONS",
    "LUA_DIR",
    "LuaError",
    "Runtime",
    "cuda_emulation_requested",
    "search_paths",
]

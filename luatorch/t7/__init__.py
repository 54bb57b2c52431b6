"""Torch7's ``.t7`` format, one home for both of its users.

``file.py`` holds the File primitives (what THDiskFile.c and THMemoryFile.c do: numbers, strings
and storages in the binary and ascii formats, bounded reads), ``tensor_io.py`` storage bodies and
tensor headers, ``lua_file.py`` the functions the Lua File API (``lua/torch/File.lua``:
``torch.save``/``load``, ``DiskFile``, ``MemoryFile``) calls;
``python_api.py`` reads and writes whole object graphs from Python without Lua (``load``,
``save``, ``loads``, ``dumps``, re-exported here). This package imports only ``tensor`` and
numpy: never lupa, the runtime or the bindings.
"""

from .python_api import MAX_DEPTH, LuaFunction, T7Error, TorchObject, dumps, load, loads, save

__all__ = ["MAX_DEPTH", "LuaFunction", "T7Error", "TorchObject", "dumps", "load", "loads", "save"]

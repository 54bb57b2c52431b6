"""luatorch: Torch7 (Lua, nn) running on LuaJIT inside Python, with numpy numerics."""

__version__ = "0.1.0"

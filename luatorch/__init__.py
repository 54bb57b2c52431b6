"""luatorch: Torch7 (Lua, nn) running on LuaJIT inside Python, with numpy numerics."""

__version__ = "0.1.0"


def __getattr__(name: str):
    # luatorch.from_numpy / luatorch.to_numpy without importing lupa at package import
    if name in ("from_numpy", "to_numpy"):
        from .runtime import bindings

        return getattr(bindings, name)
    raise AttributeError(f"module 'luatorch' has no attribute {name!r}")

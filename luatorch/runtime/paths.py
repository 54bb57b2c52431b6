"""Where Lua finds packages: luatorch's own ``lua/`` first, then the places ``th`` searched
(LUA_PATH/LUA_CPATH honoured), and the CPU emulation of cutorch/cunn/cudnn when asked for."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

LUA_DIR = Path(__file__).resolve().parent.parent / "lua"
# cutorch, cunn and cudnn running on the CPU: on the search path only when emulation is asked for
CUDA_EMULATION_DIR = LUA_DIR / "cuda_emulation"
CUDA_EMULATION_ENV = "LUATORCH_EMULATE_CUDA"


def cuda_emulation_requested(environ: Mapping[str, str] | None = None) -> bool:
    """True when the environment asks for the CPU emulation of cutorch/cunn/cudnn."""
    value = (os.environ if environ is None else environ).get(CUDA_EMULATION_ENV, "")
    return value.strip().lower() not in ("", "0", "false", "no", "off")


def _expand(spec: str | None, default: list[str]) -> list[str]:
    """A LUA_PATH-style value as LuaJIT reads it: ``;;`` stands for the default path."""
    if spec is None:
        return default
    spec = spec.replace(";;", ";\x01;")
    out: list[str] = []
    for entry in spec.split(";"):
        if entry == "\x01":
            out += default
        elif entry:
            out.append(entry)
    return out


def search_paths(
    script_dir: str | None = None,
    emulate_cuda: bool = False,
    environ: Mapping[str, str] | None = None,
) -> tuple[str, str]:
    """package.path and package.cpath: our packages first, then the user's places.

    Our own Lua packages always come first, so a LUA_PATH pointing into a real Torch
    installation (torch-activate sets one) cannot shadow torch or nn. After them comes LUA_PATH
    (``;;`` expanded) or, without it, the places ``th`` searched: the script's folder, ``./``,
    the user's luarocks tree and /usr/local/share/lua/5.1.
    """
    env = os.environ if environ is None else environ
    ours = [str(LUA_DIR / "?.lua"), str(LUA_DIR / "?" / "init.lua")]
    if emulate_cuda:
        ours += [str(CUDA_EMULATION_DIR / "?.lua"), str(CUDA_EMULATION_DIR / "?" / "init.lua")]
    default: list[str] = []
    if script_dir:
        default += [os.path.join(script_dir, "?.lua"), os.path.join(script_dir, "?", "init.lua")]
    default += ["./?.lua", "./?/init.lua"]
    home = env.get("HOME")
    if home:
        tree = os.path.join(home, ".luarocks", "share", "lua", "5.1")
        default += [os.path.join(tree, "?.lua"), os.path.join(tree, "?", "init.lua")]
    default += ["/usr/local/share/lua/5.1/?.lua", "/usr/local/share/lua/5.1/?/init.lua"]
    path = ours + [p for p in _expand(env.get("LUA_PATH"), default) if p not in ours]
    cdefault = ["./?.so"]
    if home:
        cdefault.append(os.path.join(home, ".luarocks", "lib", "lua", "5.1", "?.so"))
    cdefault += ["/usr/local/lib/lua/5.1/?.so", "/usr/local/lib/lua/5.1/loadall.so"]
    cpath = _expand(env.get("LUA_CPATH"), cdefault)
    return ";".join(path), ";".join(cpath)

"""Python halves of the Lua packages real Torch projects load data with (threads, tds, hdf5,
matio, csvigo, cjson, display). Each module has an ``exports(bindings)`` function whose functions
join the ``py`` table the Lua packages reach as ``torch._py``."""

"""The Lua<->Python bridge: the functions Lua's torch package calls (``torch._py``).

Lua unwraps proxies before calling in (tensors arrive as ``Tensor``, storages as ``Storage``) and
every tensor or storage going back out is turned into its Lua proxy by ``Bindings.wrap``. One
``Bindings`` object serves one LuaRuntime; its methods are split by concern: ``bridge`` (the
object itself: proxies, anchors, FFI headers, exports), ``arguments``, ``construction``,
``geometry``, ``values``, ``operators``, ``sampling``, ``storages``, ``settings``, and
``numpy_interop`` (``luatorch.from_numpy``/``to_numpy``). The maths all lives in ``tensor``.
"""

from .bridge import Bindings
from .numpy_interop import from_numpy, tensor_from_numpy, to_numpy

__all__ = ["Bindings", "from_numpy", "tensor_from_numpy", "to_numpy"]

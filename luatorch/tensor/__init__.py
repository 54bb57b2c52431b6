"""The numpy tensor library: Torch's storages and tensors, maths, random numbers, printing.

A ``Storage`` is a flat numpy buffer and a ``Tensor`` a strided view of one (``core.py``, with the
FFI header LuaJIT reads in ``header.py``); the functions Lua calls are registered in ``dispatch``
by ``math``, ``indexing``, ``linalg`` and ``matrix``; ``random`` is Torch's MT19937 generator and
its distributions, ``printing`` Torch's text form, ``blas``/``libm``/``accreal`` the exact C
routines and summation order TH uses, and ``threadpool`` the threads large kernels split their
work over (``torch.setnumthreads``). This package knows nothing of Lua: it imports numpy and the
standard library only, never lupa, the runtime, the bindings or any entry point.
"""

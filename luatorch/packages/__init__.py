"""The Python halves of Lua packages: ``<name>_backend.py`` serves ``lua/<name>/``.

Each module has an ``exports(bindings)`` function whose functions join the ``py`` table the Lua
package reaches as ``torch._py`` (the runtime lists them in ``runtime.state.EXTENSIONS``):
gnuplot, image (and image_extra), sys (also paths, lfs and cutorch's device queries), optim
(Logger), torch.Tester (tester), threads, tds, hdf5, matio, display and loadcaffe. A backend
may import ``tensor`` and ``t7``; the threads backend alone imports the runtime, to start worker
runtimes. Nothing below (``tensor``, ``thnn``, ``t7``) imports a backend.
"""

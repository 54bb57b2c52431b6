"""The Torch Jupyter kernel (iTorch's successor): ``python -m luatorch.kernel install``.

This package imports nothing heavy: ``kernel.py`` needs ipykernel (the ``notebook`` extra),
``display.py`` only numpy (and Pillow/matplotlib when present). An entry point: it may import the
runtime, the REPL's session, completion and printing, and ``tensor``; nothing imports it.
"""

KERNEL_NAME = "luatorch"
DISPLAY_NAME = "Torch (luatorch)"

"""``python -m luatorch.kernel``: run the kernel (as Jupyter starts it: ``-f connection.json``),
or ``install`` its kernelspec."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Entry point (also the ``luatorch-kernel`` console script)."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "install":
        from .install import main as install_main

        return install_main(argv[1:])
    try:
        from ipykernel.kernelapp import IPKernelApp
    except ImportError:
        print(
            "luatorch kernel: ipykernel is not installed (pip install 'luatorch[notebook]')",
            file=sys.stderr,
        )
        return 1
    from .kernel import TorchKernel

    IPKernelApp.launch_instance(argv=argv, kernel_class=TorchKernel)
    return 0


if __name__ == "__main__":
    sys.exit(main())

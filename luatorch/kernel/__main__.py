"""``luatorch-kernel`` (``python -m luatorch.kernel``): run the kernel as Jupyter starts it
(``-f connection.json``), or ``install`` its kernelspec."""

from __future__ import annotations

import logging
import sys

USAGE = """Usage: luatorch-kernel install [--user | --sys-prefix | --prefix DIR]
       luatorch-kernel -f CONNECTION_FILE

The Jupyter kernel for Torch7 code on luatorch. `install` registers it with Jupyter (then pick
"Torch (luatorch)" in Jupyter); Jupyter itself starts the kernel with -f and a connection file."""


class _LocalTransportNotice(logging.Filter):
    """Drop ipykernel's warning about unencrypted TCP: Jupyter starts this kernel on the local
    machine's loopback, and the warning would show at every start in the notebook's log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Kernel is running over TCP without encryption")


def main(argv: list[str] | None = None) -> int:
    """Entry point (also the ``luatorch-kernel`` console script)."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "install":
        from .install import main as install_main

        return install_main(argv[1:])
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0 if argv else 2
    if not any(a == "-f" or a.startswith("--f=") or a.startswith("-f=") for a in argv):
        print(f"luatorch-kernel: unknown arguments {' '.join(argv)}\n\n{USAGE}", file=sys.stderr)
        return 2
    try:
        from ipykernel.kernelapp import IPKernelApp
    except ImportError:
        print(
            "luatorch kernel: ipykernel is not installed (pip install 'luatorch[notebook]')",
            file=sys.stderr,
        )
        return 1
    from .kernel import TorchKernel

    class TorchKernelApp(IPKernelApp):
        def init_sockets(self) -> None:
            self.log.addFilter(_LocalTransportNotice())
            super().init_sockets()

    TorchKernelApp.launch_instance(argv=argv, kernel_class=TorchKernel)
    return 0


if __name__ == "__main__":
    sys.exit(main())

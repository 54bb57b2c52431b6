"""Install the kernelspec: ``python -m luatorch.kernel install [--user|--sys-prefix]``."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile

from . import DISPLAY_NAME, KERNEL_NAME


def kernel_json(python: str | None = None, display_name: str = DISPLAY_NAME) -> dict:
    """The kernel.json contents: this Python runs ``-m luatorch.kernel``."""
    return {
        "argv": [python or sys.executable, "-m", "luatorch.kernel", "-f", "{connection_file}"],
        "display_name": display_name,
        "language": "lua",
        "interrupt_mode": "signal",
        "metadata": {"debugger": False},
    }


def install(
    user: bool = False,
    prefix: str | None = None,
    name: str = KERNEL_NAME,
    display_name: str = DISPLAY_NAME,
) -> str:
    """Install the kernelspec with jupyter_client; returns the directory written."""
    try:
        from jupyter_client.kernelspec import KernelSpecManager
    except ImportError:
        raise SystemExit(
            "luatorch kernel: jupyter_client is not installed (pip install 'luatorch[notebook]')"
        ) from None
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)  # jupyter copies the mode of this directory
        with open(os.path.join(tmp, "kernel.json"), "w") as f:
            json.dump(kernel_json(display_name=display_name), f, indent=1)
        return KernelSpecManager().install_kernel_spec(
            tmp, kernel_name=name, user=user, prefix=prefix
        )


def main(argv: list[str] | None = None) -> int:
    """``install`` command line."""
    p = argparse.ArgumentParser(
        prog="python -m luatorch.kernel install",
        description="Install the Torch (luatorch) Jupyter kernelspec.",
    )
    where = p.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true", help="install for the current user")
    where.add_argument(
        "--sys-prefix",
        action="store_true",
        help="install into sys.prefix (the active virtualenv or conda env)",
    )
    where.add_argument("--prefix", help="install under PREFIX/share/jupyter/kernels")
    p.add_argument("--name", default=KERNEL_NAME, help="kernelspec name (default: %(default)s)")
    p.add_argument(
        "--display-name", default=DISPLAY_NAME, help="name shown in Jupyter (default: %(default)s)"
    )
    args = p.parse_args(argv)
    prefix = sys.prefix if args.sys_prefix else args.prefix
    path = install(user=args.user, prefix=prefix, name=args.name, display_name=args.display_name)
    print(f"Installed kernelspec {args.name} in {path}")
    return 0

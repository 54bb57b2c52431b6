"""The OpenBLAS kernels the stored Torch7 outputs were recorded with, for both runtimes."""

from __future__ import annotations

import os
import platform


def recording_env() -> dict[str, str]:
    """The environment the golden and oracle files were recorded in. OpenBLAS picks its kernels
    by CPU, and kernels sum in different orders: on this project's AMD EPYC machines OpenBLAS
    0.3.21 picks Cooperlake on some and ran Haswell (OPENBLAS_CORETYPE=Haswell, set in the
    machine's environment) on the one that recorded tests/same_bits/golden, and about half of
    the float32 and several float64 files differ between the two (so do printed sums of LAPACK
    and optim results in tests/oracle). Pinning the recording's kernels keeps the comparison
    about luatorch, not about which CPU the tests run on (luatorch and Torch7 agree under
    either: they call the same library)."""
    env = dict(os.environ)
    if platform.machine() in ("x86_64", "AMD64"):
        env["OPENBLAS_CORETYPE"] = "Haswell"
    return env

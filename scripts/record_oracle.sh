#!/bin/sh
# Records what real Torch7 prints for tests/oracle/*.lua into the matching .out files.
# Usage: scripts/record_oracle.sh /path/to/torch7/th [name ...]
# (tests/fidelity/test_oracle.py runs the same scripts under luatorch and compares byte for byte)
set -e
# the OpenBLAS kernels tests/fidelity/blas_env.py pins when comparing (sums of LAPACK and
# optim results differ in their last digits between kernels)
case "$(uname -m)" in x86_64|amd64) export OPENBLAS_CORETYPE=Haswell ;; esac
TH=$1
shift
cd "$(dirname "$0")/../tests/oracle"
if [ $# -eq 0 ]; then set -- $(ls *.lua | sed 's/\.lua$//'); fi
for name in "$@"; do
   "$TH" "$name.lua" > "$name.out" 2>&1
   echo "recorded $name.out"
done

#!/usr/bin/env bash
# Prints the OPENBLAS_CORETYPE to force on CPUs that the installed OpenBLAS does not recognise (Debian 12's 0.3.21
# falls back to generic "Prescott" SSE3 kernels on e.g. Sapphire/Emerald Rapids, 4-5x slower for sgemm).
# Prints nothing when OPENBLAS_CORETYPE is already set or no AVX2/AVX-512 is present. Used by the Makefile and
# the benchmark scripts; OpenBLAS reads the variable when it is loaded, so it must be in the environment up front.
set -euo pipefail
if [ -n "${OPENBLAS_CORETYPE:-}" ]; then echo "$OPENBLAS_CORETYPE"; exit 0; fi
flags=" $(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null | cut -d: -f2) "
has() { for f in "$@"; do [[ "$flags" == *" $f "* ]] || return 1; done; }
if has avx512f avx512bw avx512vl avx512dq; then echo SkylakeX
elif has avx2 fma; then echo Haswell
fi

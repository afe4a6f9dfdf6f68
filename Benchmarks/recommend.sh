#!/usr/bin/env bash
# Curio recommenders vs implicit (ALS) and cornac (BPR, VBPR): same simulated Tate sessions, same global temporal
# split, same metric code; then in-process recommendation latency over 70,000 items. Ratios printed last.
#   Benchmarks/recommend.sh [--visitors N] [--seed S] [--skip-peers] [--bpr-only] [--bpr-epochs N]
#   --bpr-only: popularity and BPR against cornac BPR only (skips ALS, the hybrid, VBPR and the latencies).
set -euo pipefail
cd "$(dirname "$0")/.."
CURIO_HOME="${CURIO_HOME:-$HOME/.cache/curio}"
VENV="${CURIO_BENCH_VENV:-$CURIO_HOME/bench-venv}"
if [[ " $* " != *" --skip-peers "* ]]; then
  if ! "$VENV/bin/python" -c "import implicit, cornac, torch" 2>/dev/null; then
    echo "[bench] creating peer venv at $VENV (implicit, cornac, torch)" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet -r Benchmarks/requirements-recommend.txt
  fi
fi
swift build -c release --product curio-bench-recommend >&2
WORK="$(mktemp -d -t curio-bench-recommend.XXXXXX)"
CURIO_BENCH_PYTHON="$VENV/bin/python" .build/release/curio-bench-recommend --work "$WORK" "$@"

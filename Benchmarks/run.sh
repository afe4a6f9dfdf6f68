#!/usr/bin/env bash
# Runs every benchmark: Curio side by side with its peer, ratio printed last in each section.
# Peer libraries live in a throwaway virtualenv (created on first use from Benchmarks/requirements-*.txt).
# Usage: Benchmarks/run.sh [area ...]   (areas: ingest http text image fusion recommend graph visits policy dialogue)
set -uo pipefail
cd "$(dirname "$0")/.."
export CURIO_HOME="${CURIO_HOME:-$HOME/.cache/curio}"
export CURIO_BENCH_VENV="${CURIO_BENCH_VENV:-$CURIO_HOME/bench-venv}"

ensure_venv() {
  if [ ! -x "$CURIO_BENCH_VENV/bin/python" ]; then
    echo "bench: creating peer virtualenv at $CURIO_BENCH_VENV"
    python3 -m venv "$CURIO_BENCH_VENV"
    "$CURIO_BENCH_VENV/bin/pip" install -q --upgrade pip
  fi
  for req in Benchmarks/requirements-*.txt; do
    [ -f "$req" ] || continue
    "$CURIO_BENCH_VENV/bin/pip" install -q -r "$req"
  done
}
export -f ensure_venv

areas=("$@")
if [ ${#areas[@]} -eq 0 ]; then areas=(ingest http text image fusion recommend graph visits policy dialogue); fi

ensure_venv
swift build -c release >/dev/null || { echo "bench: release build failed" >&2; exit 70; }

status=0
for area in "${areas[@]}"; do
  script="Benchmarks/$area.sh"
  if [ ! -x "$script" ]; then
    echo "== $area: no benchmark script ($script)"
    continue
  fi
  echo "== $area"
  if ! "$script"; then
    echo "== $area: FAILED" >&2
    status=1
  fi
done
exit $status

#!/usr/bin/env bash
# Visits benchmark (docs/visits.md): next-exhibit NDCG@10/HR@10 for SASRec vs transitions vs popularity on simulated
# room-by-room visits of the example venue, and the tour planner's feasibility rate, utility against the exact
# optimum on small instances, and planning time for 300 candidates (p50/p99). No Python peer: the planner is
# compared with the exact solver, and the models with each other on the same split and metric code.
# Usage: Benchmarks/visits.sh [tours|next|all] [--quick] [--visitors N] [--sasrec-dim N] [--sasrec-dropout X] …
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! swift build -c release --product curio-bench-visits >"$log" 2>&1; then
  cat "$log" >&2
  echo "visits: release build failed" >&2
  exit 70
fi
.build/release/curio-bench-visits "${@:-all}"

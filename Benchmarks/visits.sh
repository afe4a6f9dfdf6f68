#!/usr/bin/env bash
# Visits benchmark (docs/visits.md): next-exhibit NDCG@10/HR@10 for SASRec vs transitions vs popularity on simulated
# room-by-room visits of the example venue, and the tour planner's feasibility rate, utility against the exact
# optimum on small instances, and planning time for 300 candidates (p50/p99). No Python peer: the planner is
# compared with the exact solver, and the models with each other on the same split and metric code.
# Usage: Benchmarks/visits.sh [tours|next|all] [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product curio-bench-visits >/dev/null
exec .build/release/curio-bench-visits "${@:-all}"

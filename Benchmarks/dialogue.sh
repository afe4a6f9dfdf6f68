#!/usr/bin/env bash
# Conversational guide benchmark (docs/dialogue.md): 1,000 simulated visitors on the whole Tate collection —
# success within 5 and 10 turns and mean turns against a non-conversational baseline (the opening as one search,
# then paging), reply latency p50/p95 (goal p95 ≤ 50 ms) and hallucinations (goal 0). No Python peer: the
# baseline is the same collection's search. The Tate database is built once under .build/ and reused.
# Usage: Benchmarks/dialogue.sh [--conversations N] [--seed S] [--tools engine|catalogue] [--db PATH]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product curio-bench-dialogue >/dev/null
exec .build/release/curio-bench-dialogue "$@"

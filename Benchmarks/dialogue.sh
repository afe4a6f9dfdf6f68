#!/usr/bin/env bash
# Conversational guide benchmark (docs/dialogue.md): 1,000 simulated visitors on the whole Tate collection —
# success within 5 and 10 turns and mean turns against a non-conversational baseline (the opening as one search,
# then paging), reply latency p50/p95 (goal p95 ≤ 50 ms) and hallucinations (goal 0). No Python peer: the
# baseline is the same collection's search. The Tate database is built once (default
# $TMPDIR/curio-bench-dialogue-tate.db) and reused.
# Each conversation is kept in the database as the server keeps it (loaded and saved around every reply, inside the
# measured time) unless --in-memory; --check-search N compares the guide's in-memory search index with SQL search.
# Usage: Benchmarks/dialogue.sh [--conversations N] [--seed S] [--tools engine|catalogue] [--db PATH] [--in-memory]
#                               [--check-search N]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product curio-bench-dialogue >/dev/null
# The database lives outside the repository (ingested once, reused): DB=PATH or --db PATH to choose another.
case " $* " in
  *" --db "*) exec .build/release/curio-bench-dialogue "$@" ;;
  *) exec .build/release/curio-bench-dialogue --db "${DB:-${TMPDIR:-/tmp}/curio-bench-dialogue-tate.db}" "$@" ;;
esac

#!/usr/bin/env bash
# Full Tate ingest into a fresh database: Curio (release build) against Python's stdlib sqlite3 doing the same
# inserts (Benchmarks/ingest_peer.py; stdlib only, so no venv is needed). Ratio printed last.
#
#   Benchmarks/ingest.sh [TATE_FOLDER]      default: ../shared/data/tate
#
# Curio's side runs the library path of `curio ingest --format tate` (TateImporter + Ingestor + SQLiteStore)
# through the small `curio-ingest-helper` executable, so the number does not depend on the CLI being built.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${1:-../shared/data/tate}"
if [[ ! -f "$DATA/artworks.jsonl.gz" ]]; then
    echo "ingest benchmark: no Tate data at $DATA (expected artworks.jsonl.gz and artists.jsonl.gz)" >&2
    exit 66
fi
PYTHON="${PYTHON:-python3}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/curio-ingest-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

echo "== ingest: full Tate collection ($DATA)"
swift build -c release --product curio-ingest-helper 2>&1 | grep -v -e '-pthread' | tail -1 >&2
HELPER="$(swift build -c release --show-bin-path)/curio-ingest-helper"

now() { date +%s.%N; }

start=$(now)
"$HELPER" "$WORK/curio.db" "$DATA" >"$WORK/curio.out"
end=$(now)
curio=$(echo "$end - $start" | bc -l)
items=$(sed -n 's/^items inserted \([0-9]*\).*/\1/p' "$WORK/curio.out")
printf 'curio:          %s items in %.2f s (%.0f items/s)   [%s]\n' "$items" "$curio" "$(echo "$items / $curio" | bc -l)" \
    "$(cat "$WORK/curio.out")"

"$PYTHON" Benchmarks/ingest_peer.py "$DATA" "$WORK/peer.db" >"$WORK/peer.out"
peer=$(sed -n 's/^ELAPSED //p' "$WORK/peer.out")
grep -v '^ELAPSED' "$WORK/peer.out"

printf 'ratio (python sqlite3 time / curio time): %.2fx\n' "$(echo "$peer / $curio" | bc -l)"

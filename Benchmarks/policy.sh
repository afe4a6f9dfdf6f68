#!/usr/bin/env bash
# Serving, curator policies and explanations on the full Tate collection with simulated visitors:
#   1. exposure of the dominant maker and the gender split over 10,000 requests, without and with the default
#      policy (women >= 25% of exposure, no maker above 20%, both amortised), and whether the targets are met within 5 points;
#   2. in-process latency of a whole explained request over ~70,000 objects, and of the re-ranking step alone;
#   3. `curio evaluate` (global temporal split, full ranking): NDCG@10 cost of the policy and of each re-ranker,
#      explanation fidelity, the graph-aware model against the serving model;
#   4. HTTP throughput of GET /v1/visitors/{id}/recommendations with wrk.
# Goals: targets within 5 points, NDCG@10 loss <= 10%, re-ranking p99 <= 2 ms, request p99 <= 10 ms in-process,
# >= 2,000 req/s at p99 <= 20 ms over HTTP, fidelity >= 90%.
# Headline latency and throughput are measured with the per-visitor list cache OFF (every request folds in, scores
# ~70,000 objects, re-ranks and explains) and wrk spreading requests over thousands of distinct visitors; the same
# HTTP run with the default 30 s cache follows as a secondary, labelled line. `uptime` load is printed with each part.
# Usage: Benchmarks/policy.sh   (env: VISITORS=10000 REQUESTS=10000 MODEL=hybrid EVAL_MODELS=hybrid,graph DURATION=20s
#                                 CONNECTIONS=16 SERVER_THREADS=4×cores DATA=../shared/data/tate KEEP=1 to keep the work
#                                 folder, WORK=DIR to reuse a folder kept earlier (skips ingest, simulate and train),
#                                 PARTS="serving evaluation http" to run only some parts)
set -euo pipefail
cd "$(dirname "$0")/.."

VISITORS="${VISITORS:-10000}"
REQUESTS="${REQUESTS:-10000}"
MODEL="${MODEL:-hybrid}"
EVAL_MODELS="${EVAL_MODELS:-$MODEL,graph}"
DURATION="${DURATION:-20s}"
CONNECTIONS="${CONNECTIONS:-16}"
SERVER_THREADS="${SERVER_THREADS:-$((4 * $(nproc)))}"
DATA="${DATA:-../shared/data/tate}"
[ -d "$DATA" ] || { echo "policy: no Tate data at $DATA" >&2; exit 66; }

swift build -c release --product curio >/dev/null
swift build -c release --product curio-bench-serving >/dev/null
BIN="$(swift build -c release --show-bin-path)"
CURIO="$BIN/curio"

REUSED=""
if [ -n "${WORK:-}" ] && [ -f "$WORK/curio.db" ]; then REUSED=1; KEEP=1; else WORK="$(mktemp -d -t curio-policy-bench.XXXXXX)"; fi
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -z "${KEEP:-}" ]; then rm -rf "$WORK"; else echo "policy: kept $WORK" >&2; fi
}
trap cleanup EXIT
DB="$WORK/curio.db"
step() { local t0=$SECONDS; "$@"; echo "policy: $(basename "$1") ${2:-} took $((SECONDS - t0)) s" >&2; }

load() { echo "load: $(uptime | sed 's/.*load average/load average/')"; }
PARTS="${PARTS:-serving evaluation http}"
part() { [[ " $PARTS " == *" $1 "* ]]; }
HTTP_RESULT=""; HTTP_CACHED=""

if [ -z "$REUSED" ]; then
  "$CURIO" init --db "$DB" --quiet >/dev/null
  step "$CURIO" ingest --db "$DB" --format tate "$DATA" --quiet --allow-skips >/dev/null
  step "$CURIO" simulate --db "$DB" --visitors "$VISITORS" --seed 7 --end 2025-06-30 --quiet >/dev/null
  step "$CURIO" train --db "$DB" --model "$MODEL" --seed 7 --json --quiet > "$WORK/train.json"
  if [[ ",$EVAL_MODELS," == *",graph,"* ]]; then
    step "$CURIO" train --db "$DB" --model graph --seed 7 --no-serve --json --quiet > "$WORK/train-graph.json"
  fi
else
  echo "policy: reusing $DB" >&2
fi

if part serving; then
echo "== serving in process ($MODEL, $REQUESTS requests, list cache off)"
load
step "$BIN/curio-bench-serving" --db "$DB" --requests "$REQUESTS" | tee "$WORK/serving.txt" | grep -v '^RESULT'
load
fi

if part evaluation; then
echo "== evaluation ($EVAL_MODELS, global temporal split, default policy)"
load
step "$CURIO" evaluate --db "$DB" --models "$EVAL_MODELS" --policy default --json --quiet --report "$WORK/evaluation.html" > "$WORK/evaluation.json"
python3 - "$WORK/evaluation.json" "$MODEL" <<'PY'
import json, sys
e = json.load(open(sys.argv[1])); serving = sys.argv[2]
r = e["report"]
print(f"split {r['split']}: {r['train_visitors']} training visitors, {r['test_visitors']} test visitors, {r['catalogue_items']} objects")
print(f"{'model':10} {'ndcg@10':>8} {'recall@20':>9} {'coverage@10':>11} {'train s':>8} {'fidelity':>9}")
for m in r["models"]:
    f = e["fidelity"].get(m["name"], {})
    print(f"{m['name']:10} {m['metrics']['ndcg@10']:8.4f} {m['metrics']['recall@20']:9.4f} {m['metrics']['coverage@10']:11.4f} "
          f"{m.get('training_seconds') or 0:8.1f} {100 * f.get('fidelity', 0):8.1f}%")
for c in r["comparisons"]:
    print(f"{c['model']} vs {c['baseline']}: ndcg@10 {c['mean_difference']:+.4f} ({100 * (c.get('relative_difference') or 0):+.1f}%), "
          f"t-test p = {c['t_test_p']:.2g}, Wilcoxon p = {c['wilcoxon_p']:.2g}")
for p in e["policy"]:
    print(f"policy {p['policy']} on {p['model']}:")
    for v in p["variants"]:
        shares = ", ".join(f"{g} {100 * s:.1f}%" for g, s in sorted(v["exposure_shares"].items()))
        print(f"  {v['name']:20} ndcg@10 {v['metrics']['ndcg@10']:.4f} ({100 * v['ndcg_change']:+.1f}%)  "
              f"dominant {v['dominant_maker']} {100 * v['dominant_maker_share']:.1f}%  {shares}")
PY
fi

if part http; then
echo "== HTTP: GET /v1/visitors/{id}/recommendations?k=10 (wrk -c$CONNECTIONS, $DURATION, server threads $SERVER_THREADS)"
command -v wrk >/dev/null || { echo "policy: wrk is not installed (apt-get install wrk)" >&2; exit 69; }
# Every visitor with at least two objects (4 events), in a seeded order: thousands of distinct visitors.
python3 - "$DB" > "$WORK/visitors.txt" <<'PY'
import random, sqlite3, sys
ids = [r[0] for r in sqlite3.connect(sys.argv[1]).execute("SELECT id FROM visitors WHERE events >= 4 ORDER BY id")]
random.Random(7).shuffle(ids)
print("\n".join(ids))
PY
echo "policy: $(wc -l < "$WORK/visitors.txt") distinct visitors in the wrk script"
export CURIO_BENCH_VISITORS="$WORK/visitors.txt"
http_run() {  # cache seconds → RESULT line (one server per run)
  local port pid
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
  CURIO_RECOMMENDATION_CACHE_SECONDS="$1" CURIO_API_KEY=benchmark-key \
    "$CURIO" serve --db "$DB" --port "$port" --threads "$SERVER_THREADS" --quiet >/dev/null 2>>"$WORK/serve.log" &
  pid=$!
  PIDS+=("$pid")
  for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$port/v1/visitors/warm-up/recommendations?k=1" >/dev/null 2>&1 && break
    sleep 0.5
  done
  # One real visitor loads the serving model (a minute on a busy machine) before wrk's clock starts.
  curl -sf -m 600 "http://127.0.0.1:$port/v1/visitors/$(head -1 "$WORK/visitors.txt")/recommendations?k=10" >/dev/null
  wrk -t1 -c"$CONNECTIONS" -d5s -s Benchmarks/policy_visitors.lua "http://127.0.0.1:$port" >/dev/null
  echo "policy: wrk $DURATION, list cache ${1} s, $(uptime | sed 's/.*load average/load average/')" >&2
  wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s Benchmarks/policy_visitors.lua "http://127.0.0.1:$port" | grep '^RESULT'
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
HTTP_RESULT="$(http_run 0)"
echo "list cache off (headline):        $HTTP_RESULT"
load
HTTP_CACHED="$(http_run 30)"
echo "list cache 30 s (secondary only): $HTTP_CACHED"
load
fi

echo "== summary (goal in brackets)"
python3 - "$WORK/serving.txt" "$WORK/evaluation.json" "$MODEL" "$HTTP_RESULT" "$HTTP_CACHED" <<'PY'
import json, os, re, sys
def ok(c): return "met" if c else "NOT met"
model = sys.argv[3]
if os.path.exists(sys.argv[1]):
    res = {k: float(v) for k, v in re.findall(r"RESULT (\w+)=([0-9.]+)", open(sys.argv[1]).read())}
    t = res["female_target"]
    cap = res.get("maker_ceiling", 1.0)
    print(f"dominant maker exposure: {100*res['dominant_share_none']:.1f}% -> {100*res['dominant_share_default']:.1f}% with the default policy"
          + (f" (ceiling {100*cap:.0f}% within 5 points: {ok(res['dominant_share_default'] <= cap + 0.05)})" if cap < 1 else ""))
    print(f"women's exposure share: {100*res['female_share_none']:.1f}% -> {100*res['female_share_default']:.1f}% (target {100*t:.0f}% within 5 points: {ok(res['female_share_default'] >= t - 0.05)})")
    print(f"re-ranking p99: {res['rerank_p99_ms']:.3f} ms wall (<= 2 ms: {ok(res['rerank_p99_ms'] <= 2)}), {res['rerank_cpu_p99_ms']:.3f} ms CPU (<= 2 ms: {ok(res['rerank_cpu_p99_ms'] <= 2)})")
    print(f"explained request p99 in process (wall): {res['latency_p99_default_ms']:.2f} ms with policy, {res['latency_p99_none_ms']:.2f} ms without (<= 10 ms: {ok(res['latency_p99_default_ms'] <= 10)})")
    print(f"explained request p99 in process (thread CPU time): {res['cpu_p99_default_ms']:.2f} ms with policy, {res['cpu_p99_none_ms']:.2f} ms without (<= 10 ms: {ok(res['cpu_p99_default_ms'] <= 10)})")
if os.path.exists(sys.argv[2]):
    e = json.load(open(sys.argv[2]))
    pol = next(p for p in e["policy"] if p["model"] == model)
    full = next(v for v in pol["variants"] if v["name"] == "policy")
    print(f"NDCG@10 change with the default policy ({model}): {100*full['ndcg_change']:+.1f}% (<= 10% loss: {ok(full['ndcg_change'] >= -0.10)})")
    for name, f in sorted(e["fidelity"].items()):
        print(f"explanation fidelity {name}: {100*f['fidelity']:.1f}% of {f['recommendations']} recommendations (>= 90%: {ok(f['fidelity'] >= 0.9)})")
    ms = {m["name"]: m["metrics"]["ndcg@10"] for m in e["report"]["models"]}
    if "graph" in ms: print(f"graph vs {model}: ndcg@10 {ms.get('graph', 0):.4f} vs {ms.get(model, 0):.4f} (ratio graph/{model} {ms.get('graph', 0)/max(ms.get(model, 1e-12), 1e-12):.2f})")
if sys.argv[4]:
    http = {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", sys.argv[4])}
    print(f"HTTP, list cache off: {http['rps']:.0f} req/s, p50 {http['p50_ms']:.1f} ms, p99 {http['p99_ms']:.1f} ms, errors {int(http['errors'] + http['non2xx'])} (>= 2,000 req/s at p99 <= 20 ms: {ok(http['rps'] >= 2000 and http['p99_ms'] <= 20)})")
if sys.argv[5]:
    cached = {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", sys.argv[5])}
    print(f"HTTP, list cache 30 s (secondary; repeated visitors served from the cache): {cached['rps']:.0f} req/s, p99 {cached['p99_ms']:.1f} ms")
PY

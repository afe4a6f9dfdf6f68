#!/usr/bin/env bash
# HTTP benchmark: GET /v1/items/{id} over many ids with wrk (latency percentiles), Curio (libmicrohttpd) against
# a minimal Python stdlib ThreadingHTTPServer reading the same SQLite file. Ratio last.
# Target: >= 5,000 requests/s with p99 < 5 ms on this 2-core machine.
# Usage: Benchmarks/http.sh   (env: DURATION=10s CONNECTIONS=16 WRK_THREADS=1 SERVER_THREADS=4×cores DATA=data/sample/tate)
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-16}"
WRK_THREADS="${WRK_THREADS:-1}"
SERVER_THREADS="${SERVER_THREADS:-$((4 * $(nproc)))}"
DATA="${DATA:-data/sample/tate}"
if [ ! -d "$DATA" ]; then DATA="../shared/data/tate"; fi

command -v wrk >/dev/null || { echo "http: wrk is not installed (apt-get install wrk)" >&2; exit 69; }
swift build -c release --product curio >/dev/null
CURIO="$(swift build -c release --show-bin-path)/curio"

WORK="$(mktemp -d -t curio-http-bench.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() {
  for _ in $(seq 1 100); do
    if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$1),0.2)" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "http: nothing listens on port $1" >&2; return 1
}

DB="$WORK/curio.db"
"$CURIO" init --db "$DB" --quiet >/dev/null
"$CURIO" ingest --db "$DB" --format tate "$DATA" --quiet --allow-skips >/dev/null
python3 - "$DB" > "$WORK/ids.txt" <<'PY'
import sqlite3, sys, random
ids = [r[0] for r in sqlite3.connect(sys.argv[1]).execute("SELECT id FROM items")]
random.Random(7).shuffle(ids)
print("\n".join(ids))
PY
export CURIO_BENCH_IDS="$WORK/ids.txt"
echo "http: $(wc -l < "$WORK/ids.txt") item ids from $DATA; wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION; server threads $SERVER_THREADS"

run_wrk() {  # url → RESULT line
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d2s -s Benchmarks/http_ids.lua "$1" >/dev/null  # warm-up
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s Benchmarks/http_ids.lua "$1" | grep '^RESULT'
}
field() { sed -E "s/.*$1=([0-9.]+).*/\1/" <<<"$2"; }

PORT="$(free_port)"
CURIO_API_KEY=benchmark-key "$CURIO" serve --db "$DB" --port "$PORT" --threads "$SERVER_THREADS" --quiet >/dev/null &
PIDS+=($!)
wait_port "$PORT"
CURIO_RESULT="$(run_wrk "http://127.0.0.1:$PORT")"
kill -TERM "${PIDS[0]}"; wait "${PIDS[0]}" || true

PEER_PORT="$(free_port)"
python3 Benchmarks/http_peer.py "$DB" "$PEER_PORT" >/dev/null 2>"$WORK/peer.log" &
PIDS+=($!)
wait_port "$PEER_PORT"
PEER_RESULT="$(run_wrk "http://127.0.0.1:$PEER_PORT")"

c_rps="$(field rps "$CURIO_RESULT")"; c_p99="$(field p99_ms "$CURIO_RESULT")"; c_p50="$(field p50_ms "$CURIO_RESULT")"
p_rps="$(field rps "$PEER_RESULT")"; p_p99="$(field p99_ms "$PEER_RESULT")"; p_p50="$(field p50_ms "$PEER_RESULT")"
c_err="$(field errors "$CURIO_RESULT")"; c_bad="$(field non2xx "$CURIO_RESULT")"
p_err="$(field errors "$PEER_RESULT")"; p_bad="$(field non2xx "$PEER_RESULT")"
printf '%-34s %12s %10s %10s %8s\n' "GET /v1/items/{id}" "requests/s" "p50 ms" "p99 ms" "errors"
printf '%-34s %12s %10s %10s %8s\n' "curio (libmicrohttpd, Swift)" "$c_rps" "$c_p50" "$c_p99" "$((c_err + c_bad))"
printf '%-34s %12s %10s %10s %8s\n' "python http.server (peer)" "$p_rps" "$p_p50" "$p_p99" "$((p_err + p_bad))"
python3 - "$c_rps" "$c_p99" "$p_rps" "$p_p99" <<'PY'
import sys
c_rps, c_p99, p_rps, p_p99 = map(float, sys.argv[1:])
target = "met" if c_rps >= 5000 and c_p99 < 5 else "NOT met"
print(f"target (>= 5,000 req/s, p99 < 5 ms): {target}")
print(f"ratio curio/peer: throughput {c_rps / max(p_rps, 1):.1f}x, p99 latency {p_p99 / max(c_p99, 1e-6):.1f}x lower")
PY

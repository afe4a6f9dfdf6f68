#!/usr/bin/env python3
"""Peer for Benchmarks/http.sh: GET /v1/items/{id} served by Python's standard library.

ThreadingHTTPServer (one thread per connection, HTTP/1.1 keep-alive) reading the same SQLite file as Curio,
one read-only connection per thread, building the same snake_case JSON document (concept labels resolved from
an in-memory table, as Curio does). Not on Curio's runtime path: benchmark use only.
"""
import json
import sqlite3
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DB = sys.argv[1]
PORT = int(sys.argv[2])

_local = threading.local()


def connection():
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = sqlite3.connect(f"file:{DB}?mode=ro", uri=True, check_same_thread=False)
        _local.conn = conn
    return conn


with sqlite3.connect(f"file:{DB}?mode=ro", uri=True) as boot:
    LABELS = dict(boot.execute("SELECT id, label FROM concepts"))


def dto(item):
    out = {"id": item["id"], "source": item["source"], "title": item["title"]}
    if item.get("alternateTitles"):
        out["alternate_titles"] = item["alternateTitles"]
    for key, name in (("description", "description"), ("medium", "medium"), ("classification", "classification"),
                      ("dimensions", "dimensions"), ("widthMM", "width_mm"), ("heightMM", "height_mm"),
                      ("depthMM", "depth_mm"), ("creditLine", "credit_line"), ("acquisitionYear", "acquisition_year"),
                      ("rights", "rights"), ("url", "url")):
        if item.get(key) is not None:
            out[name] = item[key]
    out["makers"] = [{"agent_id": m["agent"], "name": m["name"], "role": m["role"]} for m in item.get("makers", [])]
    if item.get("date"):
        d = item["date"]
        out["date"] = {"text": d["text"], "start_year": d["startYear"], "end_year": d["endYear"], "is_circa": d["isCirca"]}
    out["subjects"] = [{"id": s, "label": LABELS.get(s)} for s in item.get("subjects", [])]
    out["movements"] = [{"id": s, "label": LABELS.get(s)} for s in item.get("movements", [])]
    out["images"] = [{k: v for k, v in i.items() if v is not None} for i in item.get("images", [])]
    return out


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; without TCP_NODELAY, Nagle's algorithm and delayed ACKs would add
    # ~40 ms to every keep-alive response and make the peer look far slower than it is.
    disable_nagle_algorithm = True

    def do_GET(self):
        prefix = "/v1/items/"
        row = None
        if self.path.startswith(prefix):
            row = connection().execute("SELECT json FROM items WHERE id = ?", (self.path[len(prefix):],)).fetchone()
        if row is None:
            body = b'{"status":404,"title":"Item not found"}'
            self.send_response(404)
            self.send_header("Content-Type", "application/problem+json")
        else:
            body = json.dumps(dto(json.loads(row[0])), sort_keys=True, separators=(",", ":")).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer.request_queue_size = 256
server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
print(f"peer listening on {PORT}", flush=True)
server.serve_forever()

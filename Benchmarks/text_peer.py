"""sentence-transformers side of Benchmarks/text.sh: the same model files, corpora and core count as Curio.

Usage: python text_peer.py MODEL_DIR SHORT.txt LONG.txt THREADS REPEATS LATENCY_RUNS [CURIO_EMBEDDINGS_DIR]
Prints one JSON object per line (same keys as curio-bench text). With CURIO_EMBEDDINGS_DIR, also reports the
agreement (minimum cosine) between Curio's embeddings and these.
"""
import json, math, os, sys, time

model_dir, short_path, long_path = sys.argv[1], sys.argv[2], sys.argv[3]
threads, repeats, latency_runs = int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
curio_dir = sys.argv[7] if len(sys.argv) > 7 else None

import numpy as np
import torch
torch.set_num_threads(threads)
from sentence_transformers import SentenceTransformer

model = SentenceTransformer(model_dir, device="cpu")
print(json.dumps({"benchmark": "peer-setup", "torch": torch.__version__, "threads": torch.get_num_threads(),
                  "max_seq_length": model.max_seq_length}), flush=True)
for name, path in (("short", short_path), ("long", long_path)):
    texts = open(path, encoding="utf-8").read().split("\n")
    texts = [t for t in texts if t]
    model.encode(texts[:64], batch_size=32)  # warm-up
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        emb = model.encode(texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
        best = min(best, time.perf_counter() - start)
    record = {"benchmark": "peer-throughput", "corpus": name, "texts": len(texts), "seconds": best,
              "texts_per_second": len(texts) / best}
    if curio_dir:
        curio = np.fromfile(os.path.join(curio_dir, f"{name}.f32"), dtype=np.float32).reshape(len(texts), -1)
        record["min_cosine_vs_curio"] = float(np.min(np.sum(curio * emb, axis=1)))
        record["max_abs_diff_vs_curio"] = float(np.max(np.abs(curio - emb)))
    print(json.dumps(record), flush=True)

query = "stormy seascape at night"
for _ in range(20):
    model.encode([query], batch_size=1)
samples = []
for _ in range(latency_runs):
    start = time.perf_counter()
    model.encode([query], batch_size=1)
    samples.append((time.perf_counter() - start) * 1000)
samples.sort()
def quantile(q):  # nearest rank, as curio-bench
    return samples[min(len(samples) - 1, max(0, math.ceil(q * len(samples)) - 1))]
print(json.dumps({"benchmark": "peer-latency", "query": query, "runs": latency_runs,
                  "median_ms": quantile(0.5), "p95_ms": quantile(0.95),
                  "p99_ms": quantile(0.99)}), flush=True)

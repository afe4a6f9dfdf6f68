"""Peer recommenders for Benchmarks/recommend.sh: implicit ALS, cornac BPR and cornac VBPR.

Each model's rankings are written as soon as it is trained (times.tsv grows too), so a run stopped by the
benchmark's time limit still reports the peers that finished.

Reads the training matrix, the returning test visitors and the content vectors exported by curio-bench-recommend,
trains each peer with the same hyper-parameters, and writes each visitor's top-100 list (training items excluded)
to rankings_<model>.tsv so that Curio's Swift code computes every metric. Prints "time<TAB>model<TAB>seconds".
"""
import json
import os
import sys
import time

# implicit asks for a single-threaded BLAS (it parallelises above it); set before numpy loads OpenBLAS.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import scipy.sparse as sp

work = sys.argv[1]
meta = json.load(open(os.path.join(work, "meta.json")))
n_users, n_items, k = meta["users"], meta["items"], meta["factors"]
depth = meta["list_length"]
seed = meta["seed"]
peers = set(meta.get("peers", ["implicit_als", "cornac_bpr", "cornac_vbpr"]))

train = np.loadtxt(os.path.join(work, "train.tsv"), dtype=np.float64, delimiter="\t", ndmin=2)
rows, cols, weights = train[:, 0].astype(np.int64), train[:, 1].astype(np.int64), train[:, 2].astype(np.float32)
user_items = sp.csr_matrix((weights, (rows, cols)), shape=(n_users, n_items))
cases = np.loadtxt(os.path.join(work, "cases.tsv"), dtype=np.int64, delimiter="\t", ndmin=2)


def write_rankings(name, score_fn):
    with open(os.path.join(work, f"rankings_{name}.tsv"), "w") as out:
        for case, user in cases:
            scores = np.asarray(score_fn(int(user)), dtype=np.float64).copy()
            seen = user_items.indices[user_items.indptr[user]:user_items.indptr[user + 1]]
            scores[seen] = -np.inf
            top = np.argpartition(-scores, depth)[:depth]
            top = top[np.argsort(-scores[top], kind="stable")]
            out.write(f"{case}\t{' '.join(str(i) for i in top)}\n")


def report(name, seconds):
    print(f"time\t{name}\t{seconds:.4f}", flush=True)
    with open(os.path.join(work, "times.tsv"), "a") as out:
        out.write(f"{name}\t{seconds:.4f}\n")


# implicit ALS: confidence 1 + alpha * r passed directly (alpha=1 inside implicit), same lambda, factors, iterations.
if "implicit_als" in peers:
    from implicit.cpu.als import AlternatingLeastSquares

    confidence = user_items.copy()
    confidence.data = 1.0 + meta["als_alpha"] * confidence.data
    als = AlternatingLeastSquares(factors=k, regularization=meta["als_regularization"], alpha=1.0,
                                  iterations=meta["als_iterations"], use_cg=True, calculate_training_loss=False,
                                  random_state=seed)
    start = time.perf_counter()
    als.fit(confidence, show_progress=False)
    seconds = time.perf_counter() - start
    write_rankings("implicit_als", lambda u: als.item_factors @ als.user_factors[u])
    report("implicit_als", seconds)

# cornac BPR and VBPR on the same positive pairs (cornac's own id maps, mapped back).
import cornac
from cornac.data import Dataset, ImageModality

triples = [(str(u), str(i), 1.0) for u, i in zip(rows, cols)]

if "cornac_bpr" in peers:
    dataset = Dataset.from_uir(triples, seed=seed)
    item_of = np.array([int(dataset.item_ids[j]) for j in range(dataset.num_items)])
    user_index = {int(uid): idx for uid, idx in dataset.uid_map.items()}

    def bpr_score(user):
        full = np.full(n_items, -np.inf)
        full[item_of] = bpr.score(user_index[user])
        return full

    # cornac runs single-threaded when seeded (num_threads is forced to 1 for reproducibility).
    bpr = cornac.models.BPR(k=k, max_iter=meta["bpr_epochs"], learning_rate=meta["bpr_learning_rate"],
                            lambda_reg=meta["bpr_regularization"], seed=seed, verbose=False)
    start = time.perf_counter()
    bpr.fit(dataset)
    seconds = time.perf_counter() - start
    write_rankings("cornac_bpr", bpr_score)
    report("cornac_bpr", seconds)

if "cornac_vbpr" in peers:
    features = np.fromfile(os.path.join(work, "features.f32"), dtype=np.float32).reshape(n_items, meta["feature_dimensions"])
    image = ImageModality(features=features, ids=[str(i) for i in range(n_items)], normalized=True)
    vbpr_data = Dataset.from_uir(triples, seed=seed)
    image.build(id_map=vbpr_data.iid_map)
    vbpr_data.add_modalities(item_image=image)
    vbpr = cornac.models.VBPR(k=k // 2, k2=k // 2, n_epochs=meta["vbpr_epochs"], batch_size=meta["vbpr_batch_size"], learning_rate=0.005,
                              lambda_w=0.01, lambda_b=0.01, seed=seed, verbose=False)
    start = time.perf_counter()
    vbpr.fit(vbpr_data)
    seconds = time.perf_counter() - start
    vbpr_item_of = np.array([int(vbpr_data.item_ids[j]) for j in range(vbpr_data.num_items)])
    vbpr_user_index = {int(uid): idx for uid, idx in vbpr_data.uid_map.items()}

    def vbpr_score(user):
        full = np.full(n_items, -np.inf)
        full[vbpr_item_of] = vbpr.score(vbpr_user_index[user])
        return full

    write_rankings("cornac_vbpr", vbpr_score)
    report("cornac_vbpr", seconds)

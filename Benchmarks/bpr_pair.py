"""Quick paired BPR timing for Benchmarks/recommend.sh: cornac BPR for 10 epochs on the training matrix exported by
a previous `curio-bench-recommend` run (WORKDIR/train.tsv, meta.json), the same settings as
`curio-bench-recommend --profile-bpr WORKDIR` (k = 64, lr 0.05, lambda 0.002). Run both back to back:

    .build/release/curio-bench-recommend --profile-bpr WORKDIR; $CURIO_BENCH_VENV/bin/python Benchmarks/bpr_pair.py WORKDIR
"""
import json
import os
import sys
import time

import numpy as np
import cornac
from cornac.data import Dataset

work = sys.argv[1]
meta = json.load(open(os.path.join(work, "meta.json")))
train = np.loadtxt(os.path.join(work, "train.tsv"), dtype=np.float64, delimiter="\t", ndmin=2)
triples = [(str(int(u)), str(int(i)), 1.0) for u, i in zip(train[:, 0], train[:, 1])]
dataset = Dataset.from_uir(triples, seed=meta["seed"])
bpr = cornac.models.BPR(k=meta["factors"], max_iter=10, learning_rate=meta["bpr_learning_rate"],
                        lambda_reg=meta["bpr_regularization"], seed=meta["seed"], verbose=False)
start = time.perf_counter()
bpr.fit(dataset)
print(f"cornac BPR k={meta['factors']}: {time.perf_counter() - start:.2f} s for 10 epochs")

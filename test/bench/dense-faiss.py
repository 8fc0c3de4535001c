"""FAISS anchors for `npm run bench dense`: one method per process, so that peak memory is that method's alone.

usage: dense-faiss.py METHOD BASE.npy QUERIES.npy TRUTH.npy K TARGET
METHOD is flat, hnsw or ivf. Prints one JSON object: build seconds, bytes per vector, peak RSS, and for each
search setting tried (efSearch, nprobe) the recall@K against TRUTH and per-query latencies, one query at a time on
one thread, like Pont's searches. The sweep stops at the first setting whose recall reaches TARGET.
"""
import json
import resource
import sys
import time

import faiss
import numpy as np

faiss.omp_set_num_threads(1)
method, base_file, query_file, truth_file, k, target = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), float(sys.argv[6])
base = np.load(base_file, mmap_mode="r")
queries = np.load(query_file)
truth = np.load(truth_file)
n, d = base.shape

started = time.perf_counter()
if method == "flat":
    index = faiss.IndexFlatIP(d)
    index.add(np.ascontiguousarray(base))
    settings = [None]
elif method == "hnsw":
    index = faiss.IndexHNSWFlat(d, 16, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = 100
    index.add(np.ascontiguousarray(base))
    settings = [16, 32, 64, 128, 256, 512]
else:
    nlist = int(4 * np.sqrt(n))
    quantizer = faiss.IndexFlatIP(d)
    index = faiss.IndexIVFFlat(quantizer, d, nlist, faiss.METRIC_INNER_PRODUCT)
    sample = np.ascontiguousarray(base[np.random.default_rng(0).choice(n, min(n, 100 * nlist), replace=False)])
    index.train(sample)
    index.add(np.ascontiguousarray(base))
    settings = [1, 2, 4, 8, 16, 32, 64, 128]
build = time.perf_counter() - started
bytes_per_vector = len(faiss.serialize_index(index)) / n

sweep = []
for s in settings:
    if method == "hnsw":
        index.hnsw.efSearch = s
    elif method == "ivf":
        index.nprobe = s
    times = []
    hits = 0
    for i in range(len(queries)):
        q = queries[i : i + 1]
        t = time.perf_counter()
        _, ids = index.search(q, k)
        times.append((time.perf_counter() - t) * 1000)
        hits += len(set(ids[0].tolist()) & set(truth[i][:k].tolist()))
    times.sort()
    recall = hits / (k * len(queries))
    sweep.append({"setting": s, "recall": recall, "p50": times[len(times) // 2], "p95": times[int(len(times) * 0.95)]})
    if recall >= target:
        break

print(json.dumps({"method": method, "build": build, "bytesPerVector": bytes_per_vector, "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "sweep": sweep}))

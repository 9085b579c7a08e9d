"""hnswlib baseline for bench/knn.bench.mjs: builds a cosine HNSW index and answers the queries one at a time.

Request (JSON on stdin): dir (holding vectors.f32 and queries.f32, row-major float32), dim, k, M,
efConstruction, efs (list), buildThreads. Result (JSON on stdout): build seconds, index bytes, and per ef the
per-query latencies in ms, the CPU seconds of the query loop and the file of returned ids (int32, k per query) for Node to score.
"""
import json
from importlib.metadata import version
import os
import sys
import time

import hnswlib
import numpy as np


def main():
    req = json.load(sys.stdin)
    d, dim, k = req["dir"], req["dim"], req["k"]
    vectors = np.fromfile(os.path.join(d, "vectors.f32"), dtype=np.float32).reshape(-1, dim)
    queries = np.fromfile(os.path.join(d, "queries.f32"), dtype=np.float32).reshape(-1, dim)

    index = hnswlib.Index(space="cosine", dim=dim)
    started = time.perf_counter()
    index.init_index(max_elements=len(vectors), M=req["M"], ef_construction=req["efConstruction"], random_seed=42)
    index.add_items(vectors, np.arange(len(vectors)), num_threads=req["buildThreads"])
    build_seconds = time.perf_counter() - started
    print(f"  hnswlib dim {dim}: built {len(vectors)} vectors in {build_seconds:.1f}s", file=sys.stderr, flush=True)
    index_file = os.path.join(d, "hnsw.index")
    index.save_index(index_file)
    index_bytes = os.path.getsize(index_file)

    runs = []
    for ef in req["efs"]:
        index.set_ef(ef)
        ids = np.empty((len(queries), k), dtype=np.int32)
        latencies = []
        cpu = time.process_time()
        # One query per call on one thread, as a request handler would ask, so it compares with the JS loops.
        for q in range(len(queries)):
            t = time.perf_counter()
            labels, _ = index.knn_query(queries[q : q + 1], k=k, num_threads=1)
            latencies.append((time.perf_counter() - t) * 1000)
            ids[q] = labels[0]
        cpu_seconds = time.process_time() - cpu
        ids_file = os.path.join(d, f"hnsw-ef{ef}.ids.i32")
        ids.tofile(ids_file)
        runs.append({"ef": ef, "latencyMs": latencies, "cpuSeconds": cpu_seconds, "ids": ids_file})
        print(f"  hnswlib dim {dim} ef {ef}: {np.mean(latencies):.3f} ms/query", file=sys.stderr, flush=True)
    json.dump({"hnswlibVersion": version("hnswlib"), "buildSeconds": build_seconds, "indexBytes": index_bytes, "runs": runs}, sys.stdout)


if __name__ == "__main__":
    main()

"""Trains implicit's CPU ALS on a CSR matrix written by bench/als.bench.mjs and writes the factors back.

Request (JSON on stdin): dir (holding indptr.i32, indices.i32, data.f32), rows, cols, factors, iterations,
regularization, alpha, cgSteps, seed, threads (list of thread counts). Result (JSON on stdout): per thread
count, wall and CPU seconds per iteration and the factor files (float32, row-major) for Node to score.
"""
import json
import os
import sys
import time

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

import implicit
from implicit.cpu.als import AlternatingLeastSquares


def main():
    req = json.load(sys.stdin)
    d = req["dir"]
    indptr = np.fromfile(os.path.join(d, "indptr.i32"), dtype=np.int32)
    indices = np.fromfile(os.path.join(d, "indices.i32"), dtype=np.int32)
    counts = np.fromfile(os.path.join(d, "data.f32"), dtype=np.float32)
    alpha = float(req["alpha"])
    # implicit's confidence is alpha * value (with preference 1 for every stored value); storing
    # count + 1/alpha makes it 1 + alpha * count, the 'linear' scheme of @tunegraph/als.
    values = (counts.astype(np.float64) + 1.0 / alpha).astype(np.float32)
    user_items = sp.csr_matrix((values, indices, indptr), shape=(req["rows"], req["cols"]))

    runs = []
    for threads in req["threads"]:
        model = AlternatingLeastSquares(
            factors=req["factors"],
            regularization=req["regularization"],
            alpha=alpha,
            iterations=req["iterations"],
            num_threads=threads,
            random_state=req["seed"],
        )
        model.cg_steps = req["cgSteps"]
        seconds = []
        cpu_seconds = []
        cpu_mark = [time.process_time()]

        def on_iteration(iteration, elapsed, loss):
            seconds.append(elapsed)
            # Process CPU time (all threads) next to wall time, because a shared machine inflates the wall clock.
            now = time.process_time()
            cpu_seconds.append(now - cpu_mark[0])
            cpu_mark[0] = now
            print(f"  implicit {threads}t iteration {iteration + 1}: {elapsed:.3f}s", file=sys.stderr, flush=True)

        # implicit's own advice: BLAS threads fight its OpenMP threads, so BLAS gets one.
        with threadpool_limits(1, "blas"):
            started = time.perf_counter()
            cpu_mark[0] = time.process_time()
            model.fit(user_items, show_progress=False, callback=on_iteration)
            total = time.perf_counter() - started
        prefix = os.path.join(d, f"implicit-{threads}t")
        np.ascontiguousarray(model.user_factors, dtype=np.float32).tofile(prefix + ".users.f32")
        np.ascontiguousarray(model.item_factors, dtype=np.float32).tofile(prefix + ".items.f32")
        runs.append(
            {
                "threads": threads,
                "iterationSeconds": seconds,
                "iterationCpuSeconds": cpu_seconds,
                "fitSeconds": total,
                "userFactors": prefix + ".users.f32",
                "itemFactors": prefix + ".items.f32",
            }
        )
    json.dump({"implicitVersion": implicit.__version__, "numpyVersion": np.__version__, "runs": runs}, sys.stdout)


if __name__ == "__main__":
    main()

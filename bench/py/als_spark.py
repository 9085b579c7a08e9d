"""Trains Spark MLlib's ALS (implicitPrefs, local[N]) on a CSR matrix written by bench/als.bench.mjs.

Request (JSON on stdin): dir (holding indptr.i32, indices.i32, data.f32), rows, cols, factors, iterations,
regularization, alpha, seed, threads. Result (JSON on stdout): fit seconds for 1 and for `iterations`
iterations (wall, and CPU of the Spark JVM), the marginal seconds per iteration from their difference, and the
factor files (float32, row-major; rows Spark never saw stay zero) for Node to score.

Spark's implicit confidence is 1 + alpha * |rating| on the raw count, the 'linear' scheme of @tunegraph/als.
Unlike implicit and @tunegraph/als, Spark scales regParam by each row's number of ratings (ALS-WR).
"""
import json
import os
import sys
import time

import numpy as np


def jvm_cpu_seconds(spark):
    """User + system CPU of the Spark JVM (a child of this process, so process_time misses it)."""
    pid = spark.sparkContext._jvm.java.lang.ProcessHandle.current().pid()
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def write_triplets(d, rows):
    """The CSR matrix as a headerless user,item,count CSV, the cheapest input Spark reads without pandas."""
    indptr = np.fromfile(os.path.join(d, "indptr.i32"), dtype=np.int32)
    indices = np.fromfile(os.path.join(d, "indices.i32"), dtype=np.int32)
    counts = np.fromfile(os.path.join(d, "data.f32"), dtype=np.float32)
    users = np.repeat(np.arange(rows, dtype=np.int32), np.diff(indptr))
    path = os.path.join(d, "spark-triplets.csv")
    with open(path, "w") as f:
        np.savetxt(f, np.column_stack([users, indices, counts]), fmt=["%d", "%d", "%.9g"], delimiter=",")
    return path


def factors_to_file(df, n, k, path):
    out = np.zeros((n, k), dtype=np.float32)
    for row in df.toLocalIterator():
        out[row["id"]] = row["features"]
    out.tofile(path)
    return path


def main():
    req = json.load(sys.stdin)
    d = req["dir"]
    threads = int(req["threads"])
    csv = write_triplets(d, req["rows"])

    from pyspark.ml.recommendation import ALS
    from pyspark.sql import SparkSession
    from pyspark.sql.types import FloatType, IntegerType, StructField, StructType

    spark = (
        SparkSession.builder.master(f"local[{threads}]")
        .appName("tunegraph-als-bench")
        .config("spark.driver.memory", req.get("driverMemory", "4g"))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(2 * threads))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    schema = StructType(
        [
            StructField("user", IntegerType(), False),
            StructField("item", IntegerType(), False),
            StructField("count", FloatType(), False),
        ]
    )
    plays = spark.read.csv(csv, schema=schema).repartition(2 * threads).cache()
    plays.count()  # load and cache before timing, so the fits time training only

    def fit(iterations):
        als = ALS(
            rank=req["factors"],
            maxIter=iterations,
            regParam=req["regularization"],
            alpha=req["alpha"],
            implicitPrefs=True,
            seed=req["seed"],
            userCol="user",
            itemCol="item",
            ratingCol="count",
        )
        cpu = jvm_cpu_seconds(spark)
        started = time.perf_counter()
        model = als.fit(plays)
        # fit is lazy about the last factors: materialise them inside the timing.
        model.userFactors.count()
        model.itemFactors.count()
        wall = time.perf_counter() - started
        print(f"  spark local[{threads}] {iterations} iteration(s): {wall:.1f}s", file=sys.stderr, flush=True)
        return model, wall, jvm_cpu_seconds(spark) - cpu

    # One-iteration fit first: it warms the JVM and gives the fixed cost to subtract from the full fit.
    _, wall1, cpu1 = fit(1)
    model, wall, cpu = fit(req["iterations"])
    extra = max(1, req["iterations"] - 1)
    prefix = os.path.join(d, f"spark-{threads}t")
    result = {
        "sparkVersion": spark.version,
        "threads": threads,
        "oneIterationSeconds": wall1,
        "oneIterationCpuSeconds": cpu1,
        "fitSeconds": wall,
        "fitCpuSeconds": cpu,
        "secondsPerIteration": (wall - wall1) / extra,
        "cpuSecondsPerIteration": (cpu - cpu1) / extra,
        "userFactors": factors_to_file(model.userFactors, req["rows"], req["factors"], prefix + ".users.f32"),
        "itemFactors": factors_to_file(model.itemFactors, req["cols"], req["factors"], prefix + ".items.f32"),
    }
    spark.stop()
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()

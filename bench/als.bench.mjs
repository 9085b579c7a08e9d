/**
 * `npm run bench -- als`: @tunegraph/als (trainAls, trainAlsParallel with 2 threads) against Python implicit's
 * CPU ALS and Spark MLlib's ALS (local[2]) with the same data, factors, iterations, regularization, linear
 * confidence 1 + alpha·count, CG steps (implicit) and thread counts. Every model is scored by
 * @tunegraph/metrics on the same held-out split.
 *
 * Datasets: the real Turi plays, and generated sets of 1 M and 10 M plays. ALS_BENCH_DATASETS picks some
 * (comma-separated names, default all); ALS_BENCH_SKIP_SPARK names datasets to leave Spark out of (default
 * generated-10m, where Spark alone takes about half an hour here; set it to '' to run it).
 */
import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { Buffer } from 'node:buffer';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runPython } from './lib/python-env.mjs';
import { generatedTriplets, readPlays } from './lib/plays.mjs';
import { fmt, iterationTimer, latencySummary, log, median, ratio } from './lib/stats.mjs';
import { load, msdDataDir, scratchDir } from './lib/workspace.mjs';

// ALS_BENCH_ITERATIONS shortens a run on a busy machine (every system gets the same count; default 15).
const HYPER = {
  factors: 64,
  iterations: Number(process.env.ALS_BENCH_ITERATIONS ?? 15),
  regularization: 0.1,
  alpha: 10,
  cgSteps: 3,
};
const SEED = 42;
const DATASETS = {
  turi: {
    threads: [1, 2],
    plays: () => readPlays(path.join(msdDataDir(), 'plays/turi_10000.head42739.txt.gz')),
  },
  'generated-1m': { threads: [1, 2], plays: async () => readPlays((await GENERATED_1M()).triplets) },
  // The MSD preset's shape (mean 47 songs per user) scaled to 10 M plays; two threads only, to keep the run short.
  'generated-10m': { threads: [2], plays: async () => readPlays((await GENERATED_10M()).triplets) },
};
const GENERATED_1M = () => generatedTriplets('small', 7, { lyricsSongs: 0 });
const GENERATED_10M = () =>
  generatedTriplets('msd', 7, { users: 210_000, songs: 80_000, triplets: 10_000_000, lyricsSongs: 0 });
const SPARK_THREADS = 2;
const HOLDOUT = { testFraction: 0.2, seed: 42, minItemsPerUser: 5 };
const CUTOFFS = [10, 50];
// Scoring every user of the 1 M-play set against 30 K items would take longer than training; every n-th
// test user is enough to compare two models. At 2,000 users (ALS_BENCH_EVAL_USERS changes it) the NDCG@10
// estimate has a standard error of about 2% at 10 M plays.
const MAX_EVAL_USERS = Number(process.env.ALS_BENCH_EVAL_USERS ?? 2000);
const FOLD_IN_USERS = 1000;

export const needs = ['als', 'metrics', 'msd-formats', 'generator', 'vectors'];

export async function run() {
  const names = (process.env.ALS_BENCH_DATASETS ?? Object.keys(DATASETS).join(','))
    .split(',')
    .filter(Boolean);
  if (!Number.isInteger(HYPER.iterations) || HYPER.iterations < 2) {
    throw new Error(
      `ALS_BENCH_ITERATIONS must be an integer >= 2 (Spark's timing needs two fits), got ${HYPER.iterations}`,
    );
  }
  const unknown = names.filter((n) => !(n in DATASETS));
  if (unknown.length > 0) {
    throw new Error(
      `ALS_BENCH_DATASETS: unknown ${unknown.join(', ')} (known: ${Object.keys(DATASETS).join(', ')})`,
    );
  }
  const skipSpark = new Set((process.env.ALS_BENCH_SKIP_SPARK ?? 'generated-10m').split(',').filter(Boolean));
  const datasets = {};
  for (const name of names) {
    datasets[name] = await benchDataset(name, await DATASETS[name].plays(), {
      threads: DATASETS[name].threads,
      spark: !skipSpark.has(name),
    });
  }
  return {
    results: { hyperparameters: HYPER, holdout: HOLDOUT, datasets },
    summary: `als: ${Object.values(datasets).map(summaryPart).join(' | ')}`,
  };
}

/** One dataset's figures: per thread count ours vs implicit, then the 2-thread comparison with Spark. */
function summaryPart(r) {
  const perThreads = r.threads
    .map(
      (t) =>
        `${t}t s/iter ours ${fmt(r.ours[t].secondsPerIteration)} implicit ${fmt(r.implicit[t].secondsPerIteration)} ` +
        `ours/implicit ${fmt(r.ratios[t].time, 2)}x (cpu ${fmt(r.ratios[t].cpu, 2)}x)`,
    )
    .join(', ');
  const spark =
    r.spark === undefined
      ? 'spark skipped'
      : `spark local[2] ${fmt(r.spark.secondsPerIteration)} s/iter, spark/ours ${fmt(r.ratios.sparkOverOurs, 1)}x ` +
        `(cpu ${fmt(r.ratios.sparkOverOursCpu, 1)}x), spark NDCG@10 ${fmt(r.spark.ndcg10, 4)} recall@50 ${fmt(r.spark.recall50, 4)}`;
  return (
    `${r.name} ${r.users}u×${r.items}i ${r.trainNnz}nnz ${perThreads}; ` +
    `NDCG@10 ours ${fmt(r.ours.quality.ndcg10, 4)} implicit ${fmt(r.implicitQuality.ndcg10, 4)} (ratio ${fmt(r.ratios.ndcg10, 3)}) ` +
    `recall@50 ${fmt(r.ours.quality.recall50, 4)} vs ${fmt(r.implicitQuality.recall50, 4)} (ratio ${fmt(r.ratios.recall50, 3)}); ` +
    `${spark}; foldIn p50/p99 ${fmt(r.foldInMs.p50, 3)}/${fmt(r.foldInMs.p99, 3)}ms`
  );
}

async function benchDataset(name, plays, { threads: THREADS, spark: withSpark }) {
  const { CsrMatrix, trainAls, trainAlsParallel } = load('als');
  const { holdoutSplit } = load('metrics');
  const { numUsers, numItems } = plays;
  const { train, test } = holdoutSplit(plays.interactions, HOLDOUT);
  const matrix = CsrMatrix.fromCoo(numUsers, numItems, train.users, train.items, train.counts);
  log(`${name}: ${numUsers} users, ${numItems} items, ${matrix.nnz} training pairs, ${test.size} test users`);
  const evalUsers = sampleUsers(test);

  const options = (seconds, cpuSeconds) => {
    return {
      factors: HYPER.factors,
      iterations: HYPER.iterations,
      regularization: HYPER.regularization,
      alpha: HYPER.alpha,
      confidence: 'linear',
      cgSteps: HYPER.cgSteps,
      seed: SEED,
      onIteration: iterationTimer(`ours ${name}`, seconds, cpuSeconds),
    };
  };
  const ours = {};
  let reference;
  for (const threads of THREADS) {
    const seconds = [];
    const cpuSeconds = [];
    const started = performance.now();
    const model =
      threads === 1
        ? trainAls(matrix, options(seconds, cpuSeconds))
        : await trainAlsParallel(matrix, { ...options(seconds, cpuSeconds), threads });
    const wall = (performance.now() - started) / 1000;
    // Thread counts must not change the result (the package promises bit-identical factors), so one scoring is enough.
    reference ??= model;
    const identical = sameFactors(model, reference);
    ours[threads] = {
      threads,
      iterationSeconds: seconds,
      secondsPerIteration: median(seconds),
      iterationCpuSeconds: cpuSeconds,
      cpuSecondsPerIteration: median(cpuSeconds),
      trainSeconds: wall,
      identicalToOneThread: identical,
    };
    log(
      `ours ${name} ${threads}t: median ${median(seconds).toFixed(3)} s/iteration, identical to 1 thread: ${identical}`,
    );
  }
  ours.quality = evaluate(reference, matrix, evalUsers, numItems);

  const dir = scratchDir('als', name);
  writeFileSync(
    path.join(dir, 'indptr.i32'),
    Buffer.from(matrix.indptr.buffer, matrix.indptr.byteOffset, matrix.indptr.byteLength),
  );
  writeFileSync(
    path.join(dir, 'indices.i32'),
    Buffer.from(matrix.indices.buffer, matrix.indices.byteOffset, matrix.indices.byteLength),
  );
  writeFileSync(
    path.join(dir, 'data.f32'),
    Buffer.from(matrix.data.buffer, matrix.data.byteOffset, matrix.data.byteLength),
  );
  log(`implicit ${name}: training with ${THREADS.join(' and ')} thread(s)`);
  const py = await runPython(
    'als_implicit.py',
    { dir, rows: numUsers, cols: numItems, seed: SEED, threads: THREADS, ...HYPER },
    // implicit warns unless BLAS is single-threaded; its ALS threads are num_threads.
    { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: String(Math.max(...THREADS)) },
  );
  const implicit = {};
  for (const r of py.runs) {
    const model = peerModel(r, numUsers, numItems);
    implicit[r.threads] = {
      threads: r.threads,
      iterationSeconds: r.iterationSeconds,
      secondsPerIteration: median(r.iterationSeconds),
      iterationCpuSeconds: r.iterationCpuSeconds,
      cpuSecondsPerIteration: median(r.iterationCpuSeconds),
      trainSeconds: r.fitSeconds,
      ...evaluate(model, matrix, evalUsers, numItems),
    };
    log(
      `implicit ${name} ${r.threads}t: median ${implicit[r.threads].secondsPerIteration.toFixed(3)} s/iteration, NDCG@10 ${implicit[r.threads].ndcg10.toFixed(4)}`,
    );
  }
  const implicitQuality = implicit[Math.max(...THREADS)];

  let spark;
  if (withSpark) {
    log(`spark ${name}: local[${SPARK_THREADS}], 1 then ${HYPER.iterations} iterations`);
    const r = await runPython(
      'als_spark.py',
      { dir, rows: numUsers, cols: numItems, seed: SEED, threads: SPARK_THREADS, ...HYPER },
      { OPENBLAS_NUM_THREADS: '1' },
    );
    const model = peerModel(r, numUsers, numItems);
    spark = { ...r, ...evaluate(model, matrix, evalUsers, numItems) };
    log(`spark ${name}: ${r.secondsPerIteration.toFixed(3)} s/iteration, NDCG@10 ${spark.ndcg10.toFixed(4)}`);
  }

  const foldInMs = timeFoldIn(reference, matrix, [...test.keys()]);
  log(
    `ours ${name}: NDCG@10 ${ours.quality.ndcg10.toFixed(4)}, recall@50 ${ours.quality.recall50.toFixed(4)}; foldIn p50 ${foldInMs.p50.toFixed(3)} ms p99 ${foldInMs.p99.toFixed(3)} ms`,
  );
  const most = Math.max(...THREADS);
  return {
    name,
    users: numUsers,
    items: numItems,
    trainNnz: matrix.nnz,
    testUsers: test.size,
    evaluatedUsers: evalUsers.size,
    implicitVersion: py.implicitVersion,
    threads: THREADS,
    ours,
    implicit,
    implicitQuality,
    spark,
    foldInMs,
    ratios: {
      ...Object.fromEntries(
        THREADS.map((t) => [
          t,
          {
            time: ratio(ours[t].secondsPerIteration, implicit[t].secondsPerIteration),
            cpu: ratio(ours[t].cpuSecondsPerIteration, implicit[t].cpuSecondsPerIteration),
          },
        ]),
      ),
      ndcg10: ratio(ours.quality.ndcg10, implicitQuality.ndcg10),
      recall50: ratio(ours.quality.recall50, implicitQuality.recall50),
      sparkOverOurs: spark && ratio(spark.secondsPerIteration, ours[most].secondsPerIteration),
      sparkOverOursCpu: spark && ratio(spark.cpuSecondsPerIteration, ours[most].cpuSecondsPerIteration),
    },
  };
}

function sampleUsers(test) {
  const users = [...test.keys()].sort((a, b) => a - b);
  const step = Math.max(1, Math.ceil(users.length / MAX_EVAL_USERS));
  return new Map(users.filter((_, i) => i % step === 0).map((u) => [u, test.get(u)]));
}

function evaluate(model, matrix, test, numItems) {
  const { evaluateRanking } = load('metrics');
  const r = evaluateRanking(
    (user, k) => model.recommend(user, k, { exclude: matrix.row(user).indices }).ids,
    test,
    {
      k: CUTOFFS,
      numItems,
    },
  );
  return {
    ndcg10: r.ndcg[10],
    recall50: r.recall[50],
    precision10: r.precision[10],
    map500: r.map500,
    coverage: r.coverage,
  };
}

function timeFoldIn(model, matrix, users) {
  const sample = users.slice(0, FOLD_IN_USERS);
  const first = matrix.row(sample[0]);
  model.foldIn(first.indices, first.data); // the first call also builds the cached YᵀY + λI
  const ms = sample.map((u) => {
    const { indices, data } = matrix.row(u);
    const started = performance.now();
    model.foldIn(indices, data);
    return performance.now() - started;
  });
  return { users: sample.length, ...latencySummary(ms) };
}

function sameFactors(a, b) {
  const equal = (x, y) =>
    x.length === y.length &&
    Buffer.compare(
      Buffer.from(x.buffer, x.byteOffset, x.byteLength),
      Buffer.from(y.buffer, y.byteOffset, y.byteLength),
    ) === 0;
  return equal(a.userFactors, b.userFactors) && equal(a.itemFactors, b.itemFactors);
}

/** A peer's factor files as an AlsModel, so it is ranked and scored by exactly the same code as ours. */
function peerModel(files, numUsers, numItems) {
  const { AlsModel } = load('als');
  return new AlsModel({
    factors: HYPER.factors,
    numUsers,
    numItems,
    userFactors: readFloats(files.userFactors),
    itemFactors: readFloats(files.itemFactors),
    regularization: HYPER.regularization,
    confidence: { mode: 'linear', alpha: HYPER.alpha, epsilon: 1 },
  });
}

function readFloats(file) {
  const bytes = readFileSync(file);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

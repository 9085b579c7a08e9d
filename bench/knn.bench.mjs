/**
 * `npm run bench -- knn`: cosine top-10 by the exact JS scan (one query per call, and batched), CosineLsh tuned to a
 * target recall, Python hnswlib, and pgvector (exact scan and HNSW at several ef_search, on the real PostgreSQL at
 * DATABASE_URL), on 41 K generated clustered vectors at 64 and 128 dims, on ALS song vectors trained on the real
 * Turi plays and on Word2Vec song vectors trained on the real lyrics. `knn-large` runs the same on 385 K generated vectors (knn-large.bench.mjs). Recall is against the
 * exact JS scan; each method answers one query per call on one thread unless it says batched.
 */
import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { Buffer } from 'node:buffer';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pgvectorKnn } from './lib/pgvector.mjs';
import { runPython } from './lib/python-env.mjs';
import { fmt, latencySummary, log, ratio } from './lib/stats.mjs';
import { alsSongVectors, clustered, CLUSTERS, lyricSongVectors, SPREAD } from './lib/knn-datasets.mjs';
import { load, scratchDir } from './lib/workspace.mjs';

const K = 10;
// Factor-like data: points around Gaussian centres, so neighbourhoods exist but are not trivially separated.
/** The lsh service's default target; the issue's goal is recall 0.9 scanning at most 10 %. */
const LSH_TARGET_RECALL = 0.93;
const HNSWLIB = { M: 16, efConstruction: 200, efs: [20, 50, 100] };
const PGVECTOR = { m: 16, efConstruction: 64, efs: [40, 100, 200] };
const BATCH = 64;
/** Timed rounds of the single-query exact scan, each after its own bandwidth measurement (the median is kept). */
const EXACT_ROUNDS = 3;
// Memory-bandwidth reference for a streamed float32 dot-product scan, per core, at 64 dimensions (256-byte rows);
// a bandwidth bound scales inversely with the row size, so other dimensions are held to 85 M · 64 / dim.
const REFERENCE_DOTS_PER_SECOND_64D = 85e6;
const referenceDotsPerSecond = (dim) => (REFERENCE_DOTS_PER_SECOND_64D * 64) / dim;
const GOALS = { lshRecall: 0.9, lshScanned: 0.1, lshMemoryVsRaw: 2, exactVsLimit: 0.5, hnswRecall: 0.95 };

export const needs = ['vectors', 'lsh', 'als', 'word2vec', 'tfidf', 'msd-formats', 'metrics'];

export function run() {
  return runKnn({
    name: 'knn',
    datasets: [
      () => clustered(41_000, 64, 1000),
      () => clustered(41_000, 128, 1000),
      () => alsSongVectors(64),
      () => lyricSongVectors(64),
    ],
    exactQueries: 200,
  });
}

/** Runs every dataset through every method; the summary has one part per dataset and the goal checks. */
export async function runKnn({ name, datasets, exactQueries, lshSettings }) {
  const byDataset = [];
  for (const make of datasets)
    byDataset.push(await benchDataset(await make(), { exactQueries, lshSettings }));
  const goals = {
    lshRecallAndScan: byDataset.every(
      (d) => d.lsh.recall >= GOALS.lshRecall && d.lsh.scannedFraction <= GOALS.lshScanned,
    ),
    lshMemory: byDataset.every((d) => d.lsh.memoryVsRaw <= GOALS.lshMemoryVsRaw),
    exactScan: byDataset.every(
      (d) =>
        d.exact.dotsPerCpuSecondVsReference >= GOALS.exactVsLimit ||
        d.exact.dotsPerCpuSecondVsMachineLimit >= GOALS.exactVsLimit,
    ),
    pgvectorHnsw: byDataset.every(
      (d) => d.pgvector === undefined || d.pgvector.hnsw.some((h) => h.recall >= GOALS.hnswRecall),
    ),
  };
  const check = (ok) => (ok ? 'PASS' : 'FAIL');
  return {
    results: {
      k: K,
      clusters: CLUSTERS,
      spread: SPREAD,
      lshTargetRecall: LSH_TARGET_RECALL,
      hnswlib: HNSWLIB,
      pgvector: PGVECTOR,
      goals,
      byDataset,
    },
    summary:
      `${name} top${K} | ${byDataset.map(summaryPart).join(' | ')} | goals: lsh recall>=${GOALS.lshRecall}&scan<=${100 * GOALS.lshScanned}% ${check(goals.lshRecallAndScan)}, ` +
      `lsh mem<=2x raw ${check(goals.lshMemory)}, exact scan>=0.5x of the 85M ref or of this core's measured bandwidth (per cpu-s) ${check(goals.exactScan)}, ` +
      `pgvector hnsw recall>=0.95 ${process.env.DATABASE_URL ? check(goals.pgvectorHnsw) : 'SKIPPED'}`,
  };
}

function summaryPart(d) {
  const e = d.exact;
  const l = d.lsh;
  const approx = (m) =>
    `${m.label} r${fmt(m.recall, 3)} ${fmt(m.qps, 0)}q/s p50/p99 ${fmt(m.latencyMs.p50, 2)}/${fmt(m.latencyMs.p99, 2)}ms`;
  const pg = d.pgvector
    ? `; pg-exact ${fmt(d.pgvector.exact.qps, 1)}q/s p50 ${fmt(d.pgvector.exact.latencyMs.p50, 1)}ms; ${d.pgvector.hnsw.map((h) => approx({ ...h, label: `pg-hnsw-ef${h.ef}` })).join('; ')}`
    : '';
  return (
    `${d.label} (${d.count}x${d.dim}): exact ${fmt(e.qps, 0)}q/s p50/p99 ${fmt(e.latencyMs.p50, 2)}/${fmt(e.latencyMs.p99, 2)}ms ` +
    `${fmt(e.dotsPerSecond / 1e6, 1)}M dots/s wall, ${fmt(e.dotsPerCpuSecond / 1e6, 1)}M per cpu-s = ${fmt(e.dotsPerCpuSecondVsReference, 2)}x of ${fmt(e.referenceDotsPerSecond / 1e6, 1)}M ref, ${fmt(e.dotsPerCpuSecondVsMachineLimit, 2)}x of this core's ${fmt(e.machineBandwidthGBs, 1)} GB/s limit; ` +
    `batched${BATCH} ${fmt(d.exactBatched.dotsPerCpuSecond / 1e6, 1)}M dots per cpu-s = ${fmt(d.exactBatched.dotsPerCpuSecondVsReference, 2)}x; ` +
    `lsh(${l.family} ${l.tables}x${l.bits},p${l.probes}) r${fmt(l.recall, 3)} scanned ${fmt(100 * l.scannedFraction, 1)}% ${fmt(l.qps, 0)}q/s (${fmt(l.speedupVsExact, 1)}x exact) ` +
    `p50/p99 ${fmt(l.latencyMs.p50, 2)}/${fmt(l.latencyMs.p99, 2)}ms ${fmt(l.bytesPerVector, 0)}B/vec=${fmt(l.memoryVsRaw, 2)}x raw tune ${fmt(l.tuneSeconds, 0)}s; ` +
    `${d.hnswlib.map(approx).join('; ')}${pg}`
  );
}

async function benchDataset(data, { exactQueries, lshSettings }) {
  const { VectorTable, normalizeRows } = load('vectors');
  const { tuneCosineLsh } = load('lsh');
  const { label, vectors, queries, dim, selfIds } = data;
  const count = vectors.length / dim;
  const queryCount = queries.length / dim;
  const query = (q) => queries.subarray(q * dim, (q + 1) * dim);
  // Queries that are indexed songs (the ALS set) exclude themselves, as a query by song does.
  const drop = (q, ids) => (selfIds ? ids.filter((id) => id !== selfIds[q]).slice(0, K) : ids.slice(0, K));
  const kAsked = selfIds ? K + 1 : K;
  log(`${label}: ${count} vectors x ${dim}, ${queryCount} queries`);

  // The exact scan over unit rows by inner product, held in a VectorTable: what an index holding normalised
  // vectors runs.
  const unit = vectors.slice();
  normalizeRows(unit, dim);
  const table = VectorTable.from(unit, dim);
  // This machine's memory bandwidth drifts from second to second (a shared VM): each round measures it right
  // before its scan, and the round with the median scan-to-bandwidth ratio is reported.
  const rounds = Array.from({ length: EXACT_ROUNDS }, () => {
    const bandwidth = streamingBandwidth(unit);
    const timed = timeQueries(queryCount, (q) =>
      drop(q, Array.from(table.knnBatch(query(q), kAsked, { metric: 'dot' })[0].ids)),
    );
    return { bandwidth, timed, vsLimit: (count * timed.qpsPerCpuSecond) / (bandwidth / (4 * dim)) };
  }).sort((a, b) => a.vsLimit - b.vsLimit);
  const { bandwidth, timed: exact } = rounds[EXACT_ROUNDS >> 1];
  const truth = exact.answers;
  const exactResult = {
    qps: exact.qps,
    latencyMs: exact.latencyMs,
    dotsPerSecond: count * exact.qps,
    dotsPerCpuSecond: count * exact.qpsPerCpuSecond,
    referenceDotsPerSecond: referenceDotsPerSecond(dim),
    dotsVsReference: (count * exact.qps) / referenceDotsPerSecond(dim),
    dotsPerCpuSecondVsReference: (count * exact.qpsPerCpuSecond) / referenceDotsPerSecond(dim),
    machineBandwidthGBs: bandwidth / 1e9,
    machineLimitDotsPerSecond: bandwidth / (4 * dim),
    dotsPerCpuSecondVsMachineLimit: (count * exact.qpsPerCpuSecond) / (bandwidth / (4 * dim)),
    roundsVsMachineLimit: rounds.map((r) => r.vsLimit),
  };
  log(
    `${label} exact: ${exact.qps.toFixed(0)} queries/s, ${(exactResult.dotsPerCpuSecond / 1e6).toFixed(1)} M dots per cpu-s; ` +
      `this core streams ${(bandwidth / 1e9).toFixed(1)} GB/s = ${(exactResult.machineLimitDotsPerSecond / 1e6).toFixed(1)} M rows/s`,
  );

  const batched = timeBatches(queryCount, BATCH, (start, end) =>
    table.knnBatch(queries.subarray(start * dim, end * dim), kAsked, { metric: 'dot' }),
  );
  const exactBatched = {
    dotsPerSecond: (count * queryCount) / batched.seconds,
    dotsPerCpuSecond: (count * queryCount) / batched.cpuSeconds,
    dotsPerCpuSecondVsReference: (count * queryCount) / batched.cpuSeconds / referenceDotsPerSecond(dim),
    agreesWithSingle: batched.answers.every((r, q) => sameIds(drop(q, Array.from(r.ids)), truth[q])),
  };
  log(`${label} exact batched: ${(exactBatched.dotsPerCpuSecond / 1e6).toFixed(1)} M dots per cpu-s`);

  let started = performance.now();
  const { index: lsh, tuning } = tuneCosineLsh(vectors, count, {
    dim,
    seed: 42,
    targetRecall: LSH_TARGET_RECALL,
    settings: lshSettings?.(count),
    onProgress: (m) => log(`${label} ${m}`),
  });
  const tuneSeconds = (performance.now() - started) / 1000;
  const lshTimed = timeQueries(queryCount, (q) => {
    const r = selfIds
      ? lsh.query(query(q), K, { exclude: (id) => id === selfIds[q] })
      : lsh.query(query(q), K);
    return { ids: Array.from(r.ids), scanned: r.scannedFraction };
  });
  const lshResult = {
    family: lsh.family,
    tables: lsh.tables,
    bits: lsh.bits,
    probes: lsh.probes,
    tuning,
    tuneSeconds,
    recall: meanRecall(
      lshTimed.answers.map((a) => a.ids),
      truth,
    ),
    scannedFraction: lshTimed.answers.reduce((s, a) => s + a.scanned, 0) / queryCount,
    qps: lshTimed.qps,
    speedupVsExact: ratio(lshTimed.qps, exact.qps),
    cpuSpeedupVsExact: ratio(lshTimed.qpsPerCpuSecond, exact.qpsPerCpuSecond),
    latencyMs: lshTimed.latencyMs,
    bytesPerVector: lsh.memoryBytes() / count,
    memoryVsRaw: lsh.memoryBytes() / (count * dim * 4),
  };
  log(
    `${label} lsh: recall ${lshResult.recall.toFixed(3)} scanning ${(100 * lshResult.scannedFraction).toFixed(1)}%, ${lshTimed.qps.toFixed(0)} queries/s`,
  );

  const dir = scratchDir('knn', label);
  writeFileSync(
    path.join(dir, 'vectors.f32'),
    Buffer.from(vectors.buffer, vectors.byteOffset, vectors.byteLength),
  );
  writeFileSync(
    path.join(dir, 'queries.f32'),
    Buffer.from(queries.buffer, queries.byteOffset, queries.byteLength),
  );
  log(`${label} hnswlib: building (M ${HNSWLIB.M}, ef_construction ${HNSWLIB.efConstruction}, 2 threads)`);
  const py = await runPython(
    'knn_hnswlib.py',
    { dir, dim, k: kAsked, buildThreads: 2, ...HNSWLIB },
    { OPENBLAS_NUM_THREADS: '1' },
  );
  const hnswlib = py.runs.map((r) => {
    const bytes = readFileSync(r.ids); // may be a view into Node's shared pool: copy by its own offset
    const ids = new Int32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    const found = Array.from({ length: queryCount }, (_, q) =>
      drop(q, Array.from(ids.subarray(q * kAsked, (q + 1) * kAsked))),
    );
    const latencyMs = latencySummary(r.latencyMs);
    return {
      label: `hnswlib-ef${r.ef}`,
      ef: r.ef,
      buildSeconds: py.buildSeconds,
      recall: meanRecall(found, truth),
      qps: 1000 / latencyMs.mean,
      latencyMs,
      bytesPerVector: py.indexBytes / count,
    };
  });

  const pg = await pgvectorKnn({
    label,
    vectors,
    dim,
    queries,
    k: kAsked,
    exactQueries: Math.min(exactQueries, queryCount),
    ...PGVECTOR,
  });
  const pgvector = pg && {
    loadSeconds: pg.loadSeconds,
    buildSeconds: pg.buildSeconds,
    bytesPerVector: pg.indexBytes / count,
    exact: {
      ...withoutAnswers(pg.exact),
      recall: meanRecall(
        pg.exact.answers.map((ids, q) => drop(q, Array.from(ids))),
        truth.slice(0, pg.exact.queries),
      ),
    },
    hnsw: pg.hnsw.map((h) => ({
      ...withoutAnswers(h),
      recall: meanRecall(
        h.answers.map((ids, q) => drop(q, Array.from(ids))),
        truth,
      ),
    })),
  };
  return {
    label,
    count,
    dim,
    queries: queryCount,
    source: data.source,
    hnswlibVersion: py.hnswlibVersion,
    exact: exactResult,
    exactBatched,
    lsh: lshResult,
    hnswlib,
    pgvector,
  };
}

/**
 * Bytes per CPU-second one core reads when it only streams memory: memcmp (Buffer.compare) of two equal copies of
 * `floats`, which are as large as the matrix the exact scan reads. The scan's own memory-bandwidth limit on this
 * machine, measured in the same run.
 */
function streamingBandwidth(floats) {
  const a = Buffer.from(new Uint8Array(floats.buffer, floats.byteOffset, floats.byteLength));
  const b = Buffer.from(a);
  Buffer.compare(a, b);
  let bytes = 0;
  const cpu = process.cpuUsage();
  let used;
  do {
    if (Buffer.compare(a, b) !== 0) throw new Error('copies differ');
    bytes += a.length + b.length;
    used = process.cpuUsage(cpu);
  } while (used.user + used.system < 500_000);
  return bytes / ((used.user + used.system) / 1e6);
}

/** Answers every query once per call after a short warm-up (whose answers are dropped); per-query latency. */
function timeQueries(n, ask) {
  for (let q = 0; q < Math.min(20, n); q++) ask(q);
  const answers = [];
  const ms = new Float64Array(n);
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let q = 0; q < n; q++) {
    const t = performance.now();
    answers.push(ask(q));
    ms[q] = performance.now() - t;
  }
  const totalMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return {
    answers,
    qps: (n * 1000) / totalMs,
    qpsPerCpuSecond: n / ((used.user + used.system) / 1e6),
    latencyMs: latencySummary(Array.from(ms)),
  };
}

function timeBatches(n, size, ask) {
  ask(0, Math.min(size, n)); // warm-up
  const answers = [];
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let start = 0; start < n; start += size) answers.push(...ask(start, Math.min(n, start + size)));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { answers, seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

function withoutAnswers({ answers: _answers, ...rest }) {
  return rest;
}

function sameIds(a, b) {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

function meanRecall(found, truth) {
  let sum = 0;
  for (let q = 0; q < truth.length; q++) {
    const expected = new Set(truth[q]);
    let hits = 0;
    for (const id of found[q]) if (expected.has(id)) hits++;
    sum += hits / truth[q].length;
  }
  return sum / truth.length;
}

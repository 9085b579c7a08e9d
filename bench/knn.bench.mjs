/**
 * `npm run bench -- knn`: cosine top-10 over 41 K clustered vectors (64 and 128 dims) by the exact JS scan
 * (@tunegraph/vectors exactKnn), CosineLsh at the service defaults and a cheaper setting, and Python hnswlib.
 * Every method answers the same queries one at a time on one thread; recall is against the exact scan.
 */
import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { Buffer } from 'node:buffer';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runPython } from './lib/python-env.mjs';
import { fmt, latencySummary, log, ratio } from './lib/stats.mjs';
import { load, scratchDir } from './lib/workspace.mjs';

const COUNT = 41_000;
const QUERIES = 1_000;
const DIMS = [64, 128];
const K = 10;
// Factor-like data: points around Gaussian centres, so neighbourhoods exist but are not trivially separated.
const CLUSTERS = 100;
const SPREAD = 0.75;
const LSH_SETTINGS = [
  { label: 'lsh-default', tables: 64, bits: 11, probes: 3 },
  { label: 'lsh-cheap', tables: 16, bits: 12, probes: 1 },
];
const HNSW = { M: 16, efConstruction: 200, efs: [20, 50, 100, 200] };
// Memory-bandwidth reference for a streamed float32 dot-product scan, per core, at 64 dimensions (256-byte rows);
// a bandwidth bound scales inversely with the row size, so other dimensions are held to 85 M · 64 / dim.
const REFERENCE_DOTS_PER_SECOND_64D = 85e6;
const referenceDotsPerSecond = (dim) => (REFERENCE_DOTS_PER_SECOND_64D * 64) / dim;

export const needs = ['vectors', 'lsh'];

export async function run() {
  const byDim = [];
  for (const dim of DIMS) byDim.push(await benchDim(dim));
  const part = (r) => {
    const e = r.methods.exact;
    const rest = r.methods.approximate.map(
      (m) =>
        `${m.label} recall ${fmt(m.recall, 3)} qps ${fmt(m.qps, 0)} (${fmt(m.speedupVsExact, 1)}x exact; per cpu-s ${fmt(m.cpuSpeedupVsExact, 1)}x) p50/p99 ${fmt(m.latencyMs.p50, 3)}/${fmt(m.latencyMs.p99, 3)}ms` +
        (m.scannedFraction !== undefined ? ` scanned ${fmt(m.scannedFraction * 100, 1)}%` : '') +
        ` ${fmt(m.bytesPerVector, 0)}B/vec`,
    );
    return (
      `d${r.dim}: exact qps ${fmt(e.qps, 0)} p50/p99 ${fmt(e.latencyMs.p50, 2)}/${fmt(e.latencyMs.p99, 2)}ms ` +
      `${fmt(e.dotsPerSecond / 1e6, 1)}M dots/s wall = ${fmt(e.dotsVsReference, 3)}x of ${fmt(e.referenceDotsPerSecond / 1e6, 1)}M/s/core ` +
      `(${fmt(e.dotsPerCpuSecond / 1e6, 1)}M per cpu-s = ${fmt(e.dotsPerCpuSecondVsReference, 3)}x); ${rest.join('; ')}`
    );
  };
  return {
    results: {
      count: COUNT,
      queries: QUERIES,
      k: K,
      clusters: CLUSTERS,
      spread: SPREAD,
      lsh: LSH_SETTINGS,
      hnsw: HNSW,
      byDim,
    },
    summary: `knn ${COUNT}x${QUERIES}q top${K} | ${byDim.map(part).join(' | ')}`,
  };
}

async function benchDim(dim) {
  const { exactKnn, computeRowNorms } = load('vectors');
  const { CosineLsh } = load('lsh');
  const { vectors, queries } = clusteredVectors(dim);
  const query = (q) => queries.subarray(q * dim, (q + 1) * dim);
  log(`dim ${dim}: ${COUNT} vectors, ${QUERIES} queries, ${CLUSTERS} clusters (spread ${SPREAD})`);

  const rowNorms = computeRowNorms(vectors, dim);
  const exact = timeQueries((q) => exactKnn(vectors, dim, query(q), K, { metric: 'cosine', rowNorms }).ids);
  const exactIds = exact.answers;
  const dotsPerSecond = (COUNT * QUERIES) / (exact.totalMs / 1000);
  // Per CPU-second as well: on a shared machine the wall clock also counts time the scan was not running.
  const dotsPerCpuSecond = COUNT * exact.qpsPerCpuSecond;
  const exactResult = {
    qps: exact.qps,
    qpsPerCpuSecond: exact.qpsPerCpuSecond,
    latencyMs: exact.latencyMs,
    dotsPerSecond,
    dotsPerCpuSecond,
    referenceDotsPerSecond: referenceDotsPerSecond(dim),
    dotsVsReference: dotsPerSecond / referenceDotsPerSecond(dim),
    dotsPerCpuSecondVsReference: dotsPerCpuSecond / referenceDotsPerSecond(dim),
    bytesPerVector: dim * 4,
  };
  log(
    `exact d${dim}: ${exact.qps.toFixed(0)} queries/s, ${(dotsPerSecond / 1e6).toFixed(1)} M dot products/s`,
  );

  const approximate = [];
  for (const s of LSH_SETTINGS) {
    const lsh = new CosineLsh({ dim, tables: s.tables, bits: s.bits, probes: s.probes, seed: 42 });
    const started = performance.now();
    lsh.build(vectors, COUNT);
    const buildSeconds = (performance.now() - started) / 1000;
    const t = timeQueries((q) => lsh.query(query(q), K));
    const found = t.answers.map((r) => r.ids);
    const scanned = t.answers.reduce((sum, r) => sum + r.scannedFraction, 0);
    approximate.push({
      label: `${s.label}(${s.tables}x${s.bits}b,p${s.probes})`,
      ...s,
      buildSeconds,
      recall: meanRecall(found, exactIds),
      qps: t.qps,
      qpsPerCpuSecond: t.qpsPerCpuSecond,
      speedupVsExact: ratio(t.qps, exact.qps),
      cpuSpeedupVsExact: ratio(t.qpsPerCpuSecond, exact.qpsPerCpuSecond),
      latencyMs: t.latencyMs,
      scannedFraction: scanned / QUERIES,
      bytesPerVector: lsh.memoryBytes() / lsh.size,
    });
    log(
      `${s.label} d${dim}: recall ${approximate.at(-1).recall.toFixed(3)}, ${t.qps.toFixed(0)} queries/s, build ${buildSeconds.toFixed(1)}s`,
    );
  }

  const dir = scratchDir('knn', `d${dim}`);
  writeFileSync(path.join(dir, 'vectors.f32'), Buffer.from(vectors.buffer));
  writeFileSync(path.join(dir, 'queries.f32'), Buffer.from(queries.buffer));
  log(`hnswlib d${dim}: building (M ${HNSW.M}, ef_construction ${HNSW.efConstruction}, 2 threads)`);
  const py = await runPython(
    'knn_hnswlib.py',
    { dir, dim, k: K, buildThreads: 2, ...HNSW },
    { OPENBLAS_NUM_THREADS: '1' },
  );
  for (const r of py.runs) {
    const ids = new Int32Array(readFileSync(r.ids).buffer.slice(0));
    const found = Array.from({ length: QUERIES }, (_, q) => ids.subarray(q * K, (q + 1) * K));
    const latencyMs = latencySummary(r.latencyMs);
    const qps = 1000 / latencyMs.mean;
    const qpsPerCpuSecond = QUERIES / r.cpuSeconds;
    approximate.push({
      label: `hnsw-ef${r.ef}`,
      ef: r.ef,
      buildSeconds: py.buildSeconds,
      recall: meanRecall(found, exactIds),
      qps,
      qpsPerCpuSecond,
      speedupVsExact: ratio(qps, exact.qps),
      cpuSpeedupVsExact: ratio(qpsPerCpuSecond, exact.qpsPerCpuSecond),
      latencyMs,
      bytesPerVector: py.indexBytes / COUNT,
    });
  }
  return { dim, hnswlibVersion: py.hnswlibVersion, methods: { exact: exactResult, approximate } };
}

/** Answers every query once per call after a short warm-up (whose answers are dropped); per-query latency. */
function timeQueries(ask) {
  for (let q = 0; q < Math.min(50, QUERIES); q++) ask(q);
  const answers = [];
  const ms = new Float64Array(QUERIES);
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let q = 0; q < QUERIES; q++) {
    const t = performance.now();
    answers.push(ask(q));
    ms[q] = performance.now() - t;
  }
  const totalMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  return {
    answers,
    totalMs,
    qps: (QUERIES * 1000) / totalMs,
    qpsPerCpuSecond: QUERIES / cpuSeconds,
    latencyMs: latencySummary(Array.from(ms)),
  };
}

function meanRecall(found, exact) {
  let sum = 0;
  for (let q = 0; q < exact.length; q++) {
    const truth = new Set(exact[q]);
    let hits = 0;
    for (const id of found[q]) if (truth.has(id)) hits++;
    sum += hits / exact[q].length;
  }
  return sum / exact.length;
}

function clusteredVectors(dim) {
  const { SeededRandom } = load('vectors');
  const rng = new SeededRandom(1000 + dim);
  const centres = new Float32Array(CLUSTERS * dim);
  for (let i = 0; i < centres.length; i++) centres[i] = rng.nextGaussian();
  const draw = (n) => {
    const out = new Float32Array(n * dim);
    for (let p = 0; p < n; p++) {
      const c = rng.nextInt(CLUSTERS);
      for (let i = 0; i < dim; i++) out[p * dim + i] = centres[c * dim + i] + SPREAD * rng.nextGaussian();
    }
    return out;
  };
  return { vectors: draw(COUNT), queries: draw(QUERIES) };
}

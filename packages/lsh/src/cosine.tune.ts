import { exactKnnBatch } from '@tunegraph/vectors';
import { CosineLsh, type CosineFamily } from './cosine.lsh';
import { CrossPolytopeFamily } from './cross-polytope.family';
import { LshInputError } from './lsh.errors';

export interface CosineTuneOptions {
  dim: number;
  seed: number;
  /** Mean recall@k the chosen setting must reach on the sample; default 0.93 (a margin over a 0.9 goal). */
  targetRecall?: number;
  /**
   * Largest fraction of the vectors a setting may score and still be chosen for speed; default 0.1. Among the
   * settings that reach the target recall within it, the fastest on the sample wins (probing many buckets can cost
   * more than scoring a few more vectors); when none does, the one scanning least.
   */
  maxScanned?: number;
  /** Neighbours per query the recall is measured at; default 10. */
  k?: number;
  /** Indexed rows used as queries (each excluding itself, as a query by song does); default 200. */
  sampleQueries?: number;
  /** L; default per setting from the memory budget (see defaultTables). */
  tables?: number;
  /**
   * Families and K to try. Default: hyperplanes with bits around log2(count / 4) (short buckets, reached by probing
   * many of them), and cross-polytopes with the hashes whose buckets come closest to that, and one more.
   */
  settings?: CosineSetting[];
  /** Progress lines (one per setting tried). */
  onProgress?: (message: string) => void;
}

/** One family and its K (bits or hashes per table). */
export interface CosineSetting {
  family: CosineFamily;
  bits: number;
}

export interface CosineTuning {
  family: CosineFamily;
  tables: number;
  bits: number;
  probes: number;
  targetRecall: number;
  k: number;
  sampleQueries: number;
  maxScanned: number;
  /** Mean recall@k, scanned fraction and milliseconds per query on the sample at the chosen setting. */
  sampleRecall: number;
  sampleScanned: number;
  sampleQueryMs: number;
  /** Every setting tried, with the probes it needed (or the most tried) and what that gave. */
  tried: {
    family: CosineFamily;
    tables: number;
    bits: number;
    probes: number;
    recall: number;
    scanned: number;
    queryMs: number;
    bytesPerVector: number;
    buildSeconds: number;
  }[];
}

/** Probe counts are searched up to this many per table: past it, fewer bits beat more probes. */
const MAX_PROBES_PER_TABLE = 256;

/**
 * The most tables (at most 64) that keep the whole index within twice the raw float32 vectors: its normalised
 * copy of the vectors (4 dim bytes), ids, liveness, dedup stamps and id map (at most 41 bytes), and per table
 * 4 bytes per vector, 8 per non-empty bucket (estimated below) and its hash parameters
 * (hyperplanes; or rotation signs and probing scratch), with 5% to spare.
 */
export function defaultTables(dim: number, count: number, setting: CosineSetting): number {
  const { family, bits } = setting;
  const available = 0.95 * (2 * 4 * dim - (4 * dim + 41));
  const keyBits = family === 'hyperplane' ? bits : bits * CrossPolytopeFamily.vertexBits(dim);
  const parameters =
    family === 'hyperplane'
      ? 4 * bits * dim
      : CrossPolytopeFamily.signsLength(dim, 1, bits) * 4 + bits * CrossPolytopeFamily.probeScratchBytes(dim);
  // Hashing `count` vectors uniformly into B buckets fills B·(1 − e^(−count/B)) of them on average, and
  // skewed data fills fewer: an upper estimate of the non-empty buckets.
  const buckets = 2 ** keyBits;
  const filled = Math.min(count, buckets * -Math.expm1(-count / buckets));
  const perTable = 4 + (8 * filled + parameters) / count;
  return Math.max(4, Math.min(64, Math.floor(available / perTable)));
}

/** The settings tuneCosineLsh tries by default (see CosineTuneOptions.settings). */
export function defaultSettings(dim: number, count: number): CosineSetting[] {
  const wanted = Math.log2(count / 4);
  const bits = Math.max(4, Math.min(30, Math.round(wanted)));
  const maxHashes = CrossPolytopeFamily.maxHashes(dim);
  const hashes = Math.max(1, Math.min(maxHashes, Math.round(wanted / CrossPolytopeFamily.vertexBits(dim))));
  return [
    ...[bits - 1, bits, bits + 1].map((b) => ({ family: 'hyperplane' as const, bits: b })),
    ...[hashes, hashes + 1]
      .filter((h) => h <= maxHashes)
      .map((h) => ({ family: 'cross-polytope' as const, bits: h })),
  ];
}

/**
 * Builds a CosineLsh over `count` row-major vectors tuned to reach `targetRecall` fast while scoring at most
 * `maxScanned` of them: for each setting (family and K) it builds the tables, then binary-searches the smallest
 * probe count whose sample recall reaches the target (recall only grows with probes: a larger count visits a
 * superset of buckets), and keeps the setting ranked first by CosineTuneOptions.maxScanned's rule. The ground truth
 * is an exact scan of the sample. Query times are measured, so two tunings may choose differently.
 */
export function tuneCosineLsh(
  vectors: Float32Array,
  count: number,
  opts: CosineTuneOptions,
): { index: CosineLsh; tuning: CosineTuning } {
  const { dim, seed } = opts;
  const k = opts.k ?? 10;
  const targetRecall = opts.targetRecall ?? 0.93;
  if (!(targetRecall > 0 && targetRecall <= 1)) {
    throw new LshInputError(`targetRecall must be in (0, 1], got ${targetRecall}`);
  }
  const maxScanned = opts.maxScanned ?? 0.1;
  if (!(maxScanned > 0 && maxScanned <= 1)) {
    throw new LshInputError(`maxScanned must be in (0, 1], got ${maxScanned}`);
  }
  if (!Number.isInteger(count) || count < 2) {
    throw new LshInputError(`tuning needs at least 2 vectors, got ${count}`);
  }
  const sample = sampleRows(count, opts.sampleQueries ?? 200);
  const queries = new Float32Array(sample.length * dim);
  sample.forEach((row, i) => queries.set(vectors.subarray(row * dim, (row + 1) * dim), i * dim));
  const truth = exactKnnBatch(vectors, dim, queries, Math.min(k + 1, count)).map((r, i) =>
    Array.from(r.ids)
      .filter((id) => id !== sample[i])
      .slice(0, k),
  );
  const settings = opts.settings ?? defaultSettings(dim, count);

  let best:
    { index: CosineLsh; probes: number; recall: number; scanned: number; queryMs: number } | undefined;
  // Meeting the target within maxScanned beats meeting it beyond, which beats missing it; then speed, fewer
  // vectors scored, or recall, respectively.
  const rank = (r: { recall: number; scanned: number; queryMs: number }) =>
    r.recall < targetRecall ? [2, -r.recall] : r.scanned > maxScanned ? [1, r.scanned] : [0, r.queryMs];
  const tried: CosineTuning['tried'] = [];
  for (const { family, bits } of settings) {
    const tables = opts.tables ?? defaultTables(dim, count, { family, bits });
    const started = performance.now();
    const index = new CosineLsh({ dim, family, tables, bits, seed });
    index.build(vectors, count);
    const buildSeconds = (performance.now() - started) / 1000;
    const measure = (probes: number) => sampleRecall(index, queries, sample, truth, k, probes);
    const limit = Math.min(index.maxProbes, tables * MAX_PROBES_PER_TABLE);
    // Grow the probe count until the target is met, then bisect the last step.
    let lo = -1;
    let hi = 0;
    let atHi = measure(0);
    while (atHi.recall < targetRecall && hi < limit) {
      lo = hi;
      hi = Math.min(limit, Math.max(tables, 2 * hi));
      atHi = measure(hi);
    }
    while (atHi.recall >= targetRecall && hi - lo > Math.max(1, hi >> 5)) {
      const mid = (lo + hi) >> 1;
      const atMid = measure(mid);
      if (atMid.recall >= targetRecall) {
        hi = mid;
        atHi = atMid;
      } else lo = mid;
    }
    // Timed again, warm: the first pass at this count may have paid for growing scratch arrays.
    const queryMs = Math.min(atHi.queryMs, measure(hi).queryMs);
    const result = { recall: atHi.recall, scanned: atHi.scanned, queryMs };
    const bytesPerVector = index.memoryBytes() / count;
    tried.push({ family, tables, bits, probes: hi, ...result, bytesPerVector, buildSeconds });
    opts.onProgress?.(
      `lsh tune: ${family} ${tables} tables x ${bits} ${family === 'hyperplane' ? 'bits' : 'hashes'}: ` +
        `${hi} probes give recall@${k} ${atHi.recall.toFixed(3)} ` +
        `scanning ${(100 * atHi.scanned).toFixed(1)}%, ${queryMs.toFixed(2)} ms/query (build ${buildSeconds.toFixed(1)}s)`,
    );
    if (best === undefined || isBefore(rank(result), rank(best))) best = { index, probes: hi, ...result };
  }
  const chosen = best!;
  chosen.index.probes = chosen.probes;
  return {
    index: chosen.index,
    tuning: {
      family: chosen.index.family,
      tables: chosen.index.tables,
      bits: chosen.index.bits,
      probes: chosen.probes,
      targetRecall,
      maxScanned,
      k,
      sampleQueries: sample.length,
      sampleRecall: chosen.recall,
      sampleScanned: chosen.scanned,
      sampleQueryMs: chosen.queryMs,
      tried,
    },
  };
}

function isBefore(a: number[], b: number[]): boolean {
  return a[0] !== b[0] ? a[0] < b[0] : a[1] < b[1];
}

/** Up to `wanted` rows spread evenly over [0, count). */
function sampleRows(count: number, wanted: number): number[] {
  const n = Math.min(count, wanted);
  return Array.from({ length: n }, (_, i) => Math.floor((i * count) / n));
}

function sampleRecall(
  index: CosineLsh,
  queries: Float32Array,
  sample: number[],
  truth: number[][],
  k: number,
  probes: number,
): { recall: number; scanned: number; queryMs: number } {
  const dim = index.dim;
  let hits = 0;
  let wanted = 0;
  let scanned = 0;
  let queryMs = 0;
  sample.forEach((row, i) => {
    const started = performance.now();
    const result = index.query(queries.subarray(i * dim, (i + 1) * dim), k, {
      probes,
      exclude: (id) => id === row,
    });
    queryMs += performance.now() - started;
    const found = new Set(result.ids);
    for (const id of truth[i]) if (found.has(id)) hits++;
    wanted += truth[i].length;
    scanned += result.scannedFraction;
  });
  return {
    recall: wanted === 0 ? 1 : hits / wanted,
    scanned: scanned / sample.length,
    queryMs: queryMs / sample.length,
  };
}

import { SeededRandom, dot } from '@tunegraph/vectors';
import { prepareUnit } from './hyperplane.family';
import type { LshFamily } from './lsh.family';
import { ProbeHeap } from './probe.heap';

export const CROSS_POLYTOPE_KIND = 3;

/** Rounds of (random signs, Hadamard transform): three make a pseudo-random rotation (Andoni et al. 2015). */
const ROUNDS = 3;
/** Vertices per hash a probe may move to, best first: rank 0 is the hash's own vertex. 4 bits in a probe key. */
const MAX_RANKS = 16;

/**
 * Cross-polytope LSH for cosine similarity (Andoni, Indyk, Laarhoven, Razenshteyn, Schmidt, NeurIPS 2015, as in
 * FALCONN): a hash rotates the vector pseudo-randomly and returns the closest of the 2d vertices ±eᵢ, i.e. the
 * coordinate of largest magnitude with its sign; a table concatenates `hashes` of them. For the same number of
 * candidates it finds more true neighbours than hyperplanes: one hash splits space into 2d cells, not 2.
 *
 * Vectors are stored at unit length. Like the hyperplane thresholds, hashing is data-dependent in one way: the
 * stored vectors' mean is subtracted first, so vectors in a narrow cone (learned embeddings) still spread over
 * all vertices. The dimension is zero-padded to a power of two for the fast Hadamard transform.
 *
 * Probing (multi-probe as for hyperplanes, one global order over all tables): a hash may move from its own
 * vertex to one whose rotated coordinate is close to the largest, at cost (largest − that coordinate)²; bucket
 * keys are visited in ascending sum of costs, generated lazily from a heap.
 */
export class CrossPolytopeFamily implements LshFamily {
  readonly kind = CROSS_POLYTOPE_KIND;
  readonly maxProbes: number;
  readonly codeBits: number;
  readonly padded: number;
  readonly vertexBits: number;
  private readonly ranks: number;
  private readonly rotated: Float32Array;
  /** Per (table, hash): its best vertices for the current query and their costs, ascending. */
  private readonly vertices: Int32Array;
  private readonly costs: Float64Array;
  private readonly heap = new ProbeHeap();
  private readonly popped = new Float64Array(4);

  constructor(
    readonly dim: number,
    readonly tables: number,
    /** Hashes per table; at most maxHashes(dim), so a table's key fits 32 bits. */
    readonly hashes: number,
    /** ±1 per (table, hash, round, padded coordinate). */
    readonly signs: Float32Array,
    /** Subtracted before rotating: the stored vectors' mean once fitted. */
    readonly center: Float32Array = new Float32Array(dim),
  ) {
    this.padded = paddedDimension(dim);
    this.vertexBits = CrossPolytopeFamily.vertexBits(dim);
    this.codeBits = hashes * this.vertexBits;
    this.ranks = Math.min(MAX_RANKS, 2 * this.padded);
    this.maxProbes = tables * (this.ranks ** hashes - 1);
    this.rotated = new Float32Array(this.padded);
    this.vertices = new Int32Array(tables * hashes * this.ranks);
    this.costs = new Float64Array(tables * hashes * this.ranks);
  }

  static random(dim: number, tables: number, hashes: number, seed: number): CrossPolytopeFamily {
    const rng = new SeededRandom(seed);
    const signs = new Float32Array(tables * hashes * ROUNDS * paddedDimension(dim));
    for (let i = 0; i < signs.length; i++) signs[i] = rng.nextFloat() < 0.5 ? -1 : 1;
    return new CrossPolytopeFamily(dim, tables, hashes, signs, new Float32Array(dim));
  }

  /** Bits of one hash's vertex number: 2d vertices, d padded to a power of two. */
  static vertexBits(dim: number): number {
    return Math.log2(2 * paddedDimension(dim));
  }

  /** The most hashes a table of `dim`-dimensional vectors can concatenate in a 32-bit key. */
  static maxHashes(dim: number): number {
    return Math.floor(32 / CrossPolytopeFamily.vertexBits(dim));
  }

  /** Bytes of one hash's per-query probing scratch (its ranked vertices and their costs). */
  static probeScratchBytes(dim: number): number {
    return Math.min(MAX_RANKS, 2 * paddedDimension(dim)) * 12;
  }

  /** Length of the signs array for these parameters (what a snapshot stores). */
  static signsLength(dim: number, tables: number, hashes: number): number {
    return tables * hashes * ROUNDS * paddedDimension(dim);
  }

  get byteLength(): number {
    return (
      this.signs.byteLength +
      this.center.byteLength +
      this.rotated.byteLength +
      this.vertices.byteLength +
      this.costs.byteLength
    );
  }

  prepare(
    source: Float32Array,
    sourceOffset: number,
    target: Float32Array,
    targetOffset: number,
    what: string,
  ): void {
    prepareUnit(source, sourceOffset, target, targetOffset, this.dim, what);
  }

  fit(data: Float32Array, count: number): void {
    const { dim, center } = this;
    if (count === 0) return;
    const sum = new Float64Array(dim);
    for (let row = 0; row < count; row++) for (let i = 0; i < dim; i++) sum[i] += data[row * dim + i];
    for (let i = 0; i < dim; i++) center[i] = sum[i] / count;
  }

  hash(data: Float32Array, offset: number, table: number): number {
    let code = 0;
    for (let h = 0; h < this.hashes; h++) {
      const y = this.rotate(data, offset, table * this.hashes + h);
      let best = 0;
      let largest = -1;
      for (let i = 0; i < y.length; i++) {
        const magnitude = Math.abs(y[i]);
        if (magnitude > largest) {
          largest = magnitude;
          best = y[i] >= 0 ? i : i + y.length;
        }
      }
      code = code * 2 ** this.vertexBits + best;
    }
    return code;
  }

  probeLength(probes: number): number {
    return this.tables + probes;
  }

  probe(query: Float32Array, probes: number, tables: Int32Array, codes: Uint32Array): number {
    const { hashes, ranks, costs, heap, popped } = this;
    for (let t = 0; t < this.tables; t++) {
      for (let h = 0; h < hashes; h++) this.rankVertices(query, t * hashes + h);
      tables[t] = t;
      codes[t] = this.code(t, 0);
    }
    let written = this.tables;
    if (probes === 0) return written;
    // A probe key packs one rank per hash (4 bits each). From key k whose last raised hash is `last`, only hashes
    // from `last` on are raised again: every key is pushed once, and never before a cheaper one.
    heap.clear();
    for (let t = 0; t < this.tables; t++) {
      for (let h = 0; h < hashes; h++) heap.push(costs[(t * hashes + h) * ranks + 1], t, 1 << (4 * h), h);
    }
    const end = this.tables + probes;
    while (written < end && heap.size > 0) {
      heap.pop(popped);
      const score = popped[0];
      const t = popped[1];
      const key = popped[2] | 0;
      tables[written] = t;
      codes[written++] = this.code(t, key);
      for (let h = popped[3]; h < hashes; h++) {
        const rank = (key >>> (4 * h)) & 15;
        if (rank + 1 >= ranks) continue;
        const at = (t * hashes + h) * ranks + rank;
        heap.push(score - costs[at] + costs[at + 1], t, key + (1 << (4 * h)), h);
      }
    }
    return written;
  }

  score(data: Float32Array, offset: number, query: Float32Array): number {
    return dot(data, offset, query, 0, this.dim);
  }

  /** The bucket key of table t with hash h moved to its vertex of rank (key >> 4h) & 15. */
  private code(t: number, key: number): number {
    const { hashes, ranks, vertices } = this;
    let code = 0;
    for (let h = 0; h < hashes; h++) {
      code = code * 2 ** this.vertexBits + vertices[(t * hashes + h) * ranks + ((key >>> (4 * h)) & 15)];
    }
    return code;
  }

  /** Fills the hash's `ranks` best vertices for the query and their costs, ascending (partial insertion sort). */
  private rankVertices(query: Float32Array, hash: number): void {
    const { ranks, vertices, costs } = this;
    const y = this.rotate(query, 0, hash);
    const first = hash * ranks;
    // Values (signed coordinates) are kept in `costs` while ranking, turned into costs at the end.
    let filled = 0;
    for (let v = 0; v < 2 * y.length; v++) {
      const value = v < y.length ? y[v] : -y[v - y.length];
      if (filled === ranks && value <= costs[first + ranks - 1]) continue;
      let pos = filled < ranks ? filled++ : ranks - 1;
      while (pos > 0 && costs[first + pos - 1] < value) {
        costs[first + pos] = costs[first + pos - 1];
        vertices[first + pos] = vertices[first + pos - 1];
        pos--;
      }
      costs[first + pos] = value;
      vertices[first + pos] = v;
    }
    const largest = costs[first];
    for (let r = 0; r < ranks; r++) costs[first + r] = (largest - costs[first + r]) ** 2;
  }

  /** H D₃ H D₂ H D₁ (x − center), zero-padded; the Hadamard transforms are unnormalised (a common scale). */
  private rotate(data: Float32Array, offset: number, hash: number): Float32Array {
    const { dim, padded, rotated: y, signs, center } = this;
    for (let i = 0; i < dim; i++) y[i] = data[offset + i] - center[i];
    y.fill(0, dim);
    for (let round = 0; round < ROUNDS; round++) {
      const s = (hash * ROUNDS + round) * padded;
      // The signs and the first butterfly stage (pairs) in one pass.
      for (let i = 0; i + 1 < padded; i += 2) {
        const a = y[i] * signs[s + i];
        const b = y[i + 1] * signs[s + i + 1];
        y[i] = a + b;
        y[i + 1] = a - b;
      }
      if (padded === 1) y[0] *= signs[s];
      for (let half = 2; half < padded; half <<= 1) {
        for (let i = 0; i < padded; i += half << 1) {
          for (let j = i, end = i + half; j < end; j++) {
            const a = y[j];
            const b = y[j + half];
            y[j] = a + b;
            y[j + half] = a - b;
          }
        }
      }
    }
    return y;
  }
}

function paddedDimension(dim: number): number {
  let padded = 1;
  while (padded < dim) padded <<= 1;
  return padded;
}

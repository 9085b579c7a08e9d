/**
 * What distinguishes one LSH flavour from another: how a vector is stored, hashed, probed and scored.
 * LshEngine does the rest (storage, buckets, maintenance, candidate collection) the same way for all.
 */
export interface LshFamily {
  /** Serialization tag. */
  readonly kind: number;
  readonly dim: number;
  readonly tables: number;
  /** Highest probes value accepted by probe(). */
  readonly maxProbes: number;
  /** Bits a code can use, so bucket tables sort codes in as few radix passes as possible. */
  readonly codeBits: number;
  /** Bytes of the family's own parameters (projections etc.). */
  readonly byteLength: number;
  /** Copies one vector into the stored form (e.g. unit length), throwing LshInputError naming `what` if unusable. */
  prepare(
    source: Float32Array,
    sourceOffset: number,
    target: Float32Array,
    targetOffset: number,
    what: string,
  ): void;
  /** The code of the stored vector at `offset` in one table. */
  hash(data: Float32Array, offset: number, table: number): number;
  /**
   * Fits data-dependent parameters to the `count` stored vectors before a build hashes them (e.g. hyperplane
   * thresholds that split the data evenly). Optional; vectors added later are hashed with the fitted values.
   */
  fit?(data: Float32Array, count: number): void;
  /** Entries probe() may write for `probes` extra buckets. */
  probeLength(probes: number): number;
  /**
   * The buckets a query visits, most promising first: each table's own bucket, then `probes` neighbouring
   * buckets as (table, code) pairs in `tables`/`codes`; returns how many were written.
   */
  probe(query: Float32Array, probes: number, tables: Int32Array, codes: Uint32Array): number;
  /** Exact similarity of a stored vector to a prepared query; higher is better. */
  score(data: Float32Array, offset: number, query: Float32Array): number;
}

/**
 * Writes into `out` the indices of the `count` smallest margins, smallest first (ties: lower index first);
 * returns how many were written. A partial insertion sort: margins has at most 64 entries.
 */
export function smallestMargins(margins: Float64Array, count: number, out: Int32Array): number {
  if (count === 0) return 0;
  let filled = 0;
  for (let j = 0; j < margins.length; j++) {
    if (filled === count && margins[j] >= margins[out[filled - 1]]) continue;
    let pos = filled < count ? filled++ : filled - 1;
    while (pos > 0 && margins[out[pos - 1]] > margins[j]) {
      out[pos] = out[pos - 1];
      pos--;
    }
    out[pos] = j;
  }
  return filled;
}

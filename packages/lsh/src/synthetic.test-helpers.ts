import { SeededRandom, exactKnn } from '@tunegraph/vectors';

/**
 * `count` row-major points around `clusters` Gaussian centres (standard normal), each point its centre plus
 * `spread` times standard normal noise; cluster of each point drawn uniformly. Deterministic in `seed`.
 */
export function gaussianClusters(opts: {
  count: number;
  dim: number;
  clusters: number;
  spread: number;
  seed: number;
}): Float32Array {
  const { count, dim, clusters, spread, seed } = opts;
  const rng = new SeededRandom(seed);
  const centres = new Float32Array(clusters * dim);
  for (let i = 0; i < centres.length; i++) centres[i] = rng.nextGaussian();
  const points = new Float32Array(count * dim);
  for (let p = 0; p < count; p++) {
    const c = rng.nextInt(clusters);
    for (let i = 0; i < dim; i++) points[p * dim + i] = centres[c * dim + i] + spread * rng.nextGaussian();
  }
  return points;
}

/** Row `row` of a row-major matrix, as a copy. */
export function rowOf(matrix: Float32Array, dim: number, row: number): Float32Array {
  return matrix.slice(row * dim, (row + 1) * dim);
}

/** Exact cosine top-k ids (excluding the query row itself) for each query row. */
export function exactNeighbours(
  matrix: Float32Array,
  dim: number,
  queryRows: number[],
  k: number,
): Int32Array[] {
  return queryRows.map(
    (row) => exactKnn(matrix, dim, rowOf(matrix, dim, row), k, { exclude: (id) => id === row }).ids,
  );
}

/** Mean fraction of the exact neighbours that were found. */
export function meanRecall(found: Int32Array[], exact: Int32Array[]): number {
  let sum = 0;
  found.forEach((ids, q) => {
    const truth = new Set(exact[q]);
    let hits = 0;
    for (const id of ids) if (truth.has(id)) hits++;
    sum += hits / exact[q].length;
  });
  return sum / found.length;
}

/** `count` unit-length rows: standard normal components, each shifted by `shift` first (a narrow cone when large). */
export function unitRows(count: number, dim: number, seed: number, shift = 0): Float32Array {
  const rng = new SeededRandom(seed);
  const data = Float32Array.from({ length: count * dim }, () => shift + rng.nextGaussian());
  for (let r = 0; r < count; r++) {
    let norm = 0;
    for (let i = 0; i < dim; i++) norm += data[r * dim + i] ** 2;
    for (let i = 0; i < dim; i++) data[r * dim + i] /= Math.sqrt(norm);
  }
  return data;
}

import { SeededRandom } from '@tunegraph/vectors';
import {
  createHnswIndex,
  finishAndActivate,
  startVersion,
  toSparseLiteral,
  toVectorLiteral,
  type Sql,
} from '@tunegraph/service-kit';

export const songId = (i: number) => `SO${String(i).padStart(16, '0')}`;

export interface ClusteredSeed {
  versionId: number;
  version: number;
  dim: number;
  /** Cluster of song i. */
  clusterOf: number[];
  vectors: Float32Array;
}

/** Catalog rows for songs 0..count-1 (embeddings reference songs). */
export async function seedSongs(sql: Sql, count: number): Promise<void> {
  await sql`INSERT INTO artists (id, name) VALUES ('AR0000000000000001', 'Test Artist') ON CONFLICT DO NOTHING`;
  const rows = Array.from({ length: count }, (_, i) => ({
    id: songId(i),
    title: `Song ${i}`,
    artist_id: 'AR0000000000000001',
  }));
  for (let i = 0; i < rows.length; i += 1000) {
    await sql`INSERT INTO songs ${sql(rows.slice(i, i + 1000), 'id', 'title', 'artist_id')} ON CONFLICT DO NOTHING`;
  }
}

/**
 * An active `als` version: `count` songs in `clusters` tight clusters around random unit centres (noise 0.05 per
 * coordinate), indexed with HNSW. Songs whose index is in `skip` get no vector.
 */
export async function seedDenseVersion(
  sql: Sql,
  opts: { count: number; clusters: number; dim: number; seed: number; skip?: Set<number> },
): Promise<ClusteredSeed> {
  const rng = new SeededRandom(opts.seed);
  const centres = Array.from({ length: opts.clusters }, () =>
    Array.from({ length: opts.dim }, () => rng.nextGaussian()),
  );
  const vectors = new Float32Array(opts.count * opts.dim);
  const clusterOf: number[] = [];
  for (let i = 0; i < opts.count; i++) {
    const c = i % opts.clusters;
    clusterOf.push(c);
    for (let d = 0; d < opts.dim; d++) vectors[i * opts.dim + d] = centres[c][d] + 0.05 * rng.nextGaussian();
  }
  const row = await startVersion(sql, 'als', { seeded: true });
  const records = [];
  for (let i = 0; i < opts.count; i++) {
    if (opts.skip?.has(i)) continue;
    records.push({
      model_version_id: row.id,
      song_id: songId(i),
      embedding: toVectorLiteral(vectors.subarray(i * opts.dim, (i + 1) * opts.dim)),
    });
  }
  for (let i = 0; i < records.length; i += 500) {
    await sql`INSERT INTO song_embeddings ${sql(records.slice(i, i + 500), 'model_version_id', 'song_id', 'embedding')}`;
  }
  await createHnswIndex(sql, { versionId: row.id, kind: 'dense', dim: opts.dim });
  await finishAndActivate(sql, row.id, { dim: opts.dim, metrics: {} });
  return { versionId: row.id, version: row.version, dim: opts.dim, clusterOf, vectors };
}

/**
 * An active `tfidf` version over a `dim`-term vocabulary: song i uses terms of its topic (i % topics), 5 of 8 each.
 * Only the listed songs get a vector (the others have no lyrics).
 */
export async function seedSparseVersion(
  sql: Sql,
  opts: { songs: number[]; topics: number; dim: number; seed: number },
): Promise<{ versionId: number }> {
  const rng = new SeededRandom(opts.seed);
  const row = await startVersion(sql, 'tfidf', { seeded: true });
  const records = opts.songs.map((i) => {
    const base = (i % opts.topics) * 8;
    const terms = [...new Set(Array.from({ length: 5 }, () => base + rng.nextInt(8)))].sort((a, b) => a - b);
    const weights = terms.map(() => 0.5 + rng.nextFloat());
    return {
      model_version_id: row.id,
      song_id: songId(i),
      embedding: toSparseLiteral(terms, weights, opts.dim),
    };
  });
  await sql`INSERT INTO song_sparse_embeddings ${sql(records, 'model_version_id', 'song_id', 'embedding')}`;
  await createHnswIndex(sql, { versionId: row.id, kind: 'sparse', dim: opts.dim });
  await finishAndActivate(sql, row.id, { dim: opts.dim, metrics: {} });
  return { versionId: row.id };
}

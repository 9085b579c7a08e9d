import { SeededRandom } from '@tunegraph/vectors';
import { finishAndActivate, startVersion, toVectorLiteral, type Sql } from '@tunegraph/service-kit';

export const songId = (i: number) => `SO${String(i).padStart(16, '0')}`;

/**
 * An active `als` version of `count` songs in `clusters` clusters around random Gaussian centres, each coordinate
 * perturbed by `noise` standard deviations (catalog rows created as needed). Returns the vectors, row i = song i.
 */
export async function seedAlsVersion(
  sql: Sql,
  opts: { count: number; clusters: number; dim: number; noise: number; seed: number },
): Promise<{ version: number; vectors: Float32Array }> {
  const rng = new SeededRandom(opts.seed);
  const centres = Array.from({ length: opts.clusters }, () =>
    Array.from({ length: opts.dim }, () => rng.nextGaussian()),
  );
  const vectors = new Float32Array(opts.count * opts.dim);
  for (let i = 0; i < opts.count; i++) {
    const centre = centres[i % opts.clusters];
    for (let d = 0; d < opts.dim; d++)
      vectors[i * opts.dim + d] = centre[d] + opts.noise * rng.nextGaussian();
  }
  await sql`INSERT INTO artists (id, name) VALUES ('AR0000000000000001', 'Test Artist') ON CONFLICT DO NOTHING`;
  const row = await startVersion(sql, 'als', { seeded: true });
  for (let start = 0; start < opts.count; start += 500) {
    const ids = Array.from({ length: Math.min(500, opts.count - start) }, (_, j) => start + j);
    const songs = ids.map((i) => ({ id: songId(i), title: `Song ${i}`, artist_id: 'AR0000000000000001' }));
    await sql`INSERT INTO songs ${sql(songs, 'id', 'title', 'artist_id')} ON CONFLICT DO NOTHING`;
    const records = ids.map((i) => ({
      model_version_id: row.id,
      song_id: songId(i),
      embedding: toVectorLiteral(vectors.subarray(i * opts.dim, (i + 1) * opts.dim)),
    }));
    await sql`INSERT INTO song_embeddings ${sql(records, 'model_version_id', 'song_id', 'embedding')}`;
  }
  await finishAndActivate(sql, row.id, { dim: opts.dim, metrics: {} });
  return { version: row.version, vectors };
}

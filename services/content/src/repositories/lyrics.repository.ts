import {
  copyRows,
  toSparseLiteral,
  toVectorLiteral,
  type BulkTarget,
  type CopyValue,
  type Sql,
} from '@tunegraph/service-kit';
import type { SparseDoc } from '@tunegraph/tfidf';

export const TFIDF_MODEL = 'tfidf';

/** A song's bag of words is the sum over its tracks' lyrics; `only` limits it to those songs. */
export async function loadSongBags(
  sql: Sql,
  only?: string[],
): Promise<{ songIds: string[]; docs: SparseDoc[]; vocabularySize: number }> {
  const [{ size }] = await sql<{ size: number }[]>`SELECT COALESCE(MAX(idx) + 1, 0)::int AS size FROM stems`;
  const songIds: string[] = [];
  const docs: SparseDoc[] = [];
  const songFilter = only ? sql`WHERE t.song_id = ANY(${only}::text[])` : sql``;
  await sql<{ song_id: string; terms: number[]; counts: number[] }[]>`
    SELECT song_id, array_agg(stem_idx ORDER BY stem_idx) AS terms, array_agg(total ORDER BY stem_idx) AS counts
    FROM (SELECT t.song_id, l.stem_idx, SUM(l.count)::int AS total
          FROM lyrics l JOIN tracks t ON t.id = l.track_id ${songFilter} GROUP BY t.song_id, l.stem_idx) bag
    GROUP BY song_id ORDER BY song_id`.cursor(2000, (rows) => {
    for (const r of rows) {
      docs.push({ id: songIds.length, terms: Int32Array.from(r.terms), counts: Float32Array.from(r.counts) });
      songIds.push(r.song_id);
    }
  });
  return { songIds, docs, vocabularySize: size };
}

export async function lyricTracksWithoutSong(sql: Sql): Promise<number> {
  const [{ n }] = await sql<{ n: number }[]>`
    SELECT count(DISTINCT track_id)::int AS n FROM lyrics l WHERE NOT EXISTS (SELECT 1 FROM tracks t WHERE t.id = l.track_id)`;
  return n;
}

export async function writeSparseVectors(
  target: BulkTarget,
  versionId: number,
  rows: { songId: string; terms: Int32Array; weights: Float32Array }[],
  dim: number,
): Promise<number> {
  // Literals are built one chunk at a time, so the text of every vector never sits in memory at once.
  function* chunks(): Generator<CopyValue[][]> {
    for (let i = 0; i < rows.length; i += 2000) {
      yield rows
        .slice(i, i + 2000)
        .map((r) => [versionId, r.songId, toSparseLiteral(r.terms, r.weights, dim)]);
    }
  }
  return copyRows(target, 'song_sparse_embeddings', ['model_version_id', 'song_id', 'embedding'], chunks());
}

export async function writeDenseVectors(
  target: BulkTarget,
  versionId: number,
  rows: { songId: string; vector: Float32Array }[],
): Promise<number> {
  function* chunks(): Generator<CopyValue[][]> {
    for (let i = 0; i < rows.length; i += 2000) {
      yield rows.slice(i, i + 2000).map((r) => [versionId, r.songId, toVectorLiteral(r.vector)]);
    }
  }
  return copyRows(target, 'song_embeddings', ['model_version_id', 'song_id', 'embedding'], chunks());
}

/** Inserts or replaces the vectors of a few songs in an existing version (cold start). */
export async function upsertVectors(
  sql: Sql,
  versionId: number,
  rows: { songId: string; literal: string }[],
  kind: 'dense' | 'sparse',
): Promise<void> {
  const table = kind === 'dense' ? 'song_embeddings' : 'song_sparse_embeddings';
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows
      .slice(i, i + 500)
      .map((r) => ({ model_version_id: versionId, song_id: r.songId, embedding: r.literal }));
    await sql`
      INSERT INTO ${sql(table)} ${sql(chunk, 'model_version_id', 'song_id', 'embedding')}
      ON CONFLICT (model_version_id, song_id) DO UPDATE SET embedding = EXCLUDED.embedding`;
  }
}

export async function saveArtifact(sql: Sql, versionId: number, artifact: Buffer): Promise<void> {
  await sql`INSERT INTO model_artifacts (model_version_id, artifact) VALUES (${versionId}, ${artifact})`;
}

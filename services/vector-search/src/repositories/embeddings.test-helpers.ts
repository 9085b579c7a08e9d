import { SeededRandom } from '@tunegraph/vectors';
import { expect } from 'vitest';
import {
  createHnswIndex,
  createVectorIndexes,
  finishAndActivate,
  startVersion,
  toSparseLiteral,
  toVectorLiteral,
  AppError,
  type Sql,
} from '@tunegraph/service-kit';

import { insertPlays } from '@tunegraph/service-kit/testing';
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
 * An active dense version (model `als` unless named): `count` songs in `clusters` clusters around random centres
 * (noise `noise`, default 0.05, per coordinate), indexed with HNSW and IVFFlat (`lists`, default from the row
 * count; `hnswOnly` leaves IVFFlat out). Songs whose index is in `skip` get no vector.
 */
export async function seedDenseVersion(
  sql: Sql,
  opts: {
    count: number;
    clusters: number;
    dim: number;
    seed: number;
    skip?: Set<number>;
    model?: string;
    noise?: number;
    lists?: number;
    hnswOnly?: boolean;
  },
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
    for (let d = 0; d < opts.dim; d++)
      vectors[i * opts.dim + d] = centres[c][d] + (opts.noise ?? 0.05) * rng.nextGaussian();
  }
  const row = await startVersion(sql, opts.model ?? 'als', { seeded: true });
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
  if (opts.hnswOnly) await createHnswIndex(sql, { versionId: row.id, kind: 'dense', dim: opts.dim });
  else await createVectorIndexes(sql, { versionId: row.id, kind: 'dense', dim: opts.dim, lists: opts.lists });
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
  await createVectorIndexes(sql, { versionId: row.id, kind: 'sparse', dim: opts.dim });
  await finishAndActivate(sql, row.id, { dim: opts.dim, metrics: {} });
  return { versionId: row.id };
}

export const artistId = (i: number) => `AR${String(i).padStart(16, '0')}`;

/** What seedCatalogMetadata gave song i, to check filtered answers against. */
export interface SongMeta {
  artist: number;
  year: number | null;
  /** Lower-cased tags of the song and of its artist. */
  tags: Set<string>;
  playedByU1: boolean;
}

export const USER = 'U1';

/**
 * Metadata for songs 0..count-1 (after seedSongs): artist i % artists, year 1950 + (i * 7) % 60 (unknown for every
 * 50th song), Last.fm-like song tags ('Rock' on every 5th song, 'jazz' on every 7th), an Echo Nest term 'Blues' on
 * artist 3, and user U1 who played every 4th song.
 */
export async function seedCatalogMetadata(sql: Sql, count: number, artists: number): Promise<SongMeta[]> {
  await sql`INSERT INTO artists ${sql(
    Array.from({ length: artists }, (_, a) => ({ id: artistId(a), name: `Artist ${a}` })),
    'id',
    'name',
  )} ON CONFLICT DO NOTHING`;
  await sql`INSERT INTO artist_tags (artist_id, source, tag) VALUES (${artistId(3)}, 'echonest', 'Blues')`;
  await sql`INSERT INTO users (id) VALUES (${USER})`;
  const meta: SongMeta[] = [];
  const songRows: { id: string; artist_id: string; year: number | null }[] = [];
  const tagRows: { song_id: string; source: string; tag: string }[] = [];
  const playRows: { user_id: string; song_id: string; count: number }[] = [];
  for (let i = 0; i < count; i++) {
    const artist = i % artists;
    const year = i % 50 === 0 ? null : 1950 + ((i * 7) % 60);
    const tags = new Set<string>(artist === 3 ? ['blues'] : []);
    const songTags = [...(i % 5 === 0 ? ['Rock'] : []), ...(i % 7 === 0 ? ['jazz'] : [])];
    for (const tag of songTags) {
      tagRows.push({ song_id: songId(i), source: 'lastfm', tag });
      tags.add(tag.toLowerCase());
    }
    if (i % 4 === 0) playRows.push({ user_id: USER, song_id: songId(i), count: 1 });
    songRows.push({ id: songId(i), artist_id: artistId(artist), year });
    meta.push({ artist, year, tags, playedByU1: i % 4 === 0 });
  }
  await sql`UPDATE songs SET artist_id = v.artist_id, year = v.year
    FROM unnest(${songRows.map((r) => r.id)}::text[], ${songRows.map((r) => r.artist_id)}::text[],
      ${songRows.map((r) => r.year)}::int[]) AS v(id, artist_id, year)
    WHERE songs.id = v.id`;
  for (let i = 0; i < tagRows.length; i += 1000) {
    await sql`INSERT INTO song_tags ${sql(tagRows.slice(i, i + 1000), 'song_id', 'source', 'tag')}`;
  }
  await insertPlays(sql, playRows);
  return meta;
}

/** Awaits a promise that must fail with an AppError of this code and a message matching `message`. */
export async function expectError(promise: Promise<unknown>, code: string, message: RegExp) {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  expect((err as AppError).message).toMatch(message);
}

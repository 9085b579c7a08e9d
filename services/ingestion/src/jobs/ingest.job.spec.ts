import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { repoRoot } from '@tunegraph/service-kit';
import { recordingBus, startTestDatabase, type TestDatabase } from '@tunegraph/service-kit/testing';
import { ingestFiles, type IngestSummary } from './ingest.job';

/** Real MSD-family files, loaded into a real database (PostgreSQL + pgvector in CI, else PGlite). */
const MSD = process.env.MSD_DATA_DIR ?? path.resolve(repoRoot(), '../shared/data/msd');
const FILES = [
  'metadata/subset_unique_tracks.txt',
  'metadata/songlist20k.unique_tracks_format.latin1.txt.gz',
  'plays/subset_songs.top10000users_triplets.txt.gz',
  'plays/train_triplets.head5000.txt',
  'lyrics/mxm_dataset_train.head.txt',
  'lyrics/mxm_reverse_mapping.txt',
  'SOURCES.md',
].map((f) => path.join(MSD, f));

const logger = pino({ level: 'silent' });
const bus = recordingBus();
const lyricsEvents = () => bus.published.filter((p) => p.topic === 'lyrics.stored');
const TABLES = ['artists', 'songs', 'tracks', 'users', 'plays', 'stems', 'lyrics', 'quarantine'] as const;

describe('ingestFiles on the real MSD samples', () => {
  let db: TestDatabase;
  let first: IngestSummary;
  const counts = async () => {
    const out: Record<string, number> = {};
    for (const t of TABLES) out[t] = Number((await db.sql.unsafe(`SELECT count(*) AS n FROM ${t}`))[0].n);
    return out;
  };
  const byFile = (s: IngestSummary, name: string) => s.files.find((f) => f.source.endsWith(name))!;

  beforeAll(async () => {
    db = await startTestDatabase();
    first = await ingestFiles({ sql: db.sql, logger, bus }, FILES);
  }, 600_000);

  afterAll(async () => {
    await db?.stop();
  });

  it('loads every file with the expected records, quarantines and encodings', () => {
    const summary = (name: string) => {
      const f = byFile(first, name);
      return [f.format, f.status, f.records, f.rejected, f.encoding];
    };
    expect(summary('subset_unique_tracks.txt')).toEqual(['unique-tracks', 'loaded', 10_000, 0, 'utf-8']);
    expect(summary('songlist20k.unique_tracks_format.latin1.txt.gz')).toEqual([
      'unique-tracks',
      'loaded',
      20_001,
      0,
      'latin1',
    ]);
    expect(summary('subset_songs.top10000users_triplets.txt.gz')).toEqual([
      'triplets',
      'loaded',
      39_017,
      0,
      'utf-8',
    ]);
    expect(summary('train_triplets.head5000.txt')).toEqual(['triplets', 'loaded', 5_000, 0, 'utf-8']);
    expect(summary('mxm_dataset_train.head.txt')).toEqual(['mxm-bow', 'loaded', 114, 1, 'utf-8']);
    expect(summary('mxm_reverse_mapping.txt')).toEqual(['mxm-reverse-mapping', 'loaded', 5_000, 0, 'utf-8']);
    const notes = byFile(first, 'SOURCES.md');
    expect(notes.status).toBe('unsupported');
    expect(notes.message).toMatch(/fit none of the MSD formats/);
  });

  it('fills the catalog, plays and lyrics, and quarantines the cut-off lyric record with its line and reason', async () => {
    const c = await counts();
    expect(c).toEqual(EXPECTED_COUNTS);
    // play_counts has no foreign keys: both its load paths (the first file bulk, the second merged) add its users and
    // songs. Checked on the table: the plays view joins them, so it cannot show a play without its user or song.
    const [orphans] = await db.sql<{ users: number; songs: number }[]>`SELECT
      (SELECT count(*) FROM play_counts p WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.idx = p.user_idx))::int AS users,
      (SELECT count(*) FROM play_counts p WHERE NOT EXISTS (SELECT 1 FROM songs s WHERE s.idx = p.song_idx))::int AS songs`;
    expect(orphans).toEqual({ users: 0, songs: 0 });
    const [q] = await db.sql<{ line_no: string; reason: string }[]>`SELECT line_no, reason FROM quarantine`;
    expect(Number(q.line_no)).toBe(133);
    expect(q.reason).toMatch(/truncated/);
    const [song] = await db.sql<{ title: string; name: string }[]>`
      SELECT s.title, a.name FROM songs s JOIN artists a ON a.id = s.artist_id WHERE s.id = 'SOMZWCG12A8C13C480'`;
    expect(song).toEqual({ title: "I Didn't Mean To", name: 'Casual' });
    const latin = await db.sql`SELECT 1 FROM artists WHERE name = 'Björk'`;
    expect(latin.length).toBe(1);
  });

  it('announces every song whose lyrics were stored on lyrics.stored, once', async () => {
    const events = lyricsEvents();
    expect(events).toHaveLength(1);
    const songIds = events[0].values.flatMap((v) => (v as { songIds: string[] }).songIds);
    expect(new Set(songIds).size).toBe(songIds.length);
    const [{ n }] = await db.sql<{ n: number }[]>`
      SELECT count(DISTINCT t.song_id)::int AS n FROM lyrics l JOIN tracks t ON t.id = l.track_id`;
    expect(songIds.length).toBe(n);
    expect(n).toBe(114);
  });

  it('changes nothing when the same files are loaded again, skipped or forced', async () => {
    const before = await counts();
    const again = await ingestFiles({ sql: db.sql, logger, bus }, FILES);
    expect(again.files.filter((f) => f.status !== 'unsupported').every((f) => f.status === 'unchanged')).toBe(
      true,
    );
    const state = async () =>
      db.sql`SELECT
        (SELECT md5(string_agg(id || title || artist_id, ',' ORDER BY id)) FROM songs) AS songs,
        (SELECT md5(string_agg(id || song_id, ',' ORDER BY id)) FROM tracks) AS tracks,
        (SELECT md5(string_agg(user_id || song_id || count, ',' ORDER BY user_id, song_id)) FROM plays) AS plays,
        (SELECT md5(string_agg(track_id || stem_idx || count, ',' ORDER BY track_id, stem_idx)) FROM lyrics) AS lyrics,
        (SELECT md5(string_agg(stem || coalesce(word, ''), ',' ORDER BY idx)) FROM stems) AS stems`;
    const stateBefore = await state();
    const forced = await ingestFiles({ sql: db.sql, logger, bus }, FILES, { force: true });
    // Unchanged lyrics are not announced again.
    expect(lyricsEvents()).toHaveLength(1);
    // Two metadata files disagree on a few songs; a forced reload re-applies each in turn and ends where it was.
    expect(forced.changed).toBeLessThan(20);
    expect(await counts()).toEqual(before);
    expect(await state()).toEqual(stateBefore);
  });
});

/**
 * Measured: 29,808 distinct tracks across the two metadata files and the lyrics; songs include the plays' songs that
 * no metadata file names (kept as catalog entries under the unknown artist); plays are 39,017 + 5,000 distinct pairs.
 */
const EXPECTED_COUNTS = {
  artists: 7_900,
  songs: 32_196,
  tracks: 29_808,
  users: 10_092,
  plays: 44_017,
  stems: 5_000,
  lyrics: 9_807,
  quarantine: 1,
};

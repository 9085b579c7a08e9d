import type { CopyValue, Sql } from '@tunegraph/service-kit';
import type { AnyMsdFile } from '@tunegraph/msd-formats';
import { UNKNOWN_ARTIST } from '../catalog-ids';
import { copyIntoEmptyTable } from './empty-table.bulk';
import type { FormatLoader } from './loader.types';

const COLUMNS = ['track_id', 'stem_idx', 'count'];

/**
 * Makes every track of `tracks` (a query with a track_id column) a catalog track; one that no loaded file bridges
 * to a song becomes a song of its own. Returns the songs added.
 */
async function addLyricsTracks(sql: Sql, tracks: string): Promise<number> {
  await sql`INSERT INTO artists (id, name) VALUES (${UNKNOWN_ARTIST.id}, ${UNKNOWN_ARTIST.name}) ON CONFLICT DO NOTHING`;
  const songs = await sql.unsafe(
    `INSERT INTO songs (id, title, artist_id, search)
     SELECT s.track_id, s.track_id, $1, to_tsvector('simple', s.track_id) FROM (${tracks}) s
     WHERE NOT EXISTS (SELECT 1 FROM tracks t WHERE t.id = s.track_id)
     ON CONFLICT (id) DO NOTHING`,
    [UNKNOWN_ARTIST.id],
  );
  await sql.unsafe(
    `INSERT INTO tracks (id, song_id) SELECT track_id, track_id FROM (${tracks}) s ON CONFLICT (id) DO NOTHING`,
  );
  return songs.count;
}

/**
 * Lyrics are keyed by track. A track no metadata file bridges to a song still becomes a catalog entry (a song whose
 * id is the track id), so its lyrics can be queried and recommended.
 */
export const mxmBowLoader: FormatLoader<'mxm-bow'> = {
  format: 'mxm-bow',
  stageColumns: 'track_id text, stem_idx int, count int',
  columns: COLUMNS,
  toRows(l) {
    const rows: CopyValue[][] = [];
    for (let i = 0; i < l.stems.length; i++) rows.push([l.trackId, l.stems[i], l.counts[i]]);
    return rows;
  },
  async prepare(sql: Sql, file: AnyMsdFile) {
    const vocabulary = file.info.vocabulary ?? [];
    const existing = await sql<{ idx: number; stem: string }[]>`SELECT idx, stem FROM stems`;
    for (const { idx, stem } of existing) {
      if (idx < vocabulary.length && vocabulary[idx] !== stem) {
        throw new Error(
          `${file.info.path}: stem ${idx} is '${vocabulary[idx]}' here but '${stem}' in the database`,
        );
      }
    }
    if (existing.length >= vocabulary.length) return;
    const rows = vocabulary.map((stem, idx) => ({ idx, stem }));
    for (let i = 0; i < rows.length; i += 5000) {
      await sql`INSERT INTO stems ${sql(rows.slice(i, i + 5000), 'idx', 'stem')} ON CONFLICT (idx) DO NOTHING`;
    }
  },
  async merge(sql: Sql, stage: string) {
    const songs = await addLyricsTracks(sql, `SELECT DISTINCT track_id FROM ${stage}`);
    // A stem a track lists twice in the file keeps its last count (staged rows keep file order within a file).
    // The songs whose lyrics changed, for the lyrics.stored event (content models embed them at once).
    const lyrics = await sql.unsafe<{ song_id: string; rows: number }[]>(`
      WITH changed AS (
        INSERT INTO lyrics (track_id, stem_idx, count)
        SELECT DISTINCT ON (track_id, stem_idx) track_id, stem_idx, count FROM ${stage}
        ORDER BY track_id, stem_idx, ctid DESC
        ON CONFLICT (track_id, stem_idx) DO UPDATE SET count = EXCLUDED.count WHERE lyrics.count <> EXCLUDED.count
        RETURNING track_id)
      SELECT t.song_id, count(*)::int AS rows FROM changed c JOIN tracks t ON t.id = c.track_id GROUP BY t.song_id`);
    const rows = lyrics.reduce((sum, r) => sum + r.rows, 0);
    return { changed: songs + rows, lyricsSongIds: lyrics.map((r) => r.song_id) };
  },
  async bulkLoad(tx: Sql, rows) {
    const inserted = await copyIntoEmptyTable(tx, 'lyrics', COLUMNS, rows, {
      // A track's stem listed twice (the track twice in the file): the last count stands, as in the staged merge.
      mergeDuplicates: async () => {
        await tx`CREATE TEMP TABLE lyrics_last ON COMMIT DROP AS
          SELECT DISTINCT ON (track_id, stem_idx) track_id, stem_idx, count FROM lyrics
          ORDER BY track_id, stem_idx, ctid DESC`;
        await tx`DELETE FROM lyrics`;
        return (await tx`INSERT INTO lyrics (track_id, stem_idx, count) SELECT * FROM lyrics_last`).count;
      },
    });
    if (inserted === undefined) return undefined;
    // The new key holds the track ids in order: each distinct list is one index-only scan.
    await tx`SET LOCAL enable_hashagg = off`;
    const tracks = 'SELECT DISTINCT track_id FROM lyrics';
    const songs = await addLyricsTracks(tx, tracks);
    const lyricsSongIds = await tx.unsafe<{ song_id: string }[]>(
      `SELECT DISTINCT t.song_id FROM (${tracks}) l JOIN tracks t ON t.id = l.track_id`,
    );
    await tx`SET LOCAL enable_hashagg TO DEFAULT`;
    return { changed: songs + inserted, lyricsSongIds: lyricsSongIds.map((r) => r.song_id) };
  },
};

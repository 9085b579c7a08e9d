import type { CopyValue, Sql } from '@tunegraph/service-kit';
import type { AnyMsdFile } from '@tunegraph/msd-formats';
import { UNKNOWN_ARTIST } from '../catalog-ids';
import type { FormatLoader } from './loader.types';

/**
 * Lyrics are keyed by track. A track no metadata file bridges to a song still becomes a catalog entry (a song whose
 * id is the track id), so its lyrics can be queried and recommended.
 */
export const mxmBowLoader: FormatLoader<'mxm-bow'> = {
  format: 'mxm-bow',
  stageColumns: 'track_id text, stem_idx int, count int',
  columns: ['track_id', 'stem_idx', 'count'],
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
    await sql`INSERT INTO artists (id, name) VALUES (${UNKNOWN_ARTIST.id}, ${UNKNOWN_ARTIST.name}) ON CONFLICT DO NOTHING`;
    const songs = await sql.unsafe(
      `INSERT INTO songs (id, title, artist_id, search)
       SELECT DISTINCT s.track_id, s.track_id, $1, to_tsvector('simple', s.track_id) FROM ${stage} s
       WHERE NOT EXISTS (SELECT 1 FROM tracks t WHERE t.id = s.track_id)
       ON CONFLICT (id) DO NOTHING`,
      [UNKNOWN_ARTIST.id],
    );
    await sql.unsafe(`
      INSERT INTO tracks (id, song_id)
      SELECT DISTINCT track_id, track_id FROM ${stage} ON CONFLICT (id) DO NOTHING`);
    const lyrics = await sql.unsafe(`
      INSERT INTO lyrics (track_id, stem_idx, count)
      SELECT track_id, stem_idx, count FROM ${stage}
      ON CONFLICT (track_id, stem_idx) DO UPDATE SET count = EXCLUDED.count WHERE lyrics.count <> EXCLUDED.count`);
    return { changed: songs.count + lyrics.count };
  },
};

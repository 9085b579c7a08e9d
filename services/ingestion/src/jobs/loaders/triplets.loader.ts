import type { Sql } from '@tunegraph/service-kit';
import { UNKNOWN_ARTIST } from '../catalog-ids';
import type { FormatLoader } from './loader.types';

/** Play counts are snapshots: a pair's count is the file's (summed within the file), so a rerun changes nothing. */
export const tripletsLoader: FormatLoader<'triplets'> = {
  format: 'triplets',
  stageColumns: 'user_id text, song_id text, count int',
  columns: ['user_id', 'song_id', 'count'],
  toRows: (t) => [[t.userId, t.songId, t.count]],
  async merge(sql: Sql, stage: string) {
    await sql`INSERT INTO artists (id, name) VALUES (${UNKNOWN_ARTIST.id}, ${UNKNOWN_ARTIST.name}) ON CONFLICT DO NOTHING`;
    const songs = await sql.unsafe(
      `INSERT INTO songs (id, title, artist_id, search)
       SELECT DISTINCT song_id, song_id, $1, to_tsvector('simple', song_id) FROM ${stage}
       ON CONFLICT (id) DO NOTHING`,
      [UNKNOWN_ARTIST.id],
    );
    const users = await sql.unsafe(`INSERT INTO users (id) SELECT DISTINCT user_id FROM ${stage} ON CONFLICT DO NOTHING`);
    const plays = await sql.unsafe(`
      INSERT INTO plays (user_id, song_id, count)
      SELECT user_id, song_id, SUM(count) FROM ${stage} GROUP BY user_id, song_id
      ON CONFLICT (user_id, song_id) DO UPDATE SET count = EXCLUDED.count, updated_at = now()
      WHERE plays.count <> EXCLUDED.count`);
    return { changed: songs.count + users.count + plays.count };
  },
};

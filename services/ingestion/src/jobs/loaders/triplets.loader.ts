import type { Sql } from '@tunegraph/service-kit';
import { UNKNOWN_ARTIST } from '../catalog-ids';
import { copyIntoEmptyTable } from './empty-table.bulk';
import type { FormatLoader } from './loader.types';

/** Songs and users the plays name that the catalog lacks; `from` is a table with user_id and song_id. */
async function addMissingUsersAndSongs(sql: Sql, from: string): Promise<number> {
  await sql`INSERT INTO artists (id, name) VALUES (${UNKNOWN_ARTIST.id}, ${UNKNOWN_ARTIST.name}) ON CONFLICT DO NOTHING`;
  const songs = await sql.unsafe(
    `INSERT INTO songs (id, title, artist_id, search)
     SELECT song_id, song_id, $1, to_tsvector('simple', song_id) FROM (SELECT DISTINCT song_id FROM ${from}) s
     ON CONFLICT (id) DO NOTHING`,
    [UNKNOWN_ARTIST.id],
  );
  const users = await sql.unsafe(
    `INSERT INTO users (id) SELECT DISTINCT user_id FROM ${from} ON CONFLICT DO NOTHING`,
  );
  return songs.count + users.count;
}

const COLUMNS = ['user_id', 'song_id', 'count'];

/** Play counts are snapshots: a pair's count is the file's (summed within the file), so a rerun changes nothing. */
export const tripletsLoader: FormatLoader<'triplets'> = {
  format: 'triplets',
  stageColumns: 'user_id text COLLATE "C", song_id text COLLATE "C", count int',
  columns: COLUMNS,
  toRows: (t) => [[t.userId, t.songId, t.count]],
  async merge(sql: Sql, stage: string) {
    const added = await addMissingUsersAndSongs(sql, stage);
    const plays = await sql.unsafe(`
      INSERT INTO plays (user_id, song_id, count)
      SELECT user_id, song_id, SUM(count) FROM ${stage} GROUP BY user_id, song_id
      ON CONFLICT (user_id, song_id) DO UPDATE SET count = EXCLUDED.count, updated_at = now()
      WHERE plays.count <> EXCLUDED.count`);
    return { changed: added + plays.count };
  },
  async bulkLoad(tx: Sql, rows) {
    let added = 0;
    const inserted = await copyIntoEmptyTable(tx, 'plays', COLUMNS, rows, {
      // A pair listed twice in the file: its counts add up, as in the staged merge.
      mergeDuplicates: async () => {
        await tx`CREATE TEMP TABLE plays_summed ON COMMIT DROP AS
          SELECT user_id, song_id, SUM(count)::int AS count FROM plays GROUP BY user_id, song_id`;
        await tx`DELETE FROM plays`;
        return (await tx`INSERT INTO plays (user_id, song_id, count) SELECT * FROM plays_summed`).count;
      },
      // Every user and song the plays name (plays has no foreign keys: this keeps its references). The new key and
      // song index hold the ids in order and the frozen pages are all-visible: each distinct list is one index-only
      // scan, no hashing of every row.
      beforeForeignKeys: async () => {
        await tx`SET LOCAL enable_hashagg = off`;
        added = await addMissingUsersAndSongs(tx, 'plays');
        await tx`SET LOCAL enable_hashagg TO DEFAULT`;
      },
    });
    return inserted === undefined ? undefined : { changed: added + inserted };
  },
};

import { copyRows, withKeysDeferred, type Sql } from '@tunegraph/service-kit';
import { UNKNOWN_ARTIST } from '../catalog-ids';
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

/**
 * Hash aggregates over millions of staged rows spill to disk at the default 4 MB, and a rebuilt plays key is a sort
 * of every row: in memory, not in spilled runs (the machine has the room).
 */
async function roomToAggregate(sql: Sql) {
  await sql`SET LOCAL work_mem = '256MB'`;
  await sql`SET LOCAL maintenance_work_mem = '1GB'`;
}

/** Play counts are snapshots: a pair's count is the file's (summed within the file), so a rerun changes nothing. */
export const tripletsLoader: FormatLoader<'triplets'> = {
  format: 'triplets',
  stageColumns: 'user_id text COLLATE "C", song_id text COLLATE "C", count int',
  columns: ['user_id', 'song_id', 'count'],
  toRows: (t) => [[t.userId, t.songId, t.count]],
  async merge(sql: Sql, stage: string) {
    await roomToAggregate(sql);
    const added = await addMissingUsersAndSongs(sql, stage);
    const plays = await sql.unsafe(`
      INSERT INTO plays (user_id, song_id, count)
      SELECT user_id, song_id, SUM(count) FROM ${stage} GROUP BY user_id, song_id
      ON CONFLICT (user_id, song_id) DO UPDATE SET count = EXCLUDED.count, updated_at = now()
      WHERE plays.count <> EXCLUDED.count`);
    return { changed: added + plays.count };
  },
  /**
   * Into an empty plays table (the first load of a catalog) the rows go straight in by COPY, with the table's keys
   * rebuilt afterwards: staging them first would write every row twice.
   */
  async bulkLoad(tx: Sql, rows) {
    await tx`LOCK TABLE plays IN ACCESS EXCLUSIVE MODE`;
    if ((await tx`SELECT 1 FROM plays LIMIT 1`).length > 0) return undefined;
    // Emptied (of nothing) in this transaction, so COPY may write the rows frozen: see copyRows.
    await tx`TRUNCATE plays`;
    await roomToAggregate(tx);
    let inserted = 0;
    let added = 0;
    await withKeysDeferred(
      tx,
      'plays',
      async () => {
        inserted = await copyRows({ sql: tx }, 'plays', ['user_id', 'song_id', 'count'], rows, {
          freeze: true,
        });
        await tx`ANALYZE plays`;
      },
      {
        // A pair listed twice in the file: its counts add up, as in the staged merge.
        mergeDuplicates: async () => {
          await tx`CREATE TEMP TABLE plays_summed ON COMMIT DROP AS
            SELECT user_id, song_id, SUM(count)::int AS count FROM plays GROUP BY user_id, song_id`;
          await tx`DELETE FROM plays`;
          inserted = (await tx`INSERT INTO plays (user_id, song_id, count) SELECT * FROM plays_summed`).count;
          // No longer frozen: the planner must not count on index-only scans below.
          await tx`ANALYZE plays`;
        },
        // Every user and song the foreign keys will point at. The new key and song index hold the ids in order
        // and the frozen pages are all-visible: each distinct list is one index-only scan, no hashing of every row.
        beforeForeignKeys: async () => {
          await tx`SET LOCAL enable_hashagg = off`;
          added = await addMissingUsersAndSongs(tx, 'plays');
          await tx`SET LOCAL enable_hashagg TO DEFAULT`;
        },
      },
    );
    return { changed: added + inserted };
  },
};

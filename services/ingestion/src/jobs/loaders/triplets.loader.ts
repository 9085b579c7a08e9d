import { GrowthBudget } from '@tunegraph/ids';
import { copyRows, RowSpill, withKeysDeferred, type CopyValue, type Sql } from '@tunegraph/service-kit';
import { UNKNOWN_ARTIST } from '../catalog-ids';
import { copyIntoEmptyTable } from './empty-table.bulk';
import type { FormatLoader } from './loader.types';
import { TableKeys } from './table-keys';

/**
 * Songs known only from plays, titled by their ids until metadata names them; `from` has a song `id` column, and an
 * `idx` column when `keyed`. Returns the songs added.
 */
async function addPlaceholderSongs(sql: Sql, from: string, keyed: boolean): Promise<number> {
  await sql`INSERT INTO artists (id, name) VALUES (${UNKNOWN_ARTIST.id}, ${UNKNOWN_ARTIST.name}) ON CONFLICT DO NOTHING`;
  const key = keyed ? 'idx, ' : '';
  const songs = await sql.unsafe(
    `INSERT INTO songs (${key}id, title, artist_id, search)
     SELECT ${key}id, id, $1, to_tsvector('simple', id) FROM ${from} ON CONFLICT (id) DO NOTHING`,
    [UNKNOWN_ARTIST.id],
  );
  return songs.count;
}

/** Staged plays, summed per pair, keyed through the catalog (which must have their users and songs). */
const insertStagedPlays = (stage: string) => `
  INSERT INTO play_counts (user_idx, song_idx, count)
  SELECT u.idx, s.idx, SUM(p.count) FROM ${stage} p JOIN users u ON u.id = p.user_id JOIN songs s ON s.id = p.song_id
  GROUP BY u.idx, s.idx`;

/** Songs and users the staged plays name that the catalog lacks. */
async function addMissingUsersAndSongs(sql: Sql, stage: string): Promise<number> {
  const songs = await addPlaceholderSongs(sql, `(SELECT DISTINCT song_id AS id FROM ${stage}) s`, false);
  const users = await sql.unsafe(
    `INSERT INTO users (id) SELECT DISTINCT user_id FROM ${stage} ON CONFLICT DO NOTHING`,
  );
  return songs + users.count;
}

/** The users and songs a bulk load met that the catalog lacked, stored with the keys their plays were given. */
async function storeAddedKeys(tx: Sql, users: TableKeys, songs: TableKeys): Promise<number> {
  await copyRows({ sql: tx }, 'users', ['id', 'idx'], users.added());
  await tx`CREATE TEMP TABLE added_songs (id text COLLATE "C", idx int) ON COMMIT DROP`;
  await copyRows({ sql: tx }, 'added_songs', ['id', 'idx'], songs.added());
  // Songs known only from these plays outnumber the catalog's (a plays file loaded first): building the key on idx,
  // the search, artist and year indexes and the artist check once, after the insert, costs about half of
  // maintaining them row by row. Readers of songs wait for the few seconds this holds the table.
  const addSongs = () => addPlaceholderSongs(tx, 'added_songs', true);
  if (songs.addedCount > songs.storedCount) await withKeysDeferred(tx, 'songs', addSongs);
  else await addSongs();
  await users.commit(tx);
  await songs.commit(tx);
  return users.addedCount + songs.addedCount;
}

/**
 * The rows with their ids replaced by keys, in place: one array fewer per row of a 48 M-row load. A row naming an id
 * the keys' budget could not hold goes to `aside` instead. Whether a pair is keyed never changes within a load
 * (keys are not dropped, and a full budget adds none), so the two parts share no pair.
 */
async function* keyed(
  rows: AsyncIterable<CopyValue[][]>,
  users: TableKeys,
  songs: TableKeys,
  aside: RowSpill,
) {
  for await (const chunk of rows) {
    let kept = 0;
    for (const row of chunk) {
      const user = users.keyOf(row[0] as string);
      const song = user < 0 ? -1 : songs.keyOf(row[1] as string);
      if (song < 0) {
        aside.add(row);
        continue;
      }
      row[0] = user;
      row[1] = song;
      chunk[kept++] = row;
    }
    chunk.length = kept;
    await aside.flush();
    yield chunk;
  }
}

/**
 * The plays set aside, added as a later file's plays are merged (their users and songs added, keys found in SQL),
 * while play_counts has no keys: they share no pair with the copied rows. Returns the users, songs and plays added.
 */
async function insertSetAside(tx: Sql, aside: RowSpill): Promise<{ catalog: number; plays: number }> {
  await tx.unsafe(`CREATE TEMP TABLE plays_set_aside (${tripletsLoader.stageColumns}) ON COMMIT DROP`);
  await aside.copyInto(tx, 'plays_set_aside', tripletsLoader.columns);
  await tx`ANALYZE plays_set_aside`;
  const catalog = await addMissingUsersAndSongs(tx, 'plays_set_aside');
  return { catalog, plays: (await tx.unsafe(insertStagedPlays('plays_set_aside'))).count };
}

/** Play counts are snapshots: a pair's count is the file's (summed within the file), so a rerun changes nothing. */
export const tripletsLoader: FormatLoader<'triplets'> = {
  format: 'triplets',
  stageColumns: 'user_id text COLLATE "C", song_id text COLLATE "C", count int',
  columns: ['user_id', 'song_id', 'count'],
  toRows: (t) => [[t.userId, t.songId, t.count]],
  async merge(sql: Sql, stage: string) {
    const added = await addMissingUsersAndSongs(sql, stage);
    const plays = await sql.unsafe(`${insertStagedPlays(stage)}
      ON CONFLICT (user_idx, song_idx) DO UPDATE SET count = EXCLUDED.count, updated_at = now()
      WHERE play_counts.count <> EXCLUDED.count`);
    return { changed: added + plays.count };
  },
  async bulkLoad(tx: Sql, rows, memory) {
    // Held against writes for the whole load, since their keys are given out here. Taken before play_counts, as
    // the event consumer's statement takes them, so the two never wait on each other in a cycle.
    await tx`LOCK TABLE users, songs IN EXCLUSIVE MODE`;
    const budget = new GrowthBudget(memory.keysBytes);
    let users: TableKeys | undefined;
    let songs: TableKeys | undefined;
    let added = 0;
    const aside = await RowSpill.create('tunegraph-plays-');
    try {
      const inserted = await copyIntoEmptyTable(
        tx,
        'play_counts',
        ['user_idx', 'song_idx', 'count'],
        async () => {
          users = await TableKeys.read(tx, 'users', budget);
          songs = await TableKeys.read(tx, 'songs', budget);
          return keyed(rows, users, songs, aside);
        },
        {
          // A pair listed twice in the file: its counts add up, as in the staged merge.
          mergeDuplicates: async () => {
            await tx`CREATE TEMP TABLE plays_summed ON COMMIT DROP AS
              SELECT user_idx, song_idx, SUM(count)::int AS count FROM play_counts GROUP BY user_idx, song_idx`;
            await tx`DELETE FROM play_counts`;
            return (await tx`INSERT INTO play_counts (user_idx, song_idx, count) SELECT * FROM plays_summed`)
              .count;
          },
          afterCopy: async () => {
            added = await storeAddedKeys(tx, users!, songs!);
            // A full taste profile's keys hold about 130 MB: free before the keys are built.
            users = songs = undefined;
            if (aside.rows === 0) return 0;
            const { catalog, plays } = await insertSetAside(tx, aside);
            added += catalog;
            return plays;
          },
        },
      );
      if (inserted === undefined) return undefined;
      return { changed: added + inserted, setAside: aside.rows };
    } finally {
      await aside.remove();
    }
  },
};

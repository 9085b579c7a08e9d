import { Inject, Injectable } from '@nestjs/common';
import { SQL, type Sql } from '@tunegraph/service-kit';

/** Every play as parallel typed arrays over dense user and song indexes (ids in first-seen order). */
export interface PlayMatrix {
  userIds: string[];
  songIds: string[];
  users: Int32Array;
  items: Int32Array;
  counts: Float32Array;
}

export interface SongCount {
  songId: string;
  count: number;
}

const CURSOR_ROWS = 20_000;

/** Typed arrays that double when full, so millions of plays never become millions of row objects. */
class GrowableColumns {
  users: Int32Array;
  items: Int32Array;
  counts: Float32Array;
  length = 0;

  constructor(capacity: number) {
    const n = Math.max(1024, capacity);
    this.users = new Int32Array(n);
    this.items = new Int32Array(n);
    this.counts = new Float32Array(n);
  }

  /** The filled part; the arrays themselves when the estimate was exact, so millions of plays are not copied. */
  filled(): { users: Int32Array; items: Int32Array; counts: Float32Array } {
    const full = this.length === this.users.length;
    return {
      users: full ? this.users : this.users.slice(0, this.length),
      items: full ? this.items : this.items.slice(0, this.length),
      counts: full ? this.counts : this.counts.slice(0, this.length),
    };
  }

  push(user: number, item: number, count: number) {
    if (this.length === this.users.length) {
      const grow = <T extends Int32Array | Float32Array>(a: T, make: (n: number) => T) => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.users = grow(this.users, (n) => new Int32Array(n));
      this.items = grow(this.items, (n) => new Int32Array(n));
      this.counts = grow(this.counts, (n) => new Float32Array(n));
    }
    this.users[this.length] = user;
    this.items[this.length] = item;
    this.counts[this.length++] = count;
  }
}

/** Orders each user's plays by song; `starts` bounds the users' runs. */
function sortWithinUsers(m: { items: Int32Array; counts: Float32Array }, starts: number[]) {
  let keys = new Float64Array(64);
  let spare = new Float32Array(64);
  for (let u = 0; u + 1 < starts.length; u++) {
    const from = starts[u];
    const n = starts[u + 1] - from;
    let sorted = true;
    for (let i = from + 1; i < from + n && sorted; i++) sorted = m.items[i - 1] < m.items[i];
    if (sorted) continue;
    if (keys.length < n) keys = new Float64Array(n * 2);
    if (spare.length < n) spare = new Float32Array(n * 2);
    // Song rank and position in one exact double: ranks are below 2^21, positions below 2^32.
    for (let i = 0; i < n; i++) keys[i] = m.items[from + i] * 2 ** 32 + i;
    const order = keys.subarray(0, n).sort();
    spare.set(m.counts.subarray(from, from + n));
    for (let i = 0; i < n; i++) {
      const at = order[i] % 2 ** 32;
      m.items[from + i] = (order[i] - at) / 2 ** 32;
      m.counts[from + i] = spare[at];
    }
  }
}

@Injectable()
export class PlaysRepository {
  constructor(@Inject(SQL) private readonly sql: Sql) {}

  /**
   * Every play, users and songs numbered densely in the order of their ids (so the matrix is a function of the
   * plays alone, not of the order they were stored in), each user's plays contiguous and in song order. Reads the
   * integer-keyed table in user order through the users' id key, with no sort of millions of rows.
   */
  async loadPlayMatrix(): Promise<PlayMatrix> {
    const [{ estimate, maxUser, maxSong }] = await this.sql<
      { estimate: number; maxUser: number; maxSong: number }[]
    >`
      SELECT (SELECT count(*) FROM play_counts)::int AS estimate,
        (SELECT COALESCE(max(idx), 0) FROM users) AS "maxUser", (SELECT COALESCE(max(idx), 0) FROM songs) AS "maxSong"`;
    const columns = new GrowableColumns(estimate);
    const userPlayed = new Uint8Array(maxUser + 1);
    const songRank = new Int32Array(maxSong + 1).fill(-1);
    const userStarts: number[] = [];
    let lastUser = -1;
    await this.sql<{ user_idx: number; song_idx: number; count: number }[]>`
      SELECT u.idx AS user_idx, p.song_idx, p.count
      FROM (SELECT idx, id FROM users ORDER BY id) u
      CROSS JOIN LATERAL (SELECT song_idx, count FROM play_counts p WHERE p.user_idx = u.idx OFFSET 0) p
      ORDER BY u.id`.cursor(CURSOR_ROWS, (rows) => {
      for (const r of rows) {
        if (r.user_idx !== lastUser) {
          lastUser = r.user_idx;
          userPlayed[lastUser] = 1;
          userStarts.push(columns.length);
        }
        songRank[r.song_idx] = 0;
        columns.push(userStarts.length - 1, r.song_idx, r.count);
      }
    });
    userStarts.push(columns.length);
    const userIds = (await this.idsOf('users', (idx) => userPlayed[idx] === 1)).ids;
    const songs = await this.idsOf('songs', (idx) => songRank[idx] === 0);
    songs.keys.forEach((idx, rank) => (songRank[idx] = rank));
    const matrix = columns.filled();
    for (let i = 0; i < matrix.items.length; i++) matrix.items[i] = songRank[matrix.items[i]];
    sortWithinUsers(matrix, userStarts);
    return { userIds, songIds: songs.ids, ...matrix };
  }

  /** In id order, the ids and keys of the rows whose key `keep` accepts. */
  private async idsOf(
    table: 'users' | 'songs',
    keep: (idx: number) => boolean,
  ): Promise<{ ids: string[]; keys: number[] }> {
    const ids: string[] = [];
    const keys: number[] = [];
    await this.sql
      .unsafe<{ idx: number; id: string }[]>(`SELECT idx, id FROM ${table} ORDER BY id`)
      .cursor(CURSOR_ROWS, (rows) => {
        for (const r of rows) {
          if (!keep(r.idx)) continue;
          ids.push(r.id);
          keys.push(r.idx);
        }
      });
    return { ids, keys };
  }

  /** The user's current plays, read at request time so a play stored a moment ago already counts. */
  async userHistory(userId: string): Promise<SongCount[]> {
    const rows = await this.sql<{ song_id: string; count: number }[]>`
      SELECT song_id, count FROM plays WHERE user_id = ${userId}`;
    return rows.map((r) => ({ songId: r.song_id, count: r.count }));
  }

  /** Songs with the most distinct listeners, most first (ties by id), as `count`. */
  async mostListened(limit: number): Promise<SongCount[]> {
    const rows = await this.sql<{ song_id: string; listeners: number }[]>`
      SELECT s.id AS song_id, p.listeners
      FROM (SELECT song_idx, count(*)::int AS listeners FROM play_counts GROUP BY song_idx) p
      JOIN songs s ON s.idx = p.song_idx
      ORDER BY p.listeners DESC, s.id LIMIT ${limit}`;
    return rows.map((r) => ({ songId: r.song_id, count: r.listeners }));
  }
}

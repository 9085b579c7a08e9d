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

@Injectable()
export class PlaysRepository {
  constructor(@Inject(SQL) private readonly sql: Sql) {}

  /** Streams the plays table with a cursor, ordered so the dense indexes are reproducible run to run. */
  async loadPlayMatrix(): Promise<PlayMatrix> {
    const [{ estimate }] = await this.sql<
      { estimate: number }[]
    >`SELECT count(*)::int AS estimate FROM plays`;
    const columns = new GrowableColumns(estimate);
    const userIndex = new Map<string, number>();
    const songIndex = new Map<string, number>();
    const indexOf = (map: Map<string, number>, id: string) => {
      let i = map.get(id);
      if (i === undefined) map.set(id, (i = map.size));
      return i;
    };
    await this.sql<{ user_id: string; song_id: string; count: number }[]>`
      SELECT user_id, song_id, count FROM plays ORDER BY user_id, song_id`.cursor(CURSOR_ROWS, (rows) => {
      for (const r of rows)
        columns.push(indexOf(userIndex, r.user_id), indexOf(songIndex, r.song_id), r.count);
    });
    return {
      userIds: [...userIndex.keys()],
      songIds: [...songIndex.keys()],
      ...columns.filled(),
    };
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
      SELECT song_id, count(*)::int AS listeners FROM plays
      GROUP BY song_id ORDER BY listeners DESC, song_id LIMIT ${limit}`;
    return rows.map((r) => ({ songId: r.song_id, count: r.listeners }));
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { SQL, type Sql } from '@tunegraph/service-kit';

export interface SongRow {
  id: string;
  title: string;
  artistId: string;
  artistName: string;
  year: number | null;
  trackIds: string[];
  listeners: number;
  playCount: number;
}

export interface UserPlayStats {
  songs: number;
  plays: number;
  lastPlayedAt: Date | null;
}

const SONG_COLUMNS = `s.id, s.title, s.artist_id AS "artistId", a.name AS "artistName", s.year,
  COALESCE((SELECT array_agg(t.id ORDER BY t.id) FROM tracks t WHERE t.song_id = s.id), '{}') AS "trackIds",
  COALESCE(st.listeners, 0) AS listeners, COALESCE(st.plays, 0)::int AS "playCount"`;

/**
 * The song's statistics for SONG_COLUMNS, one aggregate of its plays per song. OFFSET 0 keeps the subquery whole, so
 * the song id reaches into the view's grouping as an index condition; flattened, the planner joins the view on it
 * and aggregates every play first.
 */
const SONG_STATS = `LEFT JOIN LATERAL (SELECT listeners, plays FROM song_play_stats WHERE song_id = s.id OFFSET 0) st ON true`;

@Injectable()
export class CatalogRepository {
  constructor(@Inject(SQL) private readonly sql: Sql) {}

  /** Songs by song id or by any of their track ids, in no particular order. */
  async songsByIds(ids: string[]): Promise<(SongRow & { requested: string[] })[]> {
    if (ids.length === 0) return [];
    return this.sql.unsafe(
      `SELECT ${SONG_COLUMNS}, array_remove(ARRAY[s.id] || COALESCE((SELECT array_agg(t.id) FROM tracks t
         WHERE t.song_id = s.id AND t.id = ANY($1)), '{}'), NULL) AS requested
       FROM songs s JOIN artists a ON a.id = s.artist_id ${SONG_STATS}
       WHERE s.id = ANY($1) OR s.id IN (SELECT song_id FROM tracks WHERE id = ANY($1))`,
      [ids],
    ) as never;
  }

  /** Full-text over title and artist (each word as a prefix), most played first. */
  async search(words: string[], limit: number): Promise<SongRow[]> {
    const query = words.map((w) => `${w}:*`).join(' & ');
    return this.sql.unsafe(
      `SELECT * FROM (SELECT ${SONG_COLUMNS}, ts_rank(s.search, q) AS rank
         FROM songs s JOIN artists a ON a.id = s.artist_id ${SONG_STATS}, to_tsquery('simple', $1) q
         WHERE s.search @@ q) found
       ORDER BY rank DESC, listeners DESC, id LIMIT $2`,
      [query, limit],
    ) as never;
  }

  async userExists(id: string): Promise<boolean> {
    const rows = await this.sql`SELECT 1 FROM users WHERE id = ${id}`;
    return rows.length > 0;
  }

  async users(limit: number): Promise<{ id: string }[]> {
    return this.sql<{ id: string }[]>`
      SELECT u.id FROM users u ORDER BY (SELECT count(*) FROM plays p WHERE p.user_id = u.id) DESC, u.id LIMIT ${limit}`;
  }

  async plays(userId: string, limit: number): Promise<{ songId: string; count: number }[]> {
    return this.sql<{ songId: string; count: number }[]>`
      SELECT song_id AS "songId", count FROM plays WHERE user_id = ${userId}
      ORDER BY count DESC, song_id LIMIT ${limit}`;
  }

  /** Zeroes for a user with no plays. */
  async playStats(userId: string): Promise<UserPlayStats> {
    const [row] = await this.sql<UserPlayStats[]>`
      SELECT songs, plays::int AS plays, last_played_at AS "lastPlayedAt" FROM user_play_stats WHERE user_id = ${userId}`;
    return row ?? { songs: 0, plays: 0, lastPlayedAt: null };
  }

  /** Resolves a song id or a track id to the song id, or undefined when unknown. */
  async resolveSongId(id: string): Promise<string | undefined> {
    const [row] = await this.sql<{ id: string }[]>`
      SELECT id FROM songs WHERE id = ${id}
      UNION ALL SELECT song_id FROM tracks WHERE id = ${id} LIMIT 1`;
    return row?.id;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { integerArray, SQL, textArray, type Sql } from '@tunegraph/service-kit';
import type { PlayEvent } from '@tunegraph/contracts';

export interface StoredBatch {
  /** Events stored now (not seen before). */
  stored: number;
  /** Their users, each once. */
  userIds: string[];
  /** Event ids whose song (or track) the catalog does not know: not stored. */
  unknownSongEvents: string[];
}

@Injectable()
export class PlaysRepository {
  constructor(@Inject(SQL) private readonly sql: Sql) {}

  /**
   * Stores a batch exactly once, in one statement (so one transaction): a track id is resolved to its song, events
   * of songs the catalog does not know are left out and named, events already seen (by event id) are ignored, and
   * the rest add to play counts, so a redelivered batch changes nothing. The batch travels as one array per column
   * through `unnest`: one statement shape whatever the batch size (the plan is prepared once), and no
   * row-per-parameter limit at tens of thousands of events. Only aggregates come back, not a row per event.
   */
  async storeOnce(batch: PlayEvent[]): Promise<StoredBatch> {
    // An id twice in one batch (a re-send landing next to the original) is one event: the insert below keeps one
    // row, and the second copy must not count.
    const ids = new Set<string>();
    const events = batch.filter((e) => !ids.has(e.eventId) && ids.add(e.eventId));
    if (events.length === 0) return { stored: 0, userIds: [], unknownSongEvents: [] };
    const texts = (k: 'eventId' | 'userId' | 'songId' | 'source') => textArray(events.map((e) => e[k]));
    const integers = (k: 'count' | 'timestampMs') => integerArray(events.map((e) => e[k]));
    // The users and play_counts inserts see only the rows `fresh` returns. play_counts has no foreign keys: the
    // catalog lookup and the users insert here are what keep its references. A CTE's insert is invisible to the rest
    // of the statement, so a new user's key comes from what its insert returns.
    const [result] = await this.sql<
      { stored: number; user_ids: string[] | null; unknown: string[] | null }[]
    >`
      WITH batch AS (
        SELECT * FROM unnest(
          ${texts('eventId')}::text[], ${texts('userId')}::text[], ${texts('songId')}::text[],
          ${integers('count')}::int[], ${integers('timestampMs')}::bigint[], ${texts('source')}::text[]
        ) AS b (event_id, user_id, ref, count, timestamp_ms, source)
      ), resolved AS (
        -- One key lookup per event (the track only when the song misses), whatever plan the statement caches: as a
        -- join, a generic plan sized for a small batch could scan the whole catalog once per event.
        SELECT b.*, COALESCE(
          (SELECT s.id FROM songs s WHERE s.id = b.ref), (SELECT t.song_id FROM tracks t WHERE t.id = b.ref)
        ) AS song_id
        FROM batch b
      ), fresh AS (
        INSERT INTO play_events (event_id, user_id, song_id, count, event_time, source)
        -- float8 division: a third of the cost of numeric, and still exact to the millisecond until the 23rd century.
        SELECT event_id, user_id, song_id, count, to_timestamp(timestamp_ms / 1000::float8), source
        FROM resolved WHERE song_id IS NOT NULL
        ON CONFLICT (event_id) DO NOTHING
        RETURNING user_id, song_id, count
      ), fresh_users AS (
        SELECT user_id, (SELECT u.idx FROM users u WHERE u.id = d.user_id) AS idx
        FROM (SELECT DISTINCT user_id FROM fresh) d
      ), new_users AS (
        -- A user another transaction stores meanwhile is returned by the no-op update, where DO NOTHING would
        -- return nothing and leave the user's plays without a key.
        INSERT INTO users (id) SELECT user_id FROM fresh_users WHERE idx IS NULL
        ON CONFLICT (id) DO UPDATE SET id = EXCLUDED.id
        RETURNING id AS user_id, idx
      ), user_keys AS (
        SELECT user_id, idx FROM fresh_users WHERE idx IS NOT NULL UNION ALL SELECT user_id, idx FROM new_users
      ), counted AS (
        INSERT INTO play_counts (user_idx, song_idx, count)
        SELECT k.idx, (SELECT s.idx FROM songs s WHERE s.id = f.song_id), SUM(f.count)
        FROM fresh f JOIN user_keys k USING (user_id) GROUP BY 1, 2
        ON CONFLICT (user_idx, song_idx) DO UPDATE SET count = play_counts.count + EXCLUDED.count, updated_at = now()
      )
      SELECT (SELECT count(*) FROM fresh)::int AS stored,
        (SELECT array_agg(DISTINCT user_id) FROM fresh) AS user_ids,
        (SELECT array_agg(event_id) FROM resolved WHERE song_id IS NULL) AS unknown`;
    return { stored: result.stored, userIds: result.user_ids ?? [], unknownSongEvents: result.unknown ?? [] };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { SQL, type Sql } from '@tunegraph/service-kit';
import type { PlayEvent } from '@tunegraph/contracts';

@Injectable()
export class PlaysRepository {
  constructor(@Inject(SQL) private readonly sql: Sql) {}

  /** Song ids (or track ids) known to the catalog, mapped to their song id. */
  async knownSongs(ids: string[]): Promise<Map<string, string>> {
    const rows = await this.sql<{ ref: string; song_id: string }[]>`
      SELECT id AS ref, id AS song_id FROM songs WHERE id = ANY(${ids})
      UNION ALL SELECT id, song_id FROM tracks WHERE id = ANY(${ids})`;
    return new Map(rows.map((r) => [r.ref, r.song_id]));
  }

  /**
   * Stores a batch exactly once: events already seen (by event id) are ignored, the rest add to play counts, in one
   * statement (so one transaction), so a redelivered batch changes nothing. Returns the events that were new.
   * The batch travels as one array per column through `unnest`: one statement shape whatever the batch size (the
   * plan is prepared once), and no row-per-parameter limit at tens of thousands of events.
   */
  async storeOnce(batch: PlayEvent[]): Promise<PlayEvent[]> {
    // An id twice in one batch (a re-send landing next to the original) is one event: the insert below keeps one
    // row, and both copies would otherwise match its returned id and count twice.
    const ids = new Set<string>();
    const events = batch.filter((e) => !ids.has(e.eventId) && ids.add(e.eventId));
    if (events.length === 0) return [];
    const column = <K extends keyof PlayEvent>(k: K) => events.map((e) => e[k]);
    // The users and plays inserts see only the rows `fresh` returns; the foreign key checks run at the end of the
    // statement, when the new users are in place.
    const fresh = await this.sql<{ event_id: string }[]>`
      WITH batch AS (
        SELECT * FROM unnest(
          ${column('eventId')}::text[], ${column('userId')}::text[], ${column('songId')}::text[],
          ${column('count')}::int[], ${column('timestampMs')}::bigint[], ${column('source')}::text[]
        ) AS b (event_id, user_id, song_id, count, timestamp_ms, source)
      ), fresh AS (
        INSERT INTO play_events (event_id, user_id, song_id, count, event_time, source)
        SELECT event_id, user_id, song_id, count, to_timestamp(timestamp_ms / 1000.0), source FROM batch
        ON CONFLICT (event_id) DO NOTHING
        RETURNING event_id, user_id, song_id, count
      ), new_users AS (
        INSERT INTO users (id) SELECT DISTINCT user_id FROM fresh ON CONFLICT DO NOTHING
      ), counted AS (
        INSERT INTO plays (user_id, song_id, count)
        SELECT user_id, song_id, SUM(count) FROM fresh GROUP BY user_id, song_id
        ON CONFLICT (user_id, song_id) DO UPDATE SET count = plays.count + EXCLUDED.count, updated_at = now()
      )
      SELECT event_id FROM fresh`;
    const freshIds = new Set(fresh.map((r) => r.event_id));
    return events.filter((e) => freshIds.has(e.eventId));
  }
}

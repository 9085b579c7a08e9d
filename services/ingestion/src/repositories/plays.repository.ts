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
   * Stores a batch exactly once: events already seen (by event id) are ignored, the rest add to play counts, all in
   * one transaction, so a redelivered batch changes nothing. Returns the events that were new.
   */
  async storeOnce(batch: PlayEvent[]): Promise<PlayEvent[]> {
    // An id twice in one batch (a re-send landing next to the original) is one event: the insert below keeps one
    // row, and both copies would otherwise match its returned id and count twice.
    const ids = new Set<string>();
    const events = batch.filter((e) => !ids.has(e.eventId) && ids.add(e.eventId));
    if (events.length === 0) return [];
    return this.sql.begin(async (tx) => {
      const rows = events.map((e) => ({
        event_id: e.eventId,
        user_id: e.userId,
        song_id: e.songId,
        count: e.count,
        event_time: new Date(e.timestampMs),
        source: e.source,
      }));
      const fresh = await tx<{ event_id: string }[]>`
        INSERT INTO play_events ${tx(rows)} ON CONFLICT (event_id) DO NOTHING RETURNING event_id`;
      const freshIds = new Set(fresh.map((r) => r.event_id));
      const stored = events.filter((e) => freshIds.has(e.eventId));
      if (stored.length === 0) return [];
      const sums = new Map<string, { user_id: string; song_id: string; count: number }>();
      for (const e of stored) {
        const key = `${e.userId}\u0000${e.songId}`;
        const sum = sums.get(key) ?? { user_id: e.userId, song_id: e.songId, count: 0 };
        sum.count += e.count;
        sums.set(key, sum);
      }
      const users = [...new Set(stored.map((e) => e.userId))].map((id) => ({ id }));
      await tx`INSERT INTO users ${tx(users)} ON CONFLICT DO NOTHING`;
      await tx`
        INSERT INTO plays ${tx([...sums.values()])}
        ON CONFLICT (user_id, song_id) DO UPDATE SET count = plays.count + EXCLUDED.count, updated_at = now()`;
      return stored;
    });
  }
}

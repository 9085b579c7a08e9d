import type { PlayEvent } from '@tunegraph/contracts';
import { startTestDatabase, type TestDatabase } from '@tunegraph/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlaysRepository } from './plays.repository';

const SONG = 'SOAAAAAAAAAAAAAAAA';
let db: TestDatabase;
beforeAll(async () => {
  db = await startTestDatabase();
  await db.sql`INSERT INTO artists (id, name) VALUES ('AR1', 'a')`;
  await db.sql`INSERT INTO songs (id, title, artist_id) VALUES (${SONG}, 's', 'AR1')`;
}, 120_000);
afterAll(async () => {
  await db?.stop();
});

const play = (eventId: string, userId: string, count: number): PlayEvent => ({
  eventId,
  userId,
  songId: SONG,
  count,
  timestampMs: Date.now(),
  source: 'test',
});

describe('PlaysRepository.storeOnce', () => {
  it('counts every play of a new user that two writers store at the same moment', async () => {
    // Separate repositories on one pool: each batch is one statement, so they run on two connections at once.
    const [a, b] = [new PlaysRepository(db.sql), new PlaysRepository(db.sql)];
    const users = Array.from({ length: 40 }, (_, i) => `racer-${i}`);
    for (const user of users) {
      const stored = await Promise.all([
        a.storeOnce([play(`${user}-a`, user, 2)]),
        b.storeOnce([play(`${user}-b`, user, 3)]),
      ]);
      expect(stored.map((s) => s.stored)).toEqual([1, 1]);
    }
    const rows = await db.sql<{ user_id: string; count: number }[]>`
      SELECT user_id, count FROM plays WHERE user_id LIKE 'racer-%'`;
    expect(new Map(rows.map((r) => [r.user_id, r.count]))).toEqual(new Map(users.map((u) => [u, 5])));
    const [{ n }] = await db.sql<
      { n: number }[]
    >`SELECT count(*)::int AS n FROM users WHERE id LIKE 'racer-%'`;
    expect(n).toBe(users.length);
  });
});

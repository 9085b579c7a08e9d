import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type TestDatabase } from '../testing';
import { migrate } from './migrations.runner';
import { MIGRATIONS } from './schema.migrations';

let db: TestDatabase;
beforeAll(async () => {
  db = await startTestDatabase();
}, 120_000);
afterAll(async () => {
  await db?.stop();
});

describe('integer play keys (migration 13) on a store that has plays', () => {
  it('moves every play to its users and songs keys and keeps the plays view and statistics as they were', async () => {
    await db.sql.unsafe('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    await db.sql`CREATE TABLE schema_migrations (id int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`;
    for (const m of MIGRATIONS.filter((m) => m.id < 13)) {
      await db.sql.unsafe(m.sql);
      await db.sql`INSERT INTO schema_migrations (id, name) VALUES (${m.id}, ${m.name})`;
    }
    await db.sql`INSERT INTO artists (id, name) VALUES ('AR1', 'a')`;
    await db.sql`INSERT INTO songs (id, title, artist_id) VALUES ('SO1', 's1', 'AR1'), ('SO2', 's2', 'AR1')`;
    await db.sql`INSERT INTO users (id) VALUES ('u1'), ('u2')`;
    await db.sql`INSERT INTO plays (user_id, song_id, count) VALUES ('u1', 'SO1', 3), ('u1', 'SO2', 1), ('u2', 'SO2', 5)`;

    expect(await migrate(db.sql)).toEqual(MIGRATIONS.filter((m) => m.id >= 13).map((m) => m.id));

    expect(await db.sql`SELECT user_id, song_id, count FROM plays ORDER BY user_id, song_id`).toEqual([
      { user_id: 'u1', song_id: 'SO1', count: 3 },
      { user_id: 'u1', song_id: 'SO2', count: 1 },
      { user_id: 'u2', song_id: 'SO2', count: 5 },
    ]);
    const [{ n }] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM play_counts`;
    expect(n).toBe(3);
    expect(await db.sql`SELECT song_id, listeners, plays::int FROM song_play_stats ORDER BY song_id`).toEqual(
      [
        { song_id: 'SO1', listeners: 1, plays: 3 },
        { song_id: 'SO2', listeners: 2, plays: 6 },
      ],
    );
    expect(await db.sql`SELECT user_id, songs, plays::int FROM user_play_stats ORDER BY user_id`).toEqual([
      { user_id: 'u1', songs: 2, plays: 4 },
      { user_id: 'u2', songs: 1, plays: 5 },
    ]);
    // New users and songs take keys after the migrated ones.
    const [user] = await db.sql<{ idx: number }[]>`INSERT INTO users (id) VALUES ('u3') RETURNING idx`;
    expect(user.idx).toBe(3);
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startTestDatabase, type TestDatabase } from '@tunegraph/service-kit/testing';
import { ingestFiles } from '../ingest.job';
import { loadMemoryFromEnv } from '../load-memory';

const USERS = 3000;
const SONGS = 300;
const STORED_SONGS = 40;
const user = (u: number) => `${u.toString(16).padStart(8, '0')}`.padEnd(40, 'f');
const song = (s: number) => `SO${String(s).padStart(16, '0')}`;

/** Each user's plays, then a second pass over every fifth user restating one pair: its counts must add up. */
function triplets(): { lines: string[]; expected: Map<string, number> } {
  const lines: string[] = [];
  const expected = new Map<string, number>();
  const play = (u: number, s: number, count: number) => {
    lines.push(`${user(u)}\t${song(s)}\t${count}`);
    const key = `${user(u)} ${song(s)}`;
    expected.set(key, (expected.get(key) ?? 0) + count);
  };
  for (let u = 0; u < USERS; u++)
    for (let k = 0; k < 4; k++) play(u, (u * 7 + k * 31) % SONGS, 1 + ((u + k) % 5));
  for (let u = 0; u < USERS; u += 5) play(u, (u * 7) % SONGS, 10);
  return { lines, expected };
}

/**
 * A first plays load whose ids outgrow INGEST_KEYS_MEMORY: the plays of the ids it cannot hold are set aside on disk
 * and merged after the copy. The result must be the same as a load that held every id.
 */
describe.runIf(process.env.DATABASE_URL)('a first plays load over its keys memory', () => {
  let db: TestDatabase;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'triplets-bulk-'));
  const file = path.join(dir, 'train_triplets.txt');
  const { lines, expected } = triplets();

  beforeAll(async () => {
    db = await startTestDatabase();
    fs.writeFileSync(file, lines.join('\n') + '\n');
    // Songs the catalog has already: their stored keys are read first, within the same budget.
    await db.sql`INSERT INTO artists (id, name) VALUES ('AR0000000000000001', 'Known')`;
    for (let s = 0; s < STORED_SONGS; s++)
      await db.sql`INSERT INTO songs (id, title, artist_id) VALUES (${song(s)}, ${`Song ${s}`}, 'AR0000000000000001')`;
  }, 120_000);
  afterAll(async () => {
    await db?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sets aside the plays of the ids it cannot hold, and ends with every play counted once', async () => {
    // Less than the keys' first arrays: the budget refuses their first growth.
    const memory = { ...loadMemoryFromEnv({}), keysBytes: 64 * 1024 };
    const summary = await ingestFiles({ sql: db.sql, logger: pino({ level: 'silent' }) }, [file], { memory });
    const [loaded] = summary.files;
    expect(loaded).toMatchObject({ status: 'loaded', records: lines.length, rejected: 0 });
    const setAside = Number(/^(\d+) rows/.exec(loaded.message ?? '')?.[1]);
    expect(setAside).toBeGreaterThan(1000);
    expect(setAside).toBeLessThan(lines.length / 2);
    // New users and songs, and every distinct pair.
    expect(loaded.changed).toBe(USERS + SONGS - STORED_SONGS + expected.size);

    const rows = await db.sql<{ user_id: string; song_id: string; count: number }[]>`
      SELECT user_id, song_id, count FROM plays`;
    expect(new Map(rows.map((r) => [`${r.user_id} ${r.song_id}`, r.count]))).toEqual(expected);
    const [catalog] = await db.sql<{ users: number; songs: number; titled: number }[]>`SELECT
      (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM songs)::int AS songs,
      (SELECT count(*) FROM songs WHERE title LIKE 'Song %')::int AS titled`;
    expect(catalog).toEqual({ users: USERS, songs: SONGS, titled: STORED_SONGS });
    // Keys given in the process and in SQL do not meet, and the next ones come after both.
    const [next] = await db.sql<
      { idx: number }[]
    >`INSERT INTO users (id) VALUES ('someone new') RETURNING idx`;
    const [{ max }] = await db.sql<
      { max: number }[]
    >`SELECT max(idx)::int AS max FROM users WHERE id <> 'someone new'`;
    expect(next.idx).toBeGreaterThan(max);
  });
});

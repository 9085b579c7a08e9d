import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTripletLine } from '@tunegraph/msd-formats';
import { startTestDatabase, type TestDatabase } from '@tunegraph/service-kit/testing';

/** A load killed with SIGKILL half-way, then run again, ends with exactly the file's rows: nothing lost or doubled. */
const BIN = path.resolve(__dirname, '../bin/tunegraph.js');
const LINES = process.env.DATABASE_URL ? 400_000 : 60_000;

function ingest(db: TestDatabase, file: string) {
  return spawn(process.execPath, [BIN, 'ingest', file], {
    env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'warn', TUNEGRAPH_HOME: path.dirname(file) },
    stdio: 'ignore',
  });
}

describe('tunegraph ingest after a SIGKILL', () => {
  let db: TestDatabase;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resume-'));
  const file = path.join(dir, 'plays.txt');
  const pairs = new Map<string, number>();

  beforeAll(async () => {
    db = await startTestDatabase();
    const out = fs.createWriteStream(file);
    for (let i = 0; i < LINES; i++) {
      const userId = `user${(i * 7919) % 5000}`;
      const songId = `SO${String((i * 104_729) % 20_000).padStart(16, '0')}`;
      const count = 1 + (i % 9);
      const key = `${userId} ${songId}`;
      pairs.set(key, (pairs.get(key) ?? 0) + count);
      if (!out.write(formatTripletLine({ userId, songId, count })))
        await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((r) => out.end(() => r()));
  }, 300_000);

  afterAll(async () => {
    await db?.stop();
  });

  it('is killed mid-load, then the rerun loads exactly the file', async () => {
    const first = ingest(db, file);
    const exited = new Promise<NodeJS.Signals | null>((r) =>
      first.once('exit', (_code, signal) => r(signal)),
    );
    for (let i = 0; i < 600; i++) {
      const rows = await db.sql`SELECT status FROM ingest_files WHERE source = ${file}`;
      if (rows[0]?.status === 'loading') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 300));
    first.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const [killed] = await db.sql<
      { status: string }[]
    >`SELECT status FROM ingest_files WHERE source = ${file}`;
    expect(killed.status).toBe('loading');

    const second = ingest(db, file);
    const code = await new Promise<number | null>((r) => second.once('exit', (c) => r(c)));
    expect(code).toBe(0);
    const [{ n, total }] = await db.sql<
      { n: number; total: string }[]
    >`SELECT count(*)::int AS n, SUM(count) AS total FROM plays`;
    expect(n).toBe(pairs.size);
    expect(Number(total)).toBe([...pairs.values()].reduce((a, b) => a + b, 0));
    const [done] = await db.sql<
      { status: string; records: string }[]
    >`SELECT status, records FROM ingest_files WHERE source = ${file}`;
    expect(done).toEqual({ status: 'done', records: String(LINES) });
    const staging = await db.sql`SELECT tablename FROM pg_tables WHERE tablename LIKE 'stage\\_%'`;
    expect(staging).toHaveLength(0);
  }, 600_000);
});

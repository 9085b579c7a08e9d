import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type TestDatabase } from '../testing';
import { RowSpill } from './row-spill';

/** COPY FROM STDIN needs a real server. */
describe.runIf(process.env.DATABASE_URL)('RowSpill', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await startTestDatabase();
  }, 120_000);

  afterAll(async () => {
    await db?.stop();
  });

  it('keeps rows on disk and copies all of them, escapes and NULLs intact, across many writes', async () => {
    await db.sql`CREATE TABLE spilled (id text, n int)`;
    const prefix = `row-spill-test-${process.pid}-`;
    const spill = await RowSpill.create(prefix);
    // Nameless from the start: nothing to clean up after a killed process.
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith(prefix))).toEqual([]);
    const odd = ['tab\there', 'back\\slash', 'new\nline', 'café 名前', ''];
    const n = 120_000;
    for (let i = 0; i < n; i++) {
      spill.add([i < odd.length ? odd[i] : `row-${i}`.padEnd(20, '.'), i % 1000 === 0 ? null : i]);
      if (i % 10_000 === 0) await spill.flush();
    }
    expect(spill.rows).toBe(n);
    expect(await spill.copyInto(db.sql, 'spilled', ['id', 'n'])).toBe(n);
    const [{ rows, nulls, sum }] = await db.sql<{ rows: number; nulls: number; sum: string }[]>`
      SELECT count(*)::int AS rows, count(*) FILTER (WHERE n IS NULL)::int AS nulls, sum(n)::text AS sum FROM spilled`;
    expect({ rows, nulls }).toEqual({ rows: n, nulls: n / 1000 });
    expect(BigInt(sum)).toBe(BigInt((n * (n - 1)) / 2) - BigInt(((n / 1000) * (n - 1000)) / 2));
    const firstIds = await db.sql<
      { id: string }[]
    >`SELECT id FROM spilled WHERE n < ${odd.length} ORDER BY n`;
    expect(firstIds.map((r) => r.id)).toEqual(odd.slice(1));
    await spill.remove();
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startTestDatabase, type TestDatabase } from '@tunegraph/service-kit/testing';
import { ingestFiles } from './ingest.job';

const logger = pino({ level: 'silent' });

describe('ingestFiles with a forced format', () => {
  let db: TestDatabase;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunegraph-format-'));
  // Triplets after a prose preamble: detection sees prose, so it cannot tell the format.
  const file = path.join(dir, 'plays-export.txt');
  const preamble = Array.from(
    { length: 30 },
    (_, i) => `Exported by our player, part ${i}: plays per user and song.`,
  );
  const triplets = Array.from(
    { length: 40 },
    (_, i) => `${'u'.repeat(39)}${i % 4}\tSO${String(i).padStart(16, 'A')}\t${i + 1}`,
  );
  fs.writeFileSync(file, [...preamble, ...triplets].join('\n') + '\n');

  beforeAll(async () => {
    db = await startTestDatabase();
  }, 300_000);
  afterAll(async () => {
    await db?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('leaves a file it cannot recognise alone, and says why', async () => {
    const [f] = (await ingestFiles({ sql: db.sql, logger }, [file])).files;
    expect([f.format, f.status, f.records]).toEqual(['unknown', 'unsupported', 0]);
    expect(f.message).toContain('name its format to load it anyway');
  });

  it('loads it as the named format, quarantining the lines that do not fit', async () => {
    const [f] = (await ingestFiles({ sql: db.sql, logger }, [file], { format: 'triplets' })).files;
    expect([f.format, f.status, f.records, f.rejected]).toEqual(['triplets', 'loaded', 40, 30]);
    const [plays] = await db.sql<{ n: number; total: number }[]>`
      SELECT count(*)::int AS n, SUM(count)::int AS total FROM plays`;
    expect(plays).toEqual({ n: 40, total: (40 * 41) / 2 });
    const quarantined = await db.sql<{ line_no: number }[]>`
      SELECT line_no FROM quarantine WHERE source = ${file} ORDER BY line_no`;
    expect(quarantined.map((q) => Number(q.line_no))).toEqual(preamble.map((_, i) => i + 1));
    const [again] = (await ingestFiles({ sql: db.sql, logger }, [file], { format: 'triplets' })).files;
    expect(again.status).toBe('unchanged');
  });
});

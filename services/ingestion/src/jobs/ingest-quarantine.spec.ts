import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startTestDatabase, type TestDatabase } from '@tunegraph/service-kit/testing';
import { ingestFiles, type IngestSummary } from './ingest.job';

/**
 * Over a hundred malformed lines of many kinds, a third of each file (format detection needs most of a file's head
 * to be well formed): each is quarantined with its line number and a reason; good lines load.
 */
const SONG = (i: number) => `SO${String(i).padStart(16, '0')}`;
const TRACK = (i: number) => `TR${String(i).padStart(16, '0')}`;
const USER = (i: number) => `u${i.toString(16).padStart(39, '0')}`;

const BAD_TRIPLETS = [
  (i: number) => `${USER(i)}\t${SONG(i)}`,
  (i: number) => `${USER(i)}\t${SONG(i)}\t-${i + 1}`,
  (i: number) => `${USER(i)}\t${SONG(i)}\t0`,
  (i: number) => `${USER(i)}\t${SONG(i)}\t2.5`,
  (i: number) => `${USER(i)}\tXX${i}\t3`,
  (i: number) => `${USER(i)}\t${SONG(i)}\tmany`,
  () => '',
  (i: number) => `${USER(i)}\t${SONG(i)}\t1\textra`,
];
const BAD_TRACKS = [
  (i: number) => `XX${i}<SEP>${SONG(i)}<SEP>Artist<SEP>Title`,
  (i: number) => `${TRACK(i)}<SEP>nope<SEP>Artist<SEP>Title`,
  (i: number) => `${TRACK(i)}<SEP>${SONG(i)}<SEP>Artist`,
];

describe('quarantine of malformed lines', () => {
  let db: TestDatabase;
  let summary: IngestSummary;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-lines-'));
  const expected = { triplets: 0, tracks: 0, goodTriplets: 0, goodTracks: 0 };

  beforeAll(async () => {
    db = await startTestDatabase();
    const tracks: string[] = [];
    for (let i = 0; i < 60; i++) {
      if (i % 3 !== 2) {
        tracks.push(`${TRACK(i)}<SEP>${SONG(i)}<SEP>Artist ${i}<SEP>Title ${i}`);
        expected.goodTracks++;
      } else {
        tracks.push(BAD_TRACKS[Math.floor(i / 3) % BAD_TRACKS.length](i));
        expected.tracks++;
      }
    }
    fs.writeFileSync(path.join(dir, 'tracks.txt'), tracks.join('\n') + '\n');
    const triplets: string[] = [];
    for (let i = 0; i < 300; i++) {
      if (i % 3 !== 2) {
        triplets.push(`${USER(i)}\t${SONG(i % 60)}\t${1 + (i % 7)}`);
        expected.goodTriplets++;
      } else {
        triplets.push(BAD_TRIPLETS[i % BAD_TRIPLETS.length](i));
        expected.triplets++;
      }
    }
    fs.writeFileSync(path.join(dir, 'plays.txt'), triplets.join('\r\n') + '\r\n');
    summary = await ingestFiles({ sql: db.sql, logger: pino({ level: 'silent' }) }, [dir]);
  }, 300_000);

  afterAll(async () => {
    await db?.stop();
  });

  it('counts every malformed line and loads every good one', async () => {
    const plays = summary.files.find((f) => f.source.endsWith('plays.txt'))!;
    const tracks = summary.files.find((f) => f.source.endsWith('tracks.txt'))!;
    expect(plays.rejected + tracks.rejected).toBeGreaterThanOrEqual(100);
    expect([plays.records, plays.rejected]).toEqual([expected.goodTriplets, expected.triplets]);
    expect([tracks.records, tracks.rejected]).toEqual([expected.goodTracks, expected.tracks]);
    const [{ n }] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM plays`;
    expect(n).toBe(expected.goodTriplets);
  });

  it('keeps file, line number, raw text and a specific reason for each', async () => {
    const rows = await db.sql<{ source: string; line_no: string; raw: string; reason: string }[]>`
      SELECT source, line_no, raw, reason FROM quarantine ORDER BY source, line_no`;
    expect(rows).toHaveLength(expected.triplets + expected.tracks);
    for (const r of rows) {
      expect(r.reason.length).toBeGreaterThan(5);
      expect(Number(r.line_no)).toBeGreaterThan(0);
    }
    const reasons = new Set(rows.map((r) => r.reason.replace(/'[^']*'|\d+/g, '#')));
    expect(reasons.size).toBeGreaterThanOrEqual(6);
    const negative = rows.find((r) => /\t-\d+$/.test(r.raw));
    expect(negative?.reason).toMatch(/count/);
    expect(Number(negative?.line_no)).toBe(Number(negative?.raw.split('\t')[2].slice(1)));
  });
});

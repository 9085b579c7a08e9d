import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { recordingBus, startTestDatabase, type TestDatabase } from '@tunegraph/service-kit/testing';
import { ingestFiles } from '../ingest.job';

const TRACK = (i: number) => `TR${String(i).padStart(16, '0')}`;

/** The first lyrics file goes straight into the empty lyrics table (COPY, keys rebuilt after); a second one merges. */
describe.runIf(process.env.DATABASE_URL)('lyrics loaded into an empty table', () => {
  let db: TestDatabase;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxm-bulk-'));
  const bus = recordingBus();
  const ingest = (file: string) =>
    ingestFiles({ sql: db.sql, logger: pino({ level: 'silent' }), bus }, [file]);
  const write = (name: string, records: string[]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, ['# lyrics', '%i,the,you,love,night', ...records].join('\n') + '\n');
    return file;
  };
  const lyrics = () =>
    db.sql<{ track_id: string; stem_idx: number; count: number }[]>`
      SELECT track_id, stem_idx, count FROM lyrics ORDER BY track_id, stem_idx`;

  beforeAll(async () => {
    db = await startTestDatabase();
  }, 120_000);
  afterAll(async () => db?.stop());

  it('keeps the last count of a stem a track lists twice, adds the tracks as songs, and announces them', async () => {
    const records = Array.from({ length: 40 }, (_, i) => `${TRACK(i)},${1000 + i},1:${1 + i},4:2`);
    // The same track again: stem 4 restated, stem 5 new.
    records.push(`${TRACK(3)},1003,4:9,5:1`);
    const summary = await ingest(write('mxm_dataset_train.txt', records));
    expect(summary.files[0]).toMatchObject({ format: 'mxm-bow', status: 'loaded', records: 41, rejected: 0 });
    const rows = await lyrics();
    expect(rows).toHaveLength(81);
    expect(rows.filter((r) => r.track_id === TRACK(3))).toEqual([
      { track_id: TRACK(3), stem_idx: 0, count: 4 },
      { track_id: TRACK(3), stem_idx: 3, count: 9 },
      { track_id: TRACK(3), stem_idx: 4, count: 1 },
    ]);
    const [{ songs }] = await db.sql<{ songs: number }[]>`
      SELECT count(*)::int AS songs FROM songs s JOIN tracks t ON t.song_id = s.id`;
    expect(songs).toBe(40);
    const announced = bus.published
      .filter((p) => p.topic === 'lyrics.stored')
      .flatMap((p) => p.values.flatMap((v) => (v as { songIds: string[] }).songIds));
    expect(announced.sort()).toEqual(Array.from({ length: 40 }, (_, i) => TRACK(i)));
  });

  it('merges a second file into the loaded table (the last count of a repeated stem too), announcing only the songs it changed', async () => {
    bus.published.length = 0;
    const records = [`${TRACK(0)},1000,1:7`, `${TRACK(50)},1050,2:1`, `${TRACK(50)},1050,2:5`];
    const summary = await ingest(write('mxm_dataset_test.txt', records));
    expect(summary.files[0]).toMatchObject({ status: 'loaded', records: 3, rejected: 0 });
    const rows = await lyrics();
    expect(rows.length).toBe(82);
    expect(rows.find((r) => r.track_id === TRACK(50))).toEqual({
      track_id: TRACK(50),
      stem_idx: 1,
      count: 5,
    });
    const announced = bus.published.flatMap((p) =>
      p.values.flatMap((v) => (v as { songIds: string[] }).songIds),
    );
    expect(announced.sort()).toEqual([TRACK(0), TRACK(50)]);
  });
});

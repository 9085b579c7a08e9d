import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { msdDataDir } from '@tunegraph/msd-formats/testing';
import { startTestDatabase, type TestDatabase } from '@tunegraph/service-kit/testing';
import { ingestFiles, type IngestSummary } from './ingest.job';
import { s3ClientFromEnv } from './s3-source';

const logger = pino({ level: 'silent' });
const FILES = [
  'metadata/sid_mismatches.txt.gz',
  'metadata/subset_unique_tracks.txt',
  'metadata/corgis_music_subset10k.csv.gz',
  'metadata/subset_artist_mbtag.csv',
  'plays/train_triplets.head5000.txt',
  'lyrics/mxm_dataset_train.head.txt',
];
const TABLES = [
  'artists',
  'songs',
  'tracks',
  'plays',
  'lyrics',
  'artist_tags',
  'sid_mismatches',
  'quarantine',
];

const perFile = (s: IngestSummary) =>
  s.files.map((f) => [
    path.basename(f.source),
    f.format,
    f.encoding,
    f.status,
    f.records,
    f.rejected,
    f.changed,
  ]);

async function counts(db: TestDatabase) {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = Number((await db.sql.unsafe(`SELECT count(*) AS n FROM ${t}`))[0].n);
  return out;
}

/**
 * Real sample files uploaded to a real S3-protocol server (moto's, started by .ci/start-infra.sh and .ci/run, which
 * export S3_ENDPOINT) load from s3://bucket/prefix exactly as from disk.
 */
describe.skipIf(!process.env.S3_ENDPOINT)('ingestFiles from s3://bucket/prefix', () => {
  const env = { S3_ACCESS_KEY_ID: 'test', S3_SECRET_ACCESS_KEY: 'test', ...process.env };
  const s3 = s3ClientFromEnv(env);
  const bucket = `tunegraph-${randomUUID()}`;
  let fromDisk: TestDatabase;
  let fromS3: TestDatabase;
  let disk: IngestSummary;

  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const f of FILES) {
      const Body = fs.readFileSync(path.join(msdDataDir(), f));
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `msd/${f}`, Body }));
    }
    // Outside the prefix: must not be listed.
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'msd-old/plays.txt', Body: 'not\tread\t1\n' }));
    fromDisk = await startTestDatabase();
    fromS3 = await startTestDatabase();
    disk = await ingestFiles(
      { sql: fromDisk.sql, logger },
      FILES.map((f) => path.join(msdDataDir(), f)),
    );
  }, 600_000);

  afterAll(async () => {
    await fromDisk?.stop();
    await fromS3?.stop();
    s3.destroy();
  });

  it('loads the same files with the same counts, formats and encodings as from disk', async () => {
    const remote = await ingestFiles({ sql: fromS3.sql, logger }, [`s3://${bucket}/msd`], { s3 });
    expect(remote.files.map((f) => f.source).sort()).toEqual(
      FILES.map((f) => `s3://${bucket}/msd/${f}`).sort(),
    );
    const byName = (s: IngestSummary) => perFile(s).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(byName(remote)).toEqual(byName(disk));
    expect(await counts(fromS3)).toEqual(await counts(fromDisk));
    expect((await counts(fromS3)).plays).toBe(5_000);
  }, 600_000);

  it('skips unchanged objects on a rerun (ETag fingerprint), and names a prefix with no objects or a bucket it cannot list', async () => {
    const again = await ingestFiles({ sql: fromS3.sql, logger }, [`s3://${bucket}/msd/`], { s3 });
    expect(again.files.map((f) => f.status)).toEqual(FILES.map(() => 'unchanged'));
    await expect(
      ingestFiles({ sql: fromS3.sql, logger }, [`s3://${bucket}/nothing-here`], { s3 }),
    ).rejects.toThrow(/no objects under this prefix/);
    await expect(
      ingestFiles({ sql: fromS3.sql, logger }, ['s3://no-such-bucket-here/plays'], { s3 }),
    ).rejects.toThrow(
      /^s3:\/\/no-such-bucket-here\/plays: cannot list its objects: .*\(S3_ENDPOINT names the server/,
    );
  }, 600_000);
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSql, type Sql } from '../db/sql.client';
import { startTestDatabase, type TestDatabase } from '../testing';
import { failOrphanedJobs, JOB_INTERRUPTED_ERROR, startLeasedJob } from './job-lease';

const insertJob =
  (id: string, status = 'running') =>
  (conn: Sql) =>
    conn`INSERT INTO ingest_jobs (id, paths, status) VALUES (${id}, ${['/data/x.txt']}, ${status})`;

async function jobOf(db: TestDatabase, id: string) {
  const [row] = await db.sql<{ status: string; error: string | null; finished: boolean }[]>`
    SELECT status, error, finished_at IS NOT NULL AS finished FROM ingest_jobs WHERE id = ${id}`;
  return row;
}

describe('job leases', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await startTestDatabase();
  }, 120_000);

  afterAll(async () => {
    await db?.stop();
  });

  it('fails a running job nobody holds, and leaves finished and content jobs alone', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const lease = await startLeasedJob(db.sql, a, insertJob(a));
    await startLeasedJob(db.sql, b, insertJob(b)).then((l) => l.release());
    await db.sql`UPDATE ingest_jobs SET status = 'done', finished_at = now() WHERE id = ${b}`;
    await lease.release(); // as if its process had died
    expect(await failOrphanedJobs(db.sql, 'ingest_jobs')).toEqual([a]);
    expect(await jobOf(db, a)).toEqual({ status: 'failed', error: JOB_INTERRUPTED_ERROR, finished: true });
    expect((await jobOf(db, b)).status).toBe('done');
    expect(await failOrphanedJobs(db.sql, 'content_training_jobs')).toEqual([]);
  });

  it('writes no row when the insert fails', async () => {
    const c = randomUUID();
    await expect(startLeasedJob(db.sql, c, insertJob(c, 'nonsense'))).rejects.toThrow();
    expect(await jobOf(db, c)).toBeUndefined();
  });

  // The embedded store serves every connection from one session, where a lease cannot be seen from outside.
  it.runIf(process.env.DATABASE_URL)(
    'leaves alone a job another process runs, and fails it once that process is gone',
    async () => {
      const other = createSql(db.url, { max: 2 });
      const d = randomUUID();
      await startLeasedJob(other, d, insertJob(d));
      expect(await failOrphanedJobs(db.sql, 'ingest_jobs')).toEqual([]);
      await other.end({ timeout: 0 }); // the process dies: its connection, and the lock, go with it
      await expect.poll(() => failOrphanedJobs(db.sql, 'ingest_jobs'), { timeout: 10_000 }).toEqual([d]);
    },
  );
});

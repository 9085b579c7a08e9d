import { crc32 } from 'node:zlib';
import type { Sql } from '../db/sql.client';
import { failUnheld, openLease, type Lease } from './lease';

/** Advisory-lock class of running background jobs (ingest, content training). */
const JOB_LOCK_CLASS = 7_467_002;

export const JOB_INTERRUPTED_ERROR = 'interrupted: the process running this job stopped before it finished';

/** Tables of background jobs: id text, status running | done | failed, error, finished_at. */
export type JobTable = 'ingest_jobs' | 'content_training_jobs';

/**
 * The lock key of a job id. Two ids may share one: then a dead job looks alive while the other runs, and is
 * failed at a later start instead.
 */
const keyOf = (id: string) => crc32(id) | 0;

/** Writes the job's row (`insert`, status running) under a lease held until the job ends (see openLease). */
export async function startLeasedJob(
  sql: Sql,
  id: string,
  insert: (conn: Sql) => Promise<unknown>,
): Promise<Lease> {
  const { lease } = await openLease(sql, JOB_LOCK_CLASS, keyOf(id), insert);
  return lease;
}

/** Marks failed (JOB_INTERRUPTED_ERROR) every running job of `table` whose lease nobody holds; returns their ids. */
export async function failOrphanedJobs(sql: Sql, table: JobTable): Promise<string[]> {
  const running = await sql<
    { id: string }[]
  >`SELECT id FROM ${sql(table)} WHERE status = 'running' ORDER BY id`;
  return failUnheld(
    sql,
    JOB_LOCK_CLASS,
    running.map((r) => r.id),
    keyOf,
    (conn, id) => conn`
      UPDATE ${conn(table)} SET status = 'failed', error = ${JOB_INTERRUPTED_ERROR}, finished_at = now()
      WHERE id = ${id} AND status = 'running'`,
  );
}

import { Inject, Injectable } from '@nestjs/common';
import { SQL, failOrphanedJobs, startLeasedJob, type Lease, type Sql } from '@tunegraph/service-kit';

export interface IngestJobRow {
  id: string;
  paths: string[];
  status: 'running' | 'done' | 'failed';
  progress: { file?: string; fileIndex?: number; files?: number; records?: number };
  summary: Record<string, unknown> | null;
  error: string | null;
  started_at: Date;
  finished_at: Date | null;
}

@Injectable()
export class IngestJobsRepository {
  constructor(@Inject(SQL) private readonly sql: Sql) {}

  /** The job's row, under a lease to release when it ends (a crash leaves it for failInterrupted). */
  create(id: string, paths: string[]): Promise<Lease> {
    return startLeasedJob(
      this.sql,
      id,
      (conn) => conn`INSERT INTO ingest_jobs (id, paths, status) VALUES (${id}, ${paths}, 'running')`,
    );
  }

  /** Jobs left running by a process that died: marked failed; returns their ids. */
  failInterrupted(): Promise<string[]> {
    return failOrphanedJobs(this.sql, 'ingest_jobs');
  }

  async progress(id: string, progress: IngestJobRow['progress']) {
    await this.sql`UPDATE ingest_jobs SET progress = ${this.sql.json(progress)} WHERE id = ${id}`;
  }

  async finish(id: string, outcome: { summary: Record<string, unknown> } | { error: string }) {
    if ('error' in outcome) {
      await this
        .sql`UPDATE ingest_jobs SET status = 'failed', error = ${outcome.error}, finished_at = now() WHERE id = ${id}`;
    } else {
      await this.sql`
        UPDATE ingest_jobs SET status = 'done', summary = ${this.sql.json(outcome.summary as never)}, finished_at = now()
        WHERE id = ${id}`;
    }
  }

  async find(id: string): Promise<IngestJobRow | undefined> {
    const [row] = await this.sql<IngestJobRow[]>`SELECT * FROM ingest_jobs WHERE id = ${id}`;
    return row;
  }

  list(limit: number): Promise<IngestJobRow[]> {
    return this.sql<IngestJobRow[]>`SELECT * FROM ingest_jobs ORDER BY started_at DESC LIMIT ${limit}`;
  }
}

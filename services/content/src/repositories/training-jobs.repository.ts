import { Inject, Injectable } from '@nestjs/common';
import { SQL, failOrphanedJobs, startLeasedJob, type Lease, type Sql } from '@tunegraph/service-kit';
import type { JobProgress } from '../jobs/job-progress';

export interface TrainingJobRow {
  id: string;
  model: string;
  params: Record<string, unknown>;
  status: 'running' | 'done' | 'failed';
  progress: Partial<JobProgress>;
  summary: Record<string, unknown> | null;
  error: string | null;
  started_at: Date;
  finished_at: Date | null;
}

@Injectable()
export class TrainingJobsRepository {
  constructor(@Inject(SQL) private readonly sql: Sql) {}

  /** The job's row, under a lease to release when it ends (a crash leaves it for failInterrupted). */
  create(id: string, model: string, params: Record<string, unknown>): Promise<Lease> {
    return startLeasedJob(
      this.sql,
      id,
      (conn) => conn`
        INSERT INTO content_training_jobs (id, model, params, status)
        VALUES (${id}, ${model}, ${conn.json(params as never)}, 'running')`,
    );
  }

  /** Jobs left running by a process that died: marked failed; returns their ids. */
  failInterrupted(): Promise<string[]> {
    return failOrphanedJobs(this.sql, 'content_training_jobs');
  }

  async progress(id: string, progress: JobProgress) {
    await this
      .sql`UPDATE content_training_jobs SET progress = ${this.sql.json({ ...progress })} WHERE id = ${id}`;
  }

  async finish(id: string, outcome: { summary: Record<string, unknown> } | { error: string }) {
    if ('error' in outcome) {
      await this.sql`
        UPDATE content_training_jobs SET status = 'failed', error = ${outcome.error.slice(0, 2000)}, finished_at = now() WHERE id = ${id}`;
    } else {
      await this.sql`
        UPDATE content_training_jobs SET status = 'done', summary = ${this.sql.json(outcome.summary as never)}, finished_at = now()
        WHERE id = ${id}`;
    }
  }

  async find(id: string): Promise<TrainingJobRow | undefined> {
    const [row] = await this.sql<TrainingJobRow[]>`SELECT * FROM content_training_jobs WHERE id = ${id}`;
    return row;
  }
}

import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import {
  CONFIG,
  EVENT_BUS,
  LOGGER,
  SQL,
  badInput,
  notFound,
  type EventBus,
  type Logger,
  type Sql,
} from '@tunegraph/service-kit';
import { knownMsdFormat, type KnownMsdFormat } from '@tunegraph/msd-formats';
import type { IngestionConfig } from '../config';
import { ingestFiles, type IngestSummary } from '../jobs/ingest.job';
import { isS3Url } from '../jobs/s3-source';
import { IngestJobsRepository, type IngestJobRow } from '../repositories/ingest-jobs.repository';

/** Ingest jobs started over GraphQL run in the background; their progress and summary live in ingest_jobs. */
@Injectable()
export class IngestJobsService implements OnApplicationShutdown {
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly repo: IngestJobsRepository,
    @Inject(SQL) private readonly sql: Sql,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CONFIG) private readonly config: IngestionConfig,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  /**
   * Only files under the configured roots can be read, so the API cannot be used to read the server's files; an
   * `s3://bucket/prefix` root allows the objects under it.
   */
  private checkPaths(paths: string[]): string[] {
    if (paths.length === 0 || paths.length > 100) throw badInput('give between 1 and 100 paths');
    const allowed = [this.config.TUNEGRAPH_HOME, ...this.config.INGEST_ROOTS];
    const roots = allowed.filter((r) => !isS3Url(r)).map((r) => path.resolve(r));
    const s3Roots = allowed.filter(isS3Url).map((r) => r.replace(/\/+$/, ''));
    const issues: string[] = [];
    const resolved = paths.map((p) => {
      if (isS3Url(p)) {
        if (!s3Roots.some((root) => p === root || p.startsWith(`${root}/`)))
          issues.push(`${p}: outside the allowed roots (INGEST_ROOTS)`);
        return p;
      }
      const abs = path.resolve(p);
      if (!roots.some((root) => abs === root || abs.startsWith(root + path.sep)))
        issues.push(`${p}: outside the allowed roots (INGEST_ROOTS)`);
      else if (!fs.existsSync(abs)) issues.push(`${p}: no such file or folder`);
      return abs;
    });
    if (issues.length) throw badInput(`cannot ingest: ${issues.join('; ')}`, issues);
    return resolved;
  }

  async start(paths: string[], opts: { force?: boolean; format?: string } = {}): Promise<IngestJobRow> {
    const files = this.checkPaths(paths);
    let format: KnownMsdFormat | undefined;
    try {
      format = opts.format === undefined ? undefined : knownMsdFormat(opts.format);
    } catch (err) {
      throw badInput((err as Error).message);
    }
    const id = randomUUID();
    const lease = await this.repo.create(id, files);
    let last = 0;
    const run = ingestFiles({ sql: this.sql, logger: this.logger, bus: this.bus }, files, {
      force: opts.force,
      format,
      onProgress: (p) => {
        if (Date.now() - last < 500) return;
        last = Date.now();
        void this.repo.progress(id, p).catch(() => undefined);
      },
    })
      .then((summary: IngestSummary) => this.repo.finish(id, { summary: { ...summary } }))
      .catch(async (err: Error) => {
        this.logger.error({ err, job: id }, 'ingest job failed');
        await this.repo.finish(id, { error: err.message });
      })
      .finally(async () => {
        this.running.delete(id);
        await lease.release();
      });
    this.running.set(id, run);
    return (await this.repo.find(id))!;
  }

  async get(id: string): Promise<IngestJobRow> {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw badInput(`'${id.slice(0, 40)}' is not a job id`);
    const job = await this.repo.find(id);
    if (!job) throw notFound(`no ingest job ${id}`);
    return job;
  }

  list(first: number) {
    if (!Number.isInteger(first) || first < 1 || first > 100)
      throw badInput('first must be between 1 and 100');
    return this.repo.list(first);
  }

  /** Run at start: jobs a process that died left running are marked failed (rerunning an ingest resumes it). */
  async failInterrupted(): Promise<void> {
    const jobs = await this.repo.failInterrupted();
    if (jobs.length > 0) this.logger.warn({ jobs }, `marked ${jobs.length} interrupted ingest job(s) failed`);
  }

  /** Shutdown lets running jobs finish their current step; a job cut short is safe to rerun (loads are idempotent). */
  async onApplicationShutdown() {
    await Promise.race([Promise.all(this.running.values()), new Promise((r) => setTimeout(r, 10_000))]);
  }
}

import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { z } from 'zod';
import {
  AppError,
  EVENT_BUS,
  LOGGER,
  SQL,
  badInput,
  failOrphanedVersions,
  notFound,
  validate,
  type EventBus,
  type Logger,
  type Sql,
} from '@tunegraph/service-kit';
import type { JobProgress } from '../jobs/job-progress';
import { trainLdaJob } from '../jobs/train-lda.job';
import { trainTfidfJob } from '../jobs/train-tfidf.job';
import { trainWord2VecJob } from '../jobs/train-word2vec.job';
import { TrainingJobsRepository, type TrainingJobRow } from '../repositories/training-jobs.repository';
import { CONTENT_MODELS, type ContentModelName } from './active-models.service';

const seed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1);

/** The parameters each model accepts; anything else is refused up front rather than failing in the background. */
const PARAMS = {
  tfidf: z.object({ sublinearTf: z.boolean() }).partial().strict(),
  lda: z
    .object({
      topics: z.number().int().min(2).max(500),
      passes: z.number().int().min(1).max(100),
      batchSize: z.number().int().min(1).max(100_000),
      seed,
    })
    .partial()
    .strict(),
  word2vec: z
    .object({
      dim: z.number().int().min(2).max(1024),
      window: z.number().int().min(1).max(50),
      epochs: z.number().int().min(1).max(100),
      negatives: z.number().int().min(1).max(50),
      minCount: z.number().int().min(1).max(1_000_000),
      subsample: z.number().min(0).max(1),
      seed,
    })
    .partial()
    .strict(),
} satisfies Record<ContentModelName, z.ZodType>;

/** Admin training runs: started in the background, their progress and resulting model version kept for polling. */
@Injectable()
export class ContentTrainingService implements OnApplicationShutdown {
  private readonly running = new Map<ContentModelName, Promise<void>>();

  constructor(
    private readonly repo: TrainingJobsRepository,
    @Inject(SQL) private readonly sql: Sql,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async start(model: ContentModelName, params: Record<string, unknown> = {}): Promise<TrainingJobRow> {
    const what = `${model} parameters`;
    const deps = { sql: this.sql, bus: this.bus, logger: this.logger };
    let last = 0;
    let id = '';
    // Progress writes run in order, and the run's end waits for them: a late write cannot overtake the final state.
    let writes: Promise<unknown> = Promise.resolve();
    const onProgress = (p: JobProgress) => {
      if (Date.now() - last < 500 && p.step < p.steps) return;
      last = Date.now();
      writes = writes.then(() => this.repo.progress(id, p)).catch(() => undefined);
    };
    // Each model's parameters are checked now, so a bad one is an error of this call, not of a background run.
    let options: Record<string, unknown>;
    let job: () => Promise<object>;
    if (model === 'tfidf') {
      const o = validate(PARAMS.tfidf, params, what);
      [options, job] = [o, () => trainTfidfJob(deps, o, onProgress)];
    } else if (model === 'lda') {
      const o = validate(PARAMS.lda, params, what);
      [options, job] = [o, () => trainLdaJob(deps, o, onProgress)];
    } else {
      const o = validate(PARAMS.word2vec, params, what);
      [options, job] = [o, () => trainWord2VecJob(deps, o, onProgress)];
    }
    if (this.running.has(model))
      throw new AppError('CONFLICT', `a ${model} training is already running in this service`);
    id = randomUUID();
    const lease = await this.repo.create(id, model, options);
    const run = job()
      .then(async (summary) => {
        await writes;
        await this.repo.finish(id, { summary: { ...summary } });
      })
      .catch(async (err: Error) => {
        this.logger.error({ err, job: id }, `${model} training job failed`);
        await writes;
        await this.repo.finish(id, { error: err.message });
      })
      .finally(async () => {
        this.running.delete(model);
        await lease.release();
      });
    this.running.set(model, run);
    return (await this.repo.find(id))!;
  }

  async get(id: string): Promise<TrainingJobRow> {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw badInput(`'${id.slice(0, 40)}' is not a job id`);
    const job = await this.repo.find(id);
    if (!job) throw notFound(`no content training job ${id}`);
    return job;
  }

  /** Shutdown waits a little for running trainings; one cut short leaves its version failed, the active one intact. */
  /** Marks failed the versions of content models whose training process died; run before serving. */
  async failInterruptedRuns(): Promise<void> {
    const failed = await failOrphanedVersions(this.sql, CONTENT_MODELS);
    if (failed.length > 0) {
      this.logger.warn({ versions: failed }, `marked ${failed.length} interrupted training run(s) failed`);
    }
    const jobs = await this.repo.failInterrupted();
    if (jobs.length > 0) {
      this.logger.warn({ jobs }, `marked ${jobs.length} interrupted training job(s) failed`);
    }
  }

  async onApplicationShutdown() {
    await Promise.race([Promise.all(this.running.values()), new Promise((r) => setTimeout(r, 10_000))]);
  }
}

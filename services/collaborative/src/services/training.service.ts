import { Inject, Injectable } from '@nestjs/common';
import {
  EVENT_BUS,
  LOGGER,
  SQL,
  badInput,
  failOrphanedVersions,
  type EventBus,
  type Logger,
  type Sql,
} from '@tunegraph/service-kit';
import { ITEM2VEC_MODEL } from '../jobs/train-item2vec.job';
import { trainModelJob } from '../jobs/train-model.job';
import { collaborativeModels } from '../models/model-kinds';
import type { StoredVersion } from '../repositories/model-versions.repository';

/** Starts training jobs in this process for the admin mutation; they report through model_versions. */
@Injectable()
export class TrainingService {
  constructor(
    @Inject(SQL) private readonly sql: Sql,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Marks failed the versions of this service's models whose training process died; run before serving. */
  async failInterruptedRuns(): Promise<void> {
    const failed = await failOrphanedVersions(this.sql, [...collaborativeModels.names(), ITEM2VEC_MODEL]);
    if (failed.length > 0) {
      this.logger.warn({ versions: failed }, `marked ${failed.length} interrupted training run(s) failed`);
    }
  }

  /**
   * Resolves with the new version as soon as it exists; errors found before that (unknown model, bad JSON or
   * hyperparameters, no plays) reject at once. Later failures are recorded on the version.
   */
  start(model: string, paramsJson?: string): Promise<StoredVersion> {
    const params = parseParams(paramsJson);
    collaborativeModels.params(model, params);
    return new Promise<StoredVersion>((resolve, reject) => {
      let started = false;
      trainModelJob({ sql: this.sql, bus: this.bus, logger: this.logger }, model, params, {
        onStarted: (version) => {
          started = true;
          resolve({ ...version, error: null });
        },
      }).catch((err: unknown) => {
        if (!started) reject(err as Error);
        else this.logger.error({ err, model }, `${model}: training started from GraphQL failed`);
      });
    });
  }
}

function parseParams(json: string | undefined): Record<string, unknown> {
  if (json === undefined || json.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw badInput(`params is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw badInput('params must be a JSON object');
  return value as Record<string, unknown>;
}

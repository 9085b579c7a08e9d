import {
  evaluateRecommender,
  holdoutEvaluationSplit,
  msdChallengeSplit,
  strongGeneralizationSplit,
  type EvaluationReport,
  type EvaluationSplit,
} from '@tunegraph/metrics';
import { AppError, badInput, type Logger, type Sql } from '@tunegraph/service-kit';
import { collaborativeModels } from '../models/model-kinds';
import { PlaysRepository } from '../repositories/plays.repository';
import { fitKind } from './train-model.job';

export type SplitName = 'holdout' | 'msd-challenge' | 'strong';
export const SPLITS: readonly SplitName[] = ['holdout', 'msd-challenge', 'strong'];

export interface EvaluateModelsOptions {
  split: SplitName;
  /** Kinds to compare; default every registered one. */
  models?: string[];
  /** Hyperparameters per kind; defaults otherwise. */
  params?: Record<string, Record<string, unknown>>;
  k: number[];
  seed: number;
  /** Test users scored at most (evenly spaced sample). */
  maxUsers: number;
  /** Users held out by the msd-challenge and strong splits. */
  testUsers: number;
}

export const DEFAULT_EVALUATE_OPTIONS: EvaluateModelsOptions = {
  split: 'holdout',
  k: [10, 50, 100],
  seed: 42,
  maxUsers: 5_000,
  testUsers: 1_000,
};

/**
 * Liang et al.'s strong-generalisation filters (songs >= 200 listeners, users >= 20 songs) need MSD-sized data;
 * below a million plays they leave almost nothing, so smaller data uses songs >= 10 listeners, users >= 10 songs.
 */
function strongFilters(plays: number): { minSongUsers: number; minUserSongs: number } {
  return plays >= 1_000_000
    ? { minSongUsers: 200, minUserSongs: 20 }
    : { minSongUsers: 10, minUserSongs: 10 };
}

/** Fits every chosen kind on one split of the stored plays and scores it; the report renders as JSON, markdown or SVG. */
export async function evaluateModels(
  deps: { sql: Sql; logger: Logger },
  options: Partial<EvaluateModelsOptions> = {},
): Promise<EvaluationReport> {
  const opts = { ...DEFAULT_EVALUATE_OPTIONS, ...options };
  if (!SPLITS.includes(opts.split))
    throw badInput(`Unknown split "${opts.split}"; known: ${SPLITS.join(', ')}`);
  const models = opts.models ?? collaborativeModels.names();
  const params = Object.fromEntries(models.map((m) => [m, collaborativeModels.params(m, opts.params?.[m])]));
  const data = await new PlaysRepository(deps.sql).loadPlayMatrix();
  if (data.users.length === 0) throw badInput('Cannot evaluate: the plays table is empty');
  const { split, splitParams } = makeSplit(data, opts);
  if (split.test.size === 0) throw badInput(`Cannot evaluate: the ${split.name} split has no test users`);
  const shape = { numUsers: data.userIds.length, numItems: split.numItems };
  const log = (fields: Record<string, unknown>, message: string) => deps.logger.info(fields, message);
  const report: EvaluationReport = {
    split: {
      name: split.name,
      trainPlays: split.train.users.length,
      testUsers: Math.min(split.test.size, opts.maxUsers),
      numItems: split.numItems,
      params: splitParams,
    },
    k: opts.k,
    models: [],
    skipped: [],
  };
  for (const [i, name] of models.entries()) {
    log({ model: name, of: `${i + 1}/${models.length}` }, `evaluate: fitting ${name}`);
    const started = performance.now();
    let model;
    try {
      model = await fitKind(collaborativeModels.get(name), params[name], { ...split.train, ...shape }, log);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      report.skipped?.push({ name, reason: err.message });
      log({ model: name, reason: err.message }, `evaluate: ${name} skipped`);
      continue;
    }
    const fitSeconds = (performance.now() - started) / 1000;
    const result = evaluateRecommender(model, split, { k: opts.k, maxUsers: opts.maxUsers });
    report.models.push({ name, params: params[name], fitSeconds, result });
    log(
      { model: name, ndcgAt10: result.ndcg[opts.k[0]], mapAt500: result.map500, fitSeconds },
      `evaluate: ${name} scored`,
    );
  }
  return report;
}

function makeSplit(
  data: Parameters<typeof holdoutEvaluationSplit>[0],
  opts: EvaluateModelsOptions,
): { split: EvaluationSplit; splitParams: Record<string, unknown> } {
  try {
    if (opts.split === 'holdout') {
      const p = { testFraction: 0.2, seed: opts.seed, minItemsPerUser: 5 };
      return { split: holdoutEvaluationSplit(data, p), splitParams: p };
    }
    if (opts.split === 'msd-challenge') {
      const p = { testUsers: opts.testUsers, seed: opts.seed };
      return { split: msdChallengeSplit(data, p), splitParams: p };
    }
    const p = {
      ...strongFilters(data.users.length),
      heldOutUsers: opts.testUsers,
      foldInFraction: 0.8,
      seed: opts.seed,
    };
    return { split: strongGeneralizationSplit(data, p), splitParams: p };
  } catch (err) {
    if (err instanceof RangeError) throw badInput(`Cannot build the ${opts.split} split: ${err.message}`);
    throw err;
  }
}

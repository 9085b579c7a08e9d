import {
  evaluateRecommender,
  holdoutEvaluationSplit,
  type EvaluationSplit,
  type Recommender,
} from '@tunegraph/metrics';
import {
  AppError,
  badInput,
  runModelVersion,
  type ModelJobDeps,
  type ModelVersionRow,
} from '@tunegraph/service-kit';
import { collaborativeModels } from '../models/model-kinds';
import type { ModelKind, ProgressLog, TrainingData } from '../models/model-kind';
import { saveModel } from '../repositories/model-versions.repository';
import { PlaysRepository, type PlayMatrix } from '../repositories/plays.repository';

/** How each version is measured before its final fit on every play. */
export interface HoldoutSettings {
  /** Share of each user's songs held out. */
  testFraction: number;
  /** Users with fewer songs are not held out (a single held-out song of two says little). */
  minSongsForHoldout: number;
  /** Held-out users scored at most (a fixed, evenly spaced sample), bounding evaluation time on big data. */
  maxEvalUsers: number;
  seed: number;
}

export const DEFAULT_HOLDOUT: HoldoutSettings = {
  testFraction: 0.2,
  minSongsForHoldout: 5,
  maxEvalUsers: 10_000,
  seed: 42,
};

/** Recorded with every version; null when no user had enough songs to hold any out. */
export interface HoldoutMetrics {
  evaluatedUsers: number;
  ndcgAt10: number | null;
  precisionAt10: number | null;
  recallAt50: number | null;
  mapAt500: number | null;
  coverage: number | null;
  popularityBias: number | null;
}

export interface TrainModelSummary {
  model: string;
  versionId: number;
  version: number;
  users: number;
  songs: number;
  plays: number;
  seconds: number;
  metrics: HoldoutMetrics;
}

export interface TrainModelHooks {
  holdout?: Partial<HoldoutSettings>;
  /** Called once the version row exists (status "training"), e.g. to answer an admin mutation at once. */
  onStarted?: (version: ModelVersionRow) => void;
}

/**
 * Trains one version of any registered kind: hyperparameters checked before anything is written, a holdout
 * evaluation, a fit on every play, the model stored (and any vectors published), then atomic activation.
 * Any failure marks the new version failed and leaves the active one untouched.
 */
export async function trainModelJob(
  deps: ModelJobDeps,
  model: string,
  rawParams: Record<string, unknown> = {},
  hooks: TrainModelHooks = {},
): Promise<TrainModelSummary> {
  const kind = collaborativeModels.get(model);
  const params = collaborativeModels.params(model, rawParams);
  const holdout = { ...DEFAULT_HOLDOUT, ...hooks.holdout };
  const started = performance.now();
  const data = await new PlaysRepository(deps.sql).loadPlayMatrix();
  assertTrainable(model, data);
  const log: ProgressLog = (fields, message) => deps.logger.info(fields, message);
  log(
    { users: data.userIds.length, songs: data.songIds.length, plays: data.users.length },
    `${model}: plays loaded`,
  );

  const result = await runModelVersion(deps, model, { ...params, holdout }, async (version) => {
    hooks.onStarted?.(version);
    const metrics = await measureHoldout(kind, params, data, holdout, log);
    log({ version: version.version, ...metrics }, `${model}: holdout metrics`);
    const fitted = await fitKind(kind, params, trainingData(data), log);
    await saveModel(deps.sql, version.id, { songIds: data.songIds, bytes: fitted.toBuffer() });
    const dim = kind.publishVectors
      ? await kind.publishVectors(
          fitted,
          {
            sql: deps.sql,
            pglite: deps.pglite,
            versionId: version.id,
            songIds: data.songIds,
            userIds: data.userIds,
          },
          params,
        )
      : null;
    return { dim, metrics: { ...metrics }, holdout: metrics, versionId: version.id };
  });
  const summary: TrainModelSummary = {
    model,
    versionId: result.versionId,
    version: result.version,
    users: data.userIds.length,
    songs: data.songIds.length,
    plays: data.users.length,
    seconds: Math.round((performance.now() - started) / 10) / 100,
    metrics: result.holdout,
  };
  deps.logger.info(
    summary,
    `${model} v${summary.version}: trained on ${summary.plays} plays of ${summary.users} users in ${summary.seconds} s, ` +
      `NDCG@10 ${summary.metrics.ndcgAt10?.toFixed(4) ?? 'n/a'}, mAP@500 ${summary.metrics.mapAt500?.toFixed(4) ?? 'n/a'}; activated`,
  );
  return summary;
}

function assertTrainable(model: string, data: PlayMatrix) {
  if (data.users.length === 0) throw badInput(`Cannot train ${model}: the plays table is empty`);
  if (data.userIds.length < 2) {
    throw badInput(
      `Cannot train ${model}: plays come from ${data.userIds.length} user; at least 2 are needed`,
    );
  }
  if (data.songIds.length < 2) {
    throw badInput(`Cannot train ${model}: plays cover ${data.songIds.length} song; at least 2 are needed`);
  }
}

function trainingData(
  data: PlayMatrix,
  plays: Pick<TrainingData, 'users' | 'items' | 'counts'> = data,
): TrainingData {
  return { ...plays, numUsers: data.userIds.length, numItems: data.songIds.length };
}

/** Kernels report bad settings or data as RangeError; those are the caller's to fix, hence BAD_USER_INPUT. */
export async function fitKind(
  kind: ModelKind,
  params: Record<string, unknown>,
  data: TrainingData,
  log: ProgressLog,
): Promise<Recommender> {
  try {
    return await kind.fit(data, params, log);
  } catch (err) {
    if (err instanceof RangeError) {
      // Kernel messages start with the kind's name already.
      const reason = err.message.startsWith(`${kind.name}: `)
        ? err.message.slice(kind.name.length + 2)
        : err.message;
      throw new AppError('BAD_USER_INPUT', `Cannot train ${kind.name}: ${reason}`);
    }
    throw err;
  }
}

async function measureHoldout(
  kind: ModelKind,
  params: Record<string, unknown>,
  data: PlayMatrix,
  settings: HoldoutSettings,
  log: ProgressLog,
): Promise<HoldoutMetrics> {
  const split: EvaluationSplit = holdoutEvaluationSplit(data, {
    testFraction: settings.testFraction,
    seed: settings.seed,
    minItemsPerUser: settings.minSongsForHoldout,
  });
  if (split.test.size === 0) {
    log(
      { minSongsForHoldout: settings.minSongsForHoldout },
      `${kind.name}: no user has enough songs for a holdout`,
    );
    return {
      evaluatedUsers: 0,
      ndcgAt10: null,
      precisionAt10: null,
      recallAt50: null,
      mapAt500: null,
      coverage: null,
      popularityBias: null,
    };
  }
  const model = await fitKind(kind, params, trainingData(data, split.train), log);
  const r = evaluateRecommender(model, split, { k: [10, 50], maxUsers: settings.maxEvalUsers });
  return {
    evaluatedUsers: r.users,
    ndcgAt10: r.ndcg[10],
    precisionAt10: r.precision[10],
    recallAt50: r.recall[50],
    mapAt500: r.map500,
    coverage: r.coverage,
    popularityBias: r.popularityBias,
  };
}

import { item2vecParallel, userHistories } from '@tunegraph/word2vec';
import { badInput, createVectorIndexes, runModelVersion, type ModelJobDeps } from '@tunegraph/service-kit';
import { writeFactors } from '../repositories/model-versions.repository';
import { PlaysRepository } from '../repositories/plays.repository';

export const ITEM2VEC_MODEL = 'item2vec';

export interface TrainItem2VecOptions {
  dim: number;
  epochs: number;
  negatives: number;
  /** Songs with fewer listeners get no vector: their neighbours would be noise (measured on the Turi plays). */
  minCount: number;
  subsample: number;
  seed: number;
}

export const DEFAULT_ITEM2VEC_OPTIONS: TrainItem2VecOptions = {
  dim: 32,
  epochs: 10,
  negatives: 5,
  minCount: 5,
  subsample: 1e-3,
  seed: 42,
};

export interface TrainItem2VecSummary {
  version: number;
  songs: number;
  songsWithVectors: number;
  users: number;
  seconds: number;
}

/**
 * item2vec (skip-gram over listening histories): song vectors that capture taste, stored in pgvector as the
 * "item2vec" collection with an HNSW index, then activated.
 */
export async function trainItem2VecJob(
  deps: ModelJobDeps,
  options: Partial<TrainItem2VecOptions> = {},
): Promise<TrainItem2VecSummary> {
  const started = Date.now();
  const o = { ...DEFAULT_ITEM2VEC_OPTIONS, ...options };
  const data = await new PlaysRepository(deps.sql).loadPlayMatrix();
  if (data.songIds.length < 2 || data.userIds.length < 1) {
    throw badInput(`item2vec needs plays of at least 2 songs; found ${data.songIds.length} songs`);
  }
  const result = await runModelVersion(deps, ITEM2VEC_MODEL, { ...o }, async (version) => {
    // On every available core (Hogwild): the vectors vary slightly from run to run for the same seed.
    const model = await item2vecParallel(userHistories(data.users, data.items), {
      ...o,
      vocabularySize: data.songIds.length,
      onProgress: (p) => deps.logger.info({ epoch: p.epoch, of: p.epochs, loss: p.loss }, 'item2vec: epoch'),
    });
    const kept: number[] = [];
    for (let s = 0; s < data.songIds.length; s++) if (model.hasVector(s)) kept.push(s);
    if (kept.length < 2)
      throw badInput(`only ${kept.length} songs have at least ${o.minCount} listeners; lower minCount`);
    const vectors = new Float32Array(kept.length * o.dim);
    kept.forEach((s, i) => vectors.set(model.vector(s), i * o.dim));
    await writeFactors(
      { sql: deps.sql, pglite: deps.pglite },
      'song_embeddings',
      version.id,
      kept.map((s) => data.songIds[s]),
      vectors,
      o.dim,
    );
    await createVectorIndexes(deps.sql, { versionId: version.id, kind: 'dense', dim: o.dim });
    const metrics = {
      songs: data.songIds.length,
      songsWithVectors: kept.length,
      users: data.userIds.length,
      seconds: (Date.now() - started) / 1000,
    };
    return { dim: o.dim, metrics };
  });
  const summary = { version: result.version, ...result.metrics };
  deps.logger.info(
    summary,
    `item2vec v${summary.version}: ${summary.songsWithVectors}/${summary.songs} songs embedded from ` +
      `${summary.users} listening histories in ${summary.seconds.toFixed(1)} s`,
  );
  return summary;
}

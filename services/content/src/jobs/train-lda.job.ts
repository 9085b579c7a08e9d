import { fitLda } from '@tunegraph/lda';
import { badInput, createVectorIndexes, runModelVersion, type ModelJobDeps } from '@tunegraph/service-kit';
import { loadSongBags, saveArtifact, writeDenseVectors } from '../repositories/lyrics.repository';
import type { JobProgress } from './job-progress';

export const LDA_MODEL = 'lda';

export interface TrainLdaOptions {
  topics: number;
  passes: number;
  batchSize: number;
  seed: number;
}

export const DEFAULT_LDA_OPTIONS: TrainLdaOptions = { topics: 20, passes: 2, batchSize: 128, seed: 42 };

export interface TrainLdaSummary {
  version: number;
  songs: number;
  topics: number;
  heldOutPerplexity: number | null;
  seconds: number;
}

/**
 * Fits LDA topics (online variational Bayes) on the lyrics of 9 songs in 10, measures held-out perplexity per word
 * on the tenth, stores every song's topic mixture in pgvector (collection "lda") with the model, and activates it.
 */
export async function trainLdaJob(
  deps: ModelJobDeps,
  opts: Partial<TrainLdaOptions> = {},
  onProgress?: (p: JobProgress) => void,
): Promise<TrainLdaSummary> {
  const started = Date.now();
  const o = { ...DEFAULT_LDA_OPTIONS, ...opts };
  if (!Number.isInteger(o.topics) || o.topics < 2 || o.topics > 500)
    throw badInput(`topics must be between 2 and 500, got ${o.topics}`);
  const { songIds, docs, vocabularySize } = await loadSongBags(deps.sql);
  if (docs.length < 2) throw badInput(`LDA needs lyrics for at least 2 songs; found ${docs.length}`);
  const train = docs.filter((_, i) => docs.length < 20 || i % 10 !== 9);
  const heldOut = docs.length < 20 ? [] : docs.filter((_, i) => i % 10 === 9);
  const result = await runModelVersion(deps, LDA_MODEL, { ...o }, async (version) => {
    const model = fitLda(train, {
      ...o,
      vocabularySize,
      onProgress: (p) => {
        if (p.batch === p.batchesPerPass) deps.logger.info({ pass: p.pass, of: o.passes }, 'lda: pass done');
        const step = (p.pass - 1) * p.batchesPerPass + p.batch;
        onProgress?.({
          step,
          steps: o.passes * p.batchesPerPass,
          message: `pass ${p.pass}/${o.passes}, batch ${p.batch}/${p.batchesPerPass}`,
        });
      },
    });
    // Per held-out word, without the topics' prior term (see LdaModel.heldOutPerplexity).
    const heldOutPerplexity = heldOut.length ? model.heldOutPerplexity(heldOut) : null;
    const rows = docs.map((d, i) => ({ songId: songIds[i], vector: model.transform(d) }));
    await writeDenseVectors({ sql: deps.sql, pglite: deps.pglite }, version.id, rows);
    await saveArtifact(deps.sql, version.id, model.toBuffer());
    await createVectorIndexes(deps.sql, { versionId: version.id, kind: 'dense', dim: o.topics });
    const metrics = {
      songs: docs.length,
      topics: o.topics,
      heldOutPerplexity,
      seconds: (Date.now() - started) / 1000,
    };
    return { dim: o.topics, metrics };
  });
  const summary = { version: result.version, ...result.metrics };
  deps.logger.info(
    summary,
    `lda v${summary.version}: ${summary.topics} topics over ${summary.songs} songs, held-out perplexity ` +
      `${summary.heldOutPerplexity?.toFixed(1) ?? 'n/a'}, ${summary.seconds.toFixed(1)} s`,
  );
  return summary;
}

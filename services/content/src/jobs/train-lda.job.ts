import { fitLda } from '@tunegraph/lda';
import {
  badInput,
  copyRows,
  createVectorIndexes,
  runModelVersion,
  toVectorLiteral,
  type CopyValue,
  type ModelJobDeps,
} from '@tunegraph/service-kit';
import { loadSongBags, saveArtifact } from '../repositories/lyrics.repository';

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
 * Fits LDA topics (online variational Bayes) on the lyrics of 9 songs in 10, measures held-out perplexity on the
 * tenth, stores every song's topic mixture in pgvector (collection "lda") with the model, and activates it.
 */
export async function trainLdaJob(
  deps: ModelJobDeps,
  opts: Partial<TrainLdaOptions> = {},
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
      },
    });
    const heldOutPerplexity = heldOut.length ? model.perplexity(heldOut) : null;
    const rows: CopyValue[][] = docs.map((d, i) => [
      version.id,
      songIds[i],
      toVectorLiteral(model.transform(d)),
    ]);
    const chunks: CopyValue[][][] = [];
    for (let i = 0; i < rows.length; i += 2000) chunks.push(rows.slice(i, i + 2000));
    await copyRows(
      { sql: deps.sql, pglite: deps.pglite },
      'song_embeddings',
      ['model_version_id', 'song_id', 'embedding'],
      chunks,
    );
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

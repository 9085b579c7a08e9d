import { fitTfidf } from '@tunegraph/tfidf';
import {
  LyricEmbedding,
  Word2VecInputError,
  lyricsSequences,
  trainWord2VecParallel,
} from '@tunegraph/word2vec';
import { badInput, createVectorIndexes, runModelVersion, type ModelJobDeps } from '@tunegraph/service-kit';
import { loadSongBags, saveArtifact, writeDenseVectors } from '../repositories/lyrics.repository';
import type { JobProgress } from './job-progress';

export const WORD2VEC_MODEL = 'word2vec';

export interface TrainWord2VecOptions {
  dim: number;
  window: number;
  epochs: number;
  negatives: number;
  minCount: number;
  subsample: number;
  seed: number;
}

export const DEFAULT_WORD2VEC_OPTIONS: TrainWord2VecOptions = {
  dim: 64,
  window: 5,
  epochs: 5,
  negatives: 5,
  minCount: 5,
  subsample: 1e-4,
  seed: 42,
};

export interface TrainWord2VecSummary {
  version: number;
  songs: number;
  wordsWithVectors: number;
  tokens: number;
  finalLoss: number;
  seconds: number;
}

/**
 * Skip-gram word vectors over lyrics, then song vectors as TF-IDF-weighted means of them (collection "word2vec").
 *
 * A musiXmatch bag of words has no order, so each song becomes one pseudo-sentence: every word repeated by its
 * count, shuffled with the seed (lyricsSequences). A window of ±window over that shuffle pairs each word with
 * random other words of the same song, i.e. it samples the song's within-song co-occurrences, more often for
 * frequent words (frequent ones are then thinned by `subsample`). The artifact is the word vectors with the idf
 * used to weight them, so a song ingested later gets the same kind of vector without retraining.
 */
export async function trainWord2VecJob(
  deps: ModelJobDeps,
  opts: Partial<TrainWord2VecOptions> = {},
  onProgress?: (p: JobProgress) => void,
): Promise<TrainWord2VecSummary> {
  const started = Date.now();
  const o = { ...DEFAULT_WORD2VEC_OPTIONS, ...opts };
  const { songIds, docs, vocabularySize } = await loadSongBags(deps.sql);
  if (docs.length < 2) throw badInput(`Word2Vec needs lyrics for at least 2 songs; found ${docs.length}`);
  const result = await runModelVersion(deps, WORD2VEC_MODEL, { ...o }, async (version) => {
    const idf = fitTfidf(docs, { vocabularySize }).idf;
    let finalLoss = NaN;
    let tokens = 0;
    let model;
    try {
      // On every available core (Hogwild): the vectors vary slightly from run to run for the same seed.
      model = await trainWord2VecParallel(lyricsSequences(docs, o.seed), {
        ...o,
        vocabularySize,
        onProgress: (p) => {
          finalLoss = p.loss;
          tokens += p.tokens;
          deps.logger.info({ epoch: p.epoch, of: p.epochs, loss: p.loss }, 'word2vec: epoch done');
          onProgress?.({
            step: p.epoch,
            steps: p.epochs,
            message: `epoch ${p.epoch}/${p.epochs}, loss ${p.loss.toFixed(3)}`,
          });
        },
      });
    } catch (err) {
      if (err instanceof Word2VecInputError) throw badInput(`word2vec: ${err.message}`);
      throw err;
    }
    const embedding = LyricEmbedding.fit(model, idf, docs);
    const rows = docs.map((d, i) => ({ songId: songIds[i], vector: embedding.songVector(d) }));
    const kept = rows.filter((r) => r.vector.some((x) => x !== 0));
    await writeDenseVectors({ sql: deps.sql, pglite: deps.pglite }, version.id, kept);
    await saveArtifact(deps.sql, version.id, embedding.toBuffer());
    await createVectorIndexes(deps.sql, { versionId: version.id, kind: 'dense', dim: o.dim });
    let wordsWithVectors = 0;
    for (let t = 0; t < vocabularySize; t++) if (model.hasVector(t)) wordsWithVectors++;
    const metrics = {
      songs: kept.length,
      wordsWithVectors,
      tokens,
      finalLoss,
      seconds: (Date.now() - started) / 1000,
    };
    return { dim: o.dim, metrics };
  });
  const summary = { version: result.version, ...result.metrics };
  deps.logger.info(
    summary,
    `word2vec v${summary.version}: ${summary.wordsWithVectors} word vectors from ${summary.tokens} tokens, ` +
      `${summary.songs} song vectors, loss ${summary.finalLoss.toFixed(3)}, ${summary.seconds.toFixed(1)} s`,
  );
  return summary;
}

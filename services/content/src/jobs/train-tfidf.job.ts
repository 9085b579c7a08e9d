import { fitTfidf } from '@tunegraph/tfidf';
import { badInput, createVectorIndexes, runModelVersion, type ModelJobDeps } from '@tunegraph/service-kit';
import {
  TFIDF_MODEL,
  loadSongBags,
  lyricTracksWithoutSong,
  saveArtifact,
  writeSparseVectors,
} from '../repositories/lyrics.repository';
import type { JobProgress } from './job-progress';

export type TrainTfidfDeps = ModelJobDeps;

export interface TrainTfidfSummary {
  version: number;
  songs: number;
  vocabularySize: number;
  termsUsed: number;
  meanNonZeros: number;
  unmappedTracks: number;
  seconds: number;
}

/**
 * Fits TF-IDF over every song's lyrics, stores the L2-normalised vectors (sparsevec) and the fitted idf as a new
 * version, builds its HNSW index, then activates it. A failure leaves the active version untouched.
 */
export async function trainTfidfJob(
  deps: TrainTfidfDeps,
  opts: { sublinearTf?: boolean } = {},
  onProgress?: (p: JobProgress) => void,
): Promise<TrainTfidfSummary> {
  const started = Date.now();
  const { sql, logger } = deps;
  const { songIds, docs, vocabularySize } = await loadSongBags(sql);
  if (docs.length < 2) throw badInput(`TF-IDF needs lyrics for at least 2 songs; found ${docs.length}`);
  const unmappedTracks = await lyricTracksWithoutSong(sql);
  const params = { sublinearTf: opts.sublinearTf ?? true, smoothIdf: true, norm: 'l2' };
  const result = await runModelVersion(deps, TFIDF_MODEL, params, async (version) => {
    logger.info({ version: version.version, songs: docs.length, vocabularySize }, 'tfidf: fitting');
    const model = fitTfidf(docs, {
      vocabularySize,
      sublinearTf: params.sublinearTf,
      smoothIdf: true,
      norm: 'l2',
    });
    const vectors = docs.map((d, i) => ({ songId: songIds[i], ...model.transform(d) }));
    const used = new Set<number>();
    let nonZeros = 0;
    for (const v of vectors) {
      nonZeros += v.terms.length;
      for (const t of v.terms) used.add(t);
    }
    const kept = vectors.filter((v) => v.terms.length > 0);
    onProgress?.({ step: 1, steps: 2, message: `fitted; writing ${kept.length} vectors` });
    await writeSparseVectors({ sql, pglite: deps.pglite }, version.id, kept, vocabularySize);
    await saveArtifact(sql, version.id, model.toBuffer());
    onProgress?.({ step: 2, steps: 2, message: 'building the vector indexes' });
    await createVectorIndexes(sql, { versionId: version.id, kind: 'sparse', dim: vocabularySize });
    const metrics = {
      version: version.version,
      songs: kept.length,
      vocabularySize,
      termsUsed: used.size,
      meanNonZeros: nonZeros / Math.max(1, vectors.length),
      unmappedTracks,
      seconds: (Date.now() - started) / 1000,
    };
    return { dim: vocabularySize, metrics, summary: metrics };
  });
  const summary: TrainTfidfSummary = result.summary;
  logger.info(
    summary,
    `tfidf v${summary.version}: ${summary.songs} songs over ${summary.termsUsed}/${vocabularySize} stems, ` +
      `${summary.meanNonZeros.toFixed(1)} terms per song, ${unmappedTracks} lyric tracks without a song, ${summary.seconds.toFixed(1)} s`,
  );
  return summary;
}

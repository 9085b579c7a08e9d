import { Inject, Injectable } from '@nestjs/common';
import { TOPICS } from '@tunegraph/contracts';
import {
  EVENT_BUS,
  LOGGER,
  SQL,
  toSparseLiteral,
  toVectorLiteral,
  type EventBus,
  type Logger,
  type Sql,
} from '@tunegraph/service-kit';
import type { SparseDoc } from '@tunegraph/tfidf';
import { loadSongBags, upsertVectors } from '../repositories/lyrics.repository';
import { ActiveModelsService } from './active-models.service';

export interface ColdStartSummary {
  songs: number;
  tfidf: number;
  lda: number;
  word2vec: number;
}

/** Keeps only the stems a model knows: stems added to the vocabulary after it was trained carry no weight. */
function within(doc: SparseDoc, vocabularySize: number): SparseDoc {
  let n = 0;
  while (n < doc.terms.length && doc.terms[n] < vocabularySize) n++;
  return n === doc.terms.length
    ? doc
    : { id: doc.id, terms: doc.terms.subarray(0, n), counts: doc.counts.subarray(0, n) };
}

/**
 * Cold start: songs whose lyrics were just stored get vectors from every active content model at once, without
 * retraining (TF-IDF with the stored idf, LDA by inference with the topics fixed, Word2Vec as the idf-weighted mean
 * of the stored word vectors), written into the active versions. pgvector's HNSW indexes take them on insert, so
 * EXACT and HNSW similarity see them at once; the dense ones are announced on `vectors.stored`, so the lsh service
 * adds them to its index too.
 */
@Injectable()
export class ColdStartService {
  constructor(
    @Inject(SQL) private readonly sql: Sql,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    private readonly models: ActiveModelsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async embed(songIds: string[]): Promise<ColdStartSummary> {
    const { songIds: ids, docs } = await loadSongBags(this.sql, songIds);
    const summary: ColdStartSummary = { songs: ids.length, tfidf: 0, lda: 0, word2vec: 0 };
    if (ids.length === 0) return summary;
    const tfidf = await this.models.get('tfidf');
    if (tfidf) {
      const { model, versionId } = tfidf;
      const rows = docs
        .map((d, i) => ({ songId: ids[i], v: model.transform(within(d, model.vocabularySize)) }))
        .filter((r) => r.v.terms.length > 0)
        .map((r) => ({
          songId: r.songId,
          literal: toSparseLiteral(r.v.terms, r.v.weights, model.vocabularySize),
        }));
      await upsertVectors(this.sql, versionId, rows, 'sparse');
      summary.tfidf = rows.length;
    }
    const lda = await this.models.get('lda');
    if (lda) {
      const { model, versionId } = lda;
      const rows = docs.map((d, i) => ({
        songId: ids[i],
        literal: toVectorLiteral(model.transform(within(d, model.vocabularySize))),
      }));
      await upsertVectors(this.sql, versionId, rows, 'dense');
      await this.announce('lda', versionId, rows);
      summary.lda = rows.length;
    }
    const word2vec = await this.models.get('word2vec');
    if (word2vec) {
      const { model, versionId } = word2vec;
      const rows = docs
        .map((d, i) => ({ songId: ids[i], v: model.songVector(within(d, model.model.vocabularySize)) }))
        .filter((r) => r.v.some((x) => x !== 0))
        .map((r) => ({ songId: r.songId, literal: toVectorLiteral(r.v) }));
      await upsertVectors(this.sql, versionId, rows, 'dense');
      await this.announce('word2vec', versionId, rows);
      summary.word2vec = rows.length;
    }
    this.logger.info(
      summary,
      `cold start: ${summary.songs} songs with new lyrics embedded (tfidf ${summary.tfidf}, lda ${summary.lda}, word2vec ${summary.word2vec})`,
    );
    return summary;
  }

  private async announce(collection: string, versionId: number, rows: { songId: string }[]): Promise<void> {
    const messages = [];
    for (let i = 0; i < rows.length; i += ANNOUNCED_SONGS) {
      const songIds = rows.slice(i, i + ANNOUNCED_SONGS).map((r) => r.songId);
      messages.push({ key: collection, value: { collection, versionId, songIds } });
    }
    if (messages.length > 0) await this.bus.publish(TOPICS.vectorsStored, messages);
  }
}

const ANNOUNCED_SONGS = 1000;

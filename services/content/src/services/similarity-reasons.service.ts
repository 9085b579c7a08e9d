import { Injectable } from '@nestjs/common';
import { badInput, notFound } from '@tunegraph/service-kit';
import { sharedTopics } from '@tunegraph/lda';
import { sharedTopTerms } from '@tunegraph/tfidf';
import { SongVectorsRepository } from '../repositories/song-vectors.repository';
import { ActiveModelsService } from './active-models.service';

const ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** LDA reasons: at most this many shared topics, each shown by this many of its top words. */
const REASON_TOPICS = 2;
const WORDS_PER_TOPIC = 3;

export const EXPLAIN_METHODS = ['tfidf', 'lda', 'word2vec'] as const;
export type ExplainMethod = (typeof EXPLAIN_METHODS)[number];

export interface SimilarityReason {
  songId: string;
  words: string[];
  /** One line for people; empty when nothing explains the pair (e.g. one song has no lyrics). */
  reason: string;
}

/** Why two songs are close under a content model, for ExplainSimilarity (Song.similar's reasons). */
@Injectable()
export class SimilarityReasonsService {
  constructor(
    private readonly repo: SongVectorsRepository,
    private readonly models: ActiveModelsService,
  ) {}

  /** topTerms 0 (proto3's "unset") means 5; an empty method means tfidf. */
  async explain(
    songId: string,
    others: string[],
    topTerms: number,
    method = '',
  ): Promise<SimilarityReason[]> {
    if (others.length > 1000) throw badInput(`at most 1000 other songs per request, got ${others.length}`);
    if (!Number.isInteger(topTerms) || topTerms < 0 || topTerms > 50) {
      throw badInput(`topTerms must be between 1 and 50 (0 for the default of 5), got ${topTerms}`);
    }
    const chosen = (method || 'tfidf') as ExplainMethod;
    if (!EXPLAIN_METHODS.includes(chosen))
      throw badInput(`method must be one of ${EXPLAIN_METHODS.join(', ')}, got '${method}'`);
    if (!ID.test(songId)) throw badInput(`'${songId.slice(0, 40)}' is not a valid song id`);
    const n = topTerms || 5;
    const explained =
      chosen === 'tfidf'
        ? await this.tfidf(songId, others, n)
        : chosen === 'lda'
          ? await this.lda(songId, others)
          : await this.word2vec(songId, others, n);
    if (!explained) {
      if (!(await this.repo.songExists(songId))) throw notFound(`song '${songId}' is not in the catalog`);
      return others.map((id) => ({ songId: id, words: [], reason: '' }));
    }
    return explained;
  }

  /** The shared words that weigh most in both TF-IDF vectors; undefined when the song has no vector. */
  private async tfidf(songId: string, others: string[], n: number): Promise<SimilarityReason[] | undefined> {
    const { versionId } = await this.models.require('tfidf');
    const vectors = await this.repo.vectors(versionId, [songId, ...others]);
    const vector = vectors.get(songId);
    if (!vector) return undefined;
    const terms = others.map((id) => {
      const other = vectors.get(id);
      return other ? sharedTopTerms(vector, other, n).map((t) => t.term) : [];
    });
    const names = await this.repo.words([...new Set(terms.flat())]);
    return others.map((id, i) => {
      const words = terms[i].map((t) => names.get(t) ?? String(t));
      return { songId: id, words, reason: words.length ? `shared words: ${words.join(', ')}` : '' };
    });
  }

  /** The topics both mixtures hold most, each by its top words. */
  private async lda(songId: string, others: string[]): Promise<SimilarityReason[] | undefined> {
    const { versionId, model } = await this.models.require('lda');
    const mixtures = await this.repo.denseVectors(versionId, [songId, ...others]);
    const mixture = mixtures.get(songId);
    if (!mixture) return undefined;
    const topics = others.map((id) => {
      const other = mixtures.get(id);
      return other
        ? sharedTopics(mixture, other, REASON_TOPICS).map((t) =>
            model.topTerms(t.topic, WORDS_PER_TOPIC).map((x) => x.term),
          )
        : [];
    });
    const names = await this.repo.words([...new Set(topics.flat(2))]);
    return others.map((id, i) => {
      const shown = topics[i].map((terms) => terms.map((t) => names.get(t) ?? String(t)));
      return {
        songId: id,
        words: shown.flat(),
        reason: shown.length ? `shared topics: ${shown.map((w) => w.join(', ')).join(' / ')}` : '',
      };
    });
  }

  /** The word pairs (one word from each song) whose vectors add most to the two song vectors' cosine. */
  private async word2vec(
    songId: string,
    others: string[],
    n: number,
  ): Promise<SimilarityReason[] | undefined> {
    const { model } = await this.models.require('word2vec');
    const bags = await this.repo.bags([songId, ...others]);
    const bag = bags.get(songId);
    if (!bag) return undefined;
    const pairs = others.map((id) => {
      const other = bags.get(id);
      return other ? model.topPairs(bag, other, n).filter((p) => p.weight > 0) : [];
    });
    const names = await this.repo.words([...new Set(pairs.flat().flatMap((p) => [p.a, p.b]))]);
    const name = (t: number) => names.get(t) ?? String(t);
    return others.map((id, i) => {
      const words = pairs[i].map((p) => (p.a === p.b ? name(p.a) : `${name(p.a)}~${name(p.b)}`));
      return { songId: id, words, reason: words.length ? `related words: ${words.join(', ')}` : '' };
    });
  }
}

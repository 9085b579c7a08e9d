import { Inject, Injectable } from '@nestjs/common';
import { vectors } from '@tunegraph/contracts';
import { LOGGER, badInput, type Logger } from '@tunegraph/service-kit';
import { ContentRepository } from '../repositories/content.repository';
import { KnnService } from './knn.service';

export const MAX_FIRST = 100;
const REASON_WORDS = 5;

const COLLECTION_OF = { CF: 'als', TFIDF: 'tfidf', LDA: 'lda', ITEM2VEC: 'item2vec' } as const;
/** Methods the content service can explain, and its name for each. */
const EXPLAINED: Partial<Record<keyof typeof COLLECTION_OF | 'WORD2VEC', 'tfidf' | 'lda' | 'word2vec'>> = {
  TFIDF: 'tfidf',
  LDA: 'lda',
  WORD2VEC: 'word2vec',
};
const INDEX_OF = {
  EXACT: vectors.VectorIndex.VECTOR_INDEX_EXACT,
  HNSW: vectors.VectorIndex.VECTOR_INDEX_HNSW,
  LSH: vectors.VectorIndex.VECTOR_INDEX_LSH,
} as const;

export interface SimilarSongResult {
  song: { id: string };
  score: number;
  reason: string | null;
}

/** Song.similar: neighbours from KnnService, explained by the content service for lyric methods. */
@Injectable()
export class SimilarSongsService {
  constructor(
    private readonly knn: KnnService,
    private readonly content: ContentRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async similar(args: {
    songId: string;
    first: number;
    method: keyof typeof COLLECTION_OF;
    index: keyof typeof INDEX_OF;
  }): Promise<SimilarSongResult[]> {
    if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_FIRST) {
      throw badInput(`Invalid arguments: first must be between 1 and ${MAX_FIRST}, got ${args.first}`);
    }
    const response = await this.knn.knn({
      collection: COLLECTION_OF[args.method],
      songId: args.songId,
      k: args.first,
      index: INDEX_OF[args.index],
      excludeSongIds: [],
      efSearch: 0,
    });
    const ids = response.neighbors.map((n) => n.songId);
    const explained = EXPLAINED[args.method];
    const reasons =
      explained && ids.length ? await this.reasons(args.songId, ids, explained) : new Map<string, string>();
    return response.neighbors.map((n) => ({
      song: { id: n.songId },
      score: n.score,
      reason: reasons.get(n.songId) || null,
    }));
  }

  /** Explanations are a nicety: when content is down the neighbours still go out, without reasons. */
  private async reasons(
    songId: string,
    ids: string[],
    method: 'tfidf' | 'lda' | 'word2vec',
  ): Promise<Map<string, string>> {
    try {
      return await this.content.reasons(songId, ids, REASON_WORDS, method);
    } catch (err) {
      this.logger.warn(
        { err: (err as Error).message, songId },
        'content service unavailable; similar songs without reasons',
      );
      return new Map();
    }
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { vectors } from '@tunegraph/contracts';
import { LOGGER, badInput, type Logger } from '@tunegraph/service-kit';
import { ContentRepository } from '../repositories/content.repository';
import { KnnService } from './knn.service';

export const MAX_FIRST = 100;
const REASON_WORDS = 5;

const COLLECTION_OF = { CF: 'als', TFIDF: 'tfidf', LDA: 'lda', ITEM2VEC: 'item2vec' } as const;
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

/** Song.similar: neighbours from KnnService, explained by shared lyric words for TFIDF. */
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
    const reasons =
      args.method === 'TFIDF' && ids.length ? await this.sharedWords(args.songId, ids) : new Map();
    return response.neighbors.map((n) => {
      const words = reasons.get(n.songId);
      return {
        song: { id: n.songId },
        score: n.score,
        reason: words?.length ? `shared words: ${words.join(', ')}` : null,
      };
    });
  }

  /** Explanations are a nicety: when content is down the neighbours still go out, without reasons. */
  private async sharedWords(songId: string, ids: string[]): Promise<Map<string, string[]>> {
    try {
      return await this.content.sharedWords(songId, ids, REASON_WORDS);
    } catch (err) {
      this.logger.warn(
        { err: (err as Error).message, songId },
        'content service unavailable; similar songs without reasons',
      );
      return new Map();
    }
  }
}

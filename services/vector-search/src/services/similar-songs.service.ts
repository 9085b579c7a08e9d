import { Inject, Injectable } from '@nestjs/common';
import { vectors } from '@tunegraph/contracts';
import { AppError, LOGGER, badInput, notFound, type Logger } from '@tunegraph/service-kit';
import { ContentRepository } from '../repositories/content.repository';
import { KnnService, MAX_K, NoVectorError } from './knn.service';

export const MAX_FIRST = 100;
const REASON_WORDS = 5;
/** Reciprocal-rank fusion constant (Cormack et al. 2009): damps the weight of the very first ranks. */
const RRF_K = 60;
/** HYBRID ranks this many times `first` candidates per method before fusing. */
const HYBRID_DEPTH = 3;

const COLLECTION_OF = {
  CF: 'als',
  TFIDF: 'tfidf',
  LDA: 'lda',
  WORD2VEC: 'word2vec',
  ITEM2VEC: 'item2vec',
} as const;
type SingleMethod = keyof typeof COLLECTION_OF;
const SPARSE_METHODS = new Set<string>(['TFIDF']);

/** Methods the content service can explain, and its name for each. */
const EXPLAINED: Partial<Record<SingleMethod, 'tfidf' | 'lda' | 'word2vec'>> = {
  TFIDF: 'tfidf',
  LDA: 'lda',
  WORD2VEC: 'word2vec',
};
const INDEX_OF = {
  EXACT: vectors.VectorIndex.VECTOR_INDEX_EXACT,
  HNSW: vectors.VectorIndex.VECTOR_INDEX_HNSW,
  IVFFLAT: vectors.VectorIndex.VECTOR_INDEX_IVFFLAT,
  LSH: vectors.VectorIndex.VECTOR_INDEX_LSH,
} as const;
type IndexName = keyof typeof INDEX_OF;

export interface SimilarSongResult {
  song: { id: string };
  score: number;
  reason: string | null;
}

export interface SimilarArgs {
  songId: string;
  first: number;
  method: SingleMethod | 'HYBRID';
  index: IndexName;
  efSearch: number;
  probes: number;
  filter: vectors.KnnFilter;
}

/**
 * Song.similar: neighbours from KnnService, explained by the content service for lyric methods.
 * HYBRID fuses the rankings of every method in which the song has a vector (reciprocal-rank fusion), skipping
 * methods without a vector for it or without an active model.
 */
@Injectable()
export class SimilarSongsService {
  constructor(
    private readonly knn: KnnService,
    private readonly content: ContentRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async similar(args: SimilarArgs): Promise<SimilarSongResult[]> {
    if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_FIRST) {
      throw badInput(`Invalid arguments: first must be between 1 and ${MAX_FIRST}, got ${args.first}`);
    }
    if (args.method === 'HYBRID') return this.hybrid(args);
    const response = await this.knn.knn(this.request(args, args.method, args.first));
    const ids = response.neighbors.map((n) => n.songId);
    const explained = EXPLAINED[args.method];
    const reasons = explained ? await this.reasons(args.songId, ids, explained) : new Map<string, string>();
    return response.neighbors.map((n) => ({
      song: { id: n.songId },
      score: n.score,
      reason: reasons.get(n.songId) || null,
    }));
  }

  private async hybrid(args: SimilarArgs): Promise<SimilarSongResult[]> {
    const depth = Math.min(MAX_K, args.first * HYBRID_DEPTH);
    const methods = Object.keys(COLLECTION_OF) as SingleMethod[];
    const rankings = await Promise.all(
      methods.map((method) =>
        this.knn.knn(this.request(args, method, depth)).then(
          (response) => ({ method, ids: response.neighbors.map((n) => n.songId) }),
          (err: unknown) => {
            const skippable =
              err instanceof NoVectorError || (err instanceof AppError && err.code === 'MODEL_NOT_READY');
            if (!skippable) throw err;
            return { method, ids: [] as string[] };
          },
        ),
      ),
    );
    const used = rankings.filter((r) => r.ids.length);
    if (!used.length) {
      throw notFound(
        `song ${args.songId} has no neighbours in any similarity method (${methods.join(', ')})`,
      );
    }
    const fused = new Map<string, { score: number; ranks: string[] }>();
    for (const { method, ids } of used) {
      ids.forEach((id, i) => {
        const entry = fused.get(id) ?? { score: 0, ranks: [] };
        entry.score += 1 / (RRF_K + i + 1);
        entry.ranks.push(`${method} #${i + 1}`);
        fused.set(id, entry);
      });
    }
    const best = [...fused.entries()].sort((a, b) => b[1].score - a[1].score).slice(0, args.first);
    const ids = best.map(([id]) => id);
    // The first lyric method that found neighbours explains the fused list.
    const explained = used.map((r) => EXPLAINED[r.method]).find((m) => m !== undefined);
    const reasons = explained ? await this.reasons(args.songId, ids, explained) : new Map<string, string>();
    return best.map(([id, { score, ranks }]) => {
      const why = reasons.get(id);
      return { song: { id }, score, reason: ranks.join(', ') + (why ? `; ${why}` : '') };
    });
  }

  /** One method's Knn request (KnnService rejects a search breadth given for another index). */
  private request(args: SimilarArgs, method: SingleMethod, k: number): vectors.KnnRequest {
    // Neither pgvector's IVFFlat nor the LSH service takes sparse vectors: HYBRID asks HNSW for TF-IDF instead.
    const denseOnly = args.index === 'IVFFLAT' || args.index === 'LSH';
    const index = args.method === 'HYBRID' && denseOnly && SPARSE_METHODS.has(method) ? 'HNSW' : args.index;
    return {
      collection: COLLECTION_OF[method],
      songId: args.songId,
      k,
      index: INDEX_OF[index],
      excludeSongIds: [],
      efSearch: index === args.index ? args.efSearch : 0,
      probes: index === args.index ? args.probes : 0,
      filter: args.filter,
    };
  }

  /** Explanations are a nicety: when content is down the neighbours still go out, without reasons. */
  private async reasons(
    songId: string,
    ids: string[],
    method: 'tfidf' | 'lda' | 'word2vec',
  ): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
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

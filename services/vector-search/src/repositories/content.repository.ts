import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { content } from '@tunegraph/contracts';
import { CONFIG, createGrpcClient, fromGrpcError, outgoingMetadata } from '@tunegraph/service-kit';
import { firstValueFrom, timeout } from 'rxjs';
import type { VectorSearchConfig } from '../config';

/** Reasons are optional: a slow content service must not hold up the neighbours. */
const EXPLAIN_TIMEOUT_MS = 2000;

/** The content service's explanations of lyric similarity. */
@Injectable()
export class ContentRepository implements OnModuleInit {
  private client!: content.ContentServiceClient;

  constructor(@Inject(CONFIG) private readonly config: VectorSearchConfig) {}

  onModuleInit() {
    this.client = createGrpcClient(
      this.config.CONTENT_GRPC_URL,
      'content',
    ).getService<content.ContentServiceClient>(content.CONTENT_SERVICE_NAME);
  }

  /** Why each other song is close to the song under a content method (tfidf, lda, word2vec), keyed by song id. */
  async reasons(
    songId: string,
    otherSongIds: string[],
    topTerms: number,
    method: 'tfidf' | 'lda' | 'word2vec',
  ): Promise<Map<string, string>> {
    try {
      const response = await firstValueFrom(
        this.client
          .explainSimilarity({ songId, otherSongIds, topTerms, method }, outgoingMetadata())
          .pipe(timeout(EXPLAIN_TIMEOUT_MS)),
      );
      return new Map(response.items.map((item) => [item.songId, item.reason]));
    } catch (err) {
      throw fromGrpcError(err);
    }
  }
}

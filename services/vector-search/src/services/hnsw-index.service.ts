import { Injectable } from '@nestjs/common';
import { vectors } from '@tunegraph/contracts';
import { AppError, COLLECTIONS, badInput } from '@tunegraph/service-kit';
import { EmbeddingsRepository } from '../repositories/embeddings.repository';

/** RebuildIndex for pgvector: (re)creates the active version's partial HNSW index. */
@Injectable()
export class HnswIndexService {
  constructor(private readonly embeddings: EmbeddingsRepository) {}

  async rebuild(collection: string): Promise<vectors.RebuildIndexResponse> {
    const spec = COLLECTIONS[collection];
    if (!spec) throw badInput(`Invalid rebuild request: unknown collection ${JSON.stringify(collection)}`);
    const version = await this.embeddings.activeVersion(spec.model);
    if (!version || version.dim === null) {
      throw new AppError('MODEL_NOT_READY', `collection ${collection} has no active model version yet`);
    }
    const started = process.hrtime.bigint();
    const size = await this.embeddings.rebuildHnswIndex(version.id, spec.kind, version.dim);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { collection, modelVersion: version.version, size, seconds };
  }
}

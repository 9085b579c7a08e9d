import { Inject, Injectable } from '@nestjs/common';
import { vectors } from '@tunegraph/contracts';
import {
  AppError,
  COLLECTIONS,
  CONFIG,
  HNSW_DEFAULTS,
  badInput,
  checkIndexParams,
} from '@tunegraph/service-kit';
import type { VectorSearchConfig } from '../config';
import { EmbeddingsRepository } from '../repositories/embeddings.repository';

/**
 * RebuildIndex for pgvector: rebuilds the active version's partial HNSW index (and IVFFlat for dense collections).
 * Each parameter comes from the request, else VECTOR_INDEX_PARAMS for the collection, else the defaults.
 */
@Injectable()
export class VectorIndexService {
  constructor(
    private readonly embeddings: EmbeddingsRepository,
    @Inject(CONFIG) private readonly config: VectorSearchConfig,
  ) {}

  async rebuild(request: vectors.RebuildIndexRequest): Promise<vectors.RebuildIndexResponse> {
    const { collection } = request;
    const spec = COLLECTIONS[collection];
    if (!spec) throw badInput(`Invalid rebuild request: unknown collection ${JSON.stringify(collection)}`);
    if (request.lists && spec.kind !== 'dense') {
      throw badInput(
        `Invalid rebuild request: ${collection} is sparse and has no IVFFlat index, so no lists`,
      );
    }
    const configured = this.config.VECTOR_INDEX_PARAMS[collection] ?? {};
    const params = {
      m: request.m || configured.m || HNSW_DEFAULTS.m,
      efConstruction: request.efConstruction || configured.efConstruction || HNSW_DEFAULTS.efConstruction,
      lists: request.lists || configured.lists,
    };
    checkIndexParams(params);
    const version = await this.embeddings.activeVersion(spec.model);
    if (!version || version.dim === null) {
      throw new AppError('MODEL_NOT_READY', `collection ${collection} has no active model version yet`);
    }
    const started = process.hrtime.bigint();
    const { size, lists } = await this.embeddings.rebuildIndexes(version.id, spec.kind, version.dim, params);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return {
      collection,
      modelVersion: version.version,
      size,
      seconds,
      m: params.m,
      efConstruction: params.efConstruction,
      lists,
    };
  }
}

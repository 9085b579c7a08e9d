import { Inject, Injectable } from '@nestjs/common';
import { vectors } from '@tunegraph/contracts';
import {
  AppError,
  COLLECTIONS,
  CONFIG,
  badInput,
  notFound,
  toVectorLiteral,
  validate,
  type CollectionKind,
  type ModelVersionRow,
} from '@tunegraph/service-kit';
import { z } from 'zod';
import type { VectorSearchConfig } from '../config';
import { EmbeddingsRepository, type KnnQuery } from '../repositories/embeddings.repository';
import { LshRepository } from '../repositories/lsh.repository';

const { VectorIndex } = vectors;

export const MAX_K = 1000;
export const MAX_EXCLUDE = 10_000;

const knnRequestSchema = z.object({
  collection: z.string().refine((c) => c in COLLECTIONS, {
    message: `unknown collection; expected one of ${Object.keys(COLLECTIONS).join(', ')}`,
  }),
  k: z.number().int().min(1, 'k must be at least 1').max(MAX_K, `k must be at most ${MAX_K}`),
  index: z.enum(
    [VectorIndex.VECTOR_INDEX_EXACT, VectorIndex.VECTOR_INDEX_HNSW, VectorIndex.VECTOR_INDEX_LSH],
    {
      message: 'index must be EXACT, HNSW or LSH',
    },
  ),
  efSearch: z.number().int().min(0).max(1000, 'ef_search must be at most 1000'),
  excludeSongIds: z.array(z.string()).max(MAX_EXCLUDE, `at most ${MAX_EXCLUDE} exclude_song_ids`),
});

/** kNN over the active version of a collection: pgvector for EXACT and HNSW, the lsh service for LSH. */
@Injectable()
export class KnnService {
  constructor(
    private readonly embeddings: EmbeddingsRepository,
    private readonly lsh: LshRepository,
    @Inject(CONFIG) private readonly config: VectorSearchConfig,
  ) {}

  async knn(request: vectors.KnnRequest): Promise<vectors.KnnResponse> {
    const req = validate(knnRequestSchema, request, 'kNN request');
    const hasSong = Boolean(request.songId);
    const hasVector = request.vector !== undefined;
    if (hasSong === hasVector) throw badInput('Invalid kNN request: give exactly one of song_id or vector');
    if (req.index === VectorIndex.VECTOR_INDEX_LSH) return this.lsh.knn(request);

    const { model, kind } = COLLECTIONS[req.collection];
    const version = await this.embeddings.activeVersion(model);
    if (!version || version.dim === null) {
      throw new AppError('MODEL_NOT_READY', `collection ${req.collection} has no active model version yet`);
    }
    const exclude = new Set(req.excludeSongIds);
    let literal: string;
    if (request.songId) {
      literal = await this.songLiteral(req.collection, version, kind, request.songId);
      exclude.add(request.songId);
    } else {
      literal = queryVectorLiteral(req.collection, kind, version.dim, request.vector!.values);
    }
    const query: KnnQuery = {
      versionId: version.id,
      kind,
      dim: version.dim,
      literal,
      k: req.k,
      exclude: [...exclude],
    };
    const exact = req.index === VectorIndex.VECTOR_INDEX_EXACT;
    const neighbors = exact
      ? await this.embeddings.exactKnn(query)
      : await this.embeddings.hnswKnn(query, req.efSearch || this.config.HNSW_EF_SEARCH);
    return {
      collection: req.collection,
      modelVersion: version.version,
      index: req.index,
      neighbors,
      // HNSW does not report how many rows it scored; 0 means "not measured", not "nothing scanned".
      scannedFraction: exact ? 1 : 0,
    };
  }

  private async songLiteral(
    collection: string,
    version: ModelVersionRow,
    kind: CollectionKind,
    songId: string,
  ) {
    const literal = await this.embeddings.embeddingLiteral(version.id, kind, songId);
    if (literal !== undefined) return literal;
    if (!(await this.embeddings.songExists(songId))) throw notFound(`song ${songId} does not exist`);
    const why = kind === 'sparse' ? ' (no lyrics)' : ' (no plays in the training data)';
    throw notFound(`song ${songId} has no ${collection} vector${why} in model version ${version.version}`);
  }
}

function queryVectorLiteral(collection: string, kind: CollectionKind, dim: number, values: number[]): string {
  if (kind !== 'dense') {
    throw badInput(
      `Invalid kNN request: collection ${collection} is sparse; query it by song_id, not by vector`,
    );
  }
  if (values.length !== dim) {
    throw badInput(
      `Invalid kNN request: vector has ${values.length} dimensions, collection ${collection} expects ${dim}`,
    );
  }
  if (!values.every(Number.isFinite))
    throw badInput('Invalid kNN request: vector values must be finite numbers');
  return toVectorLiteral(values);
}

import { Injectable } from '@nestjs/common';
import { vectors } from '@tunegraph/contracts';
import { badInput, notFound, validate } from '@tunegraph/service-kit';
import { z } from 'zod';
import { LshIndexService } from './lsh-index.service';

export const MAX_K = 1000;
export const MAX_EXCLUDE = 10_000;

const knnRequestSchema = z.object({
  collection: z.string(),
  k: z.number().int().min(1, 'k must be at least 1').max(MAX_K, `k must be at most ${MAX_K}`),
  index: z.literal(vectors.VectorIndex.VECTOR_INDEX_LSH, { message: 'lsh serves index LSH only' }),
  excludeSongIds: z.array(z.string()).max(MAX_EXCLUDE, `at most ${MAX_EXCLUDE} exclude_song_ids`),
});

/** Knn and RebuildIndex over the in-memory LSH indexes. */
@Injectable()
export class KnnService {
  constructor(private readonly indexes: LshIndexService) {}

  knn(request: vectors.KnnRequest): vectors.KnnResponse {
    const req = validate(knnRequestSchema, request, 'kNN request');
    if (Boolean(request.songId) === (request.vector !== undefined)) {
      throw badInput('Invalid kNN request: give exactly one of song_id or vector');
    }
    const index = this.indexes.get(req.collection);
    const exclude = new Set<number>();
    let query: Float32Array;
    if (request.songId) {
      const slot = index.slotOf.get(request.songId);
      if (slot === undefined) {
        throw notFound(
          `song ${request.songId} has no ${req.collection} vector in model version ${index.key.version}`,
        );
      }
      query = index.lsh.vector(slot);
      exclude.add(slot);
    } else {
      query = queryVector(req.collection, index.dim, request.vector!.values);
    }
    for (const id of req.excludeSongIds) {
      const slot = index.slotOf.get(id);
      if (slot !== undefined) exclude.add(slot);
    }
    const base = { collection: req.collection, modelVersion: index.key.version, index: req.index };
    if (index.lsh.size === 0) return { ...base, neighbors: [], scannedFraction: 0 };
    const result = index.lsh.query(query, req.k, { exclude: (id) => exclude.has(id) });
    const neighbors = Array.from(result.ids, (id, i) => ({
      songId: index.songIds[id],
      score: result.scores[i],
    }));
    return { ...base, neighbors, scannedFraction: result.scannedFraction };
  }

  async rebuild(collection: string): Promise<vectors.RebuildIndexResponse> {
    const started = process.hrtime.bigint();
    const index = await this.indexes.load(collection, { force: true });
    if (!index) throw notFound(`collection ${collection} has no active model version to index`);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { collection, modelVersion: index.key.version, size: index.songIds.length, seconds };
  }
}

function queryVector(collection: string, dim: number, values: number[]): Float32Array {
  if (values.length !== dim) {
    throw badInput(
      `Invalid kNN request: vector has ${values.length} dimensions, collection ${collection} expects ${dim}`,
    );
  }
  if (!values.every(Number.isFinite))
    throw badInput('Invalid kNN request: vector values must be finite numbers');
  if (values.every((v) => v === 0))
    throw badInput('Invalid kNN request: a zero vector has no cosine neighbours');
  return Float32Array.from(values);
}

import { vectors } from '@tunegraph/contracts';
import { createLogger } from '@tunegraph/service-kit';
import { startTestDatabase, type TestDatabase } from '@tunegraph/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VectorSearchConfig } from '../config';
import { EmbeddingsRepository } from '../repositories/embeddings.repository';
import {
  seedDenseVersion,
  seedSongs,
  seedSparseVersion,
  songId,
  type ClusteredSeed,
  expectError,
} from '../repositories/embeddings.test-helpers';
import type { LshRepository } from '../repositories/lsh.repository';
import { KnnService } from './knn.service';

const { VectorIndex } = vectors;
const COUNT = 400;
const CLUSTERS = 10;
const DIM = 8;
const NO_VECTOR = 399;
const WITH_LYRICS = Array.from({ length: 60 }, (_, i) => i);

let db: TestDatabase;
let repo: EmbeddingsRepository;
let service: KnnService;
let seed: ClusteredSeed;
const forwarded: vectors.KnnRequest[] = [];

const request = (over: Partial<vectors.KnnRequest>): vectors.KnnRequest => ({
  collection: 'als',
  k: 10,
  index: VectorIndex.VECTOR_INDEX_EXACT,
  excludeSongIds: [],
  efSearch: 0,
  filter: undefined,
  ...over,
});

beforeAll(async () => {
  db = await startTestDatabase();
  await seedSongs(db.sql, COUNT);
  seed = await seedDenseVersion(db.sql, {
    count: COUNT,
    clusters: CLUSTERS,
    dim: DIM,
    seed: 7,
    skip: new Set([NO_VECTOR]),
  });
  await seedSparseVersion(db.sql, { songs: WITH_LYRICS, topics: 4, dim: 64, seed: 3 });
  repo = new EmbeddingsRepository(db.sql);
  const lsh = {
    knn: async (r: vectors.KnnRequest) => {
      forwarded.push(r);
      return {
        collection: r.collection,
        modelVersion: 1,
        index: r.index,
        neighbors: [],
        scannedFraction: 0.1,
      };
    },
  } as unknown as LshRepository;
  service = new KnnService(
    repo,
    lsh,
    { HNSW_EF_SEARCH: 100, HNSW_MAX_SCAN_TUPLES: 20_000 } as VectorSearchConfig,
    createLogger('vector-search', 'silent'),
  );
});

afterAll(async () => {
  await db?.stop();
});

describe('KnnService on pgvector', () => {
  it('EXACT by song returns k neighbours of the same cluster, best first, without the song itself', async () => {
    const res = await service.knn(request({ songId: songId(3) }));
    expect(res).toMatchObject({ collection: 'als', modelVersion: seed.version, scannedFraction: 1 });
    expect(res.neighbors).toHaveLength(10);
    const ids = res.neighbors.map((n) => n.songId);
    expect(ids).not.toContain(songId(3));
    for (const id of ids) expect(seed.clusterOf[Number(id.slice(2))]).toBe(seed.clusterOf[3]);
    const scores = res.neighbors.map((n) => n.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(scores[0]).toBeGreaterThan(0.99);
  });

  it('HNSW by vector finds the same cluster and reports scanned_fraction 0 (not measured)', async () => {
    const query = Array.from(seed.vectors.subarray(5 * DIM, 6 * DIM));
    const res = await service.knn(
      request({ vector: { values: query }, index: VectorIndex.VECTOR_INDEX_HNSW }),
    );
    expect(res.scannedFraction).toBe(0);
    expect(res.neighbors[0]).toMatchObject({ songId: songId(5) });
    expect(res.neighbors[0].score).toBeCloseTo(1, 5);
    for (const n of res.neighbors) expect(seed.clusterOf[Number(n.songId.slice(2))]).toBe(seed.clusterOf[5]);
  });

  it('HNSW recall@10 against EXACT is at least 0.9 over 40 queries', async () => {
    let hits = 0;
    let total = 0;
    for (let q = 0; q < 40; q++) {
      const id = songId(q * 9);
      const exact = await service.knn(request({ songId: id, index: VectorIndex.VECTOR_INDEX_EXACT }));
      const hnsw = await service.knn(request({ songId: id, index: VectorIndex.VECTOR_INDEX_HNSW }));
      const truth = new Set(exact.neighbors.map((n) => n.songId));
      hits += hnsw.neighbors.filter((n) => truth.has(n.songId)).length;
      total += truth.size;
    }
    // Measured 1.0 on this data (400 points, ef_search 100).
    expect(hits / total).toBeGreaterThanOrEqual(0.9);
  });

  it('HNSW with exclusions still returns k rows (iterative scan), even when they outnumber ef_search', async () => {
    const exact = await service.knn(request({ songId: songId(1), k: 30 }));
    const excluded = exact.neighbors.map((n) => n.songId);
    const res = await service.knn(
      request({
        songId: songId(1),
        index: VectorIndex.VECTOR_INDEX_HNSW,
        efSearch: 10,
        excludeSongIds: excluded,
      }),
    );
    expect(res.neighbors).toHaveLength(10);
    for (const n of res.neighbors) expect(excluded).not.toContain(n.songId);
  });

  it('uses the partial HNSW index for HNSW queries and not for EXACT ones', async () => {
    const literal = (await repo.embeddingLiteral(seed.versionId, 'dense', songId(2)))!;
    const q = {
      versionId: seed.versionId,
      kind: 'dense' as const,
      dim: DIM,
      literal,
      k: 10,
      exclude: [songId(2)],
    };
    const indexName = `song_embeddings_hnsw_v${seed.versionId}`;
    expect(await repo.explain(q, { kind: 'hnsw', efSearch: 100, maxScanTuples: 20_000 })).toContain(
      indexName,
    );
    expect(await repo.explain(q, { kind: 'exact' })).not.toContain(indexName);
  });

  it('TFIDF (sparse) neighbours share the topic under EXACT and HNSW', async () => {
    for (const index of [VectorIndex.VECTOR_INDEX_EXACT, VectorIndex.VECTOR_INDEX_HNSW]) {
      const res = await service.knn(request({ collection: 'tfidf', songId: songId(4), k: 5, index }));
      expect(res.neighbors).toHaveLength(5);
      for (const n of res.neighbors) expect(Number(n.songId.slice(2)) % 4).toBe(0);
    }
  });

  it('forwards LSH requests unchanged to the lsh service', async () => {
    const req = request({ songId: songId(1), index: VectorIndex.VECTOR_INDEX_LSH });
    const res = await service.knn(req);
    expect(forwarded).toEqual([req]);
    expect(res.scannedFraction).toBeCloseTo(0.1);
  });

  it('rejects bad input and unknown songs with clear errors', async () => {
    await expectError(
      service.knn(request({ songId: songId(1), k: 0 })),
      'BAD_USER_INPUT',
      /k must be at least 1/,
    );
    await expectError(
      service.knn(request({ songId: songId(1), k: 1001 })),
      'BAD_USER_INPUT',
      /k must be at most 1000/,
    );
    await expectError(
      service.knn(request({ songId: songId(1), collection: 'nope' })),
      'BAD_USER_INPUT',
      /unknown collection/,
    );
    await expectError(service.knn(request({})), 'BAD_USER_INPUT', /exactly one of song_id or vector/);
    await expectError(
      service.knn(request({ vector: { values: [1, 2, 3] } })),
      'BAD_USER_INPUT',
      /vector has 3 dimensions, collection als expects 8/,
    );
    await expectError(
      service.knn(request({ collection: 'tfidf', vector: { values: [1] } })),
      'BAD_USER_INPUT',
      /sparse; query it by song_id/,
    );
    await expectError(service.knn(request({ songId: 'SOUNKNOWN0000000000' })), 'NOT_FOUND', /does not exist/);
    await expectError(service.knn(request({ songId: songId(NO_VECTOR) })), 'NOT_FOUND', /has no als vector/);
    await expectError(
      service.knn(request({ collection: 'tfidf', songId: songId(200) })),
      'NOT_FOUND',
      /song SO0000000000000200 has no tfidf vector \(no lyrics\)/,
    );
  });
});

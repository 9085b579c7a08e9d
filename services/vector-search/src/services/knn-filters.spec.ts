import { vectors } from '@tunegraph/contracts';
import { createLogger } from '@tunegraph/service-kit';
import { startTestDatabase, type TestDatabase } from '@tunegraph/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vectorSearchConfigSchema, type VectorSearchConfig } from '../config';
import { EmbeddingsRepository } from '../repositories/embeddings.repository';
import {
  USER,
  artistId,
  seedCatalogMetadata,
  seedDenseVersion,
  seedSongs,
  seedSparseVersion,
  songId,
  type ClusteredSeed,
  type SongMeta,
  expectError,
} from '../repositories/embeddings.test-helpers';
import type { LshRepository } from '../repositories/lsh.repository';
import { KnnService } from './knn.service';
import { VectorIndexService } from './vector-index.service';

const { VectorIndex } = vectors;
const COUNT = 3000;
const ARTISTS = 20;
const DIM = 16;
const LISTS = 30;
const K = 10;
const QUERIES = 20;
/** IVFFlat probes for the recall check: half the lists (the default, sqrt(lists) = 5, measured 0.72-0.94). */
const PROBES = 15;

let db: TestDatabase;
let repo: EmbeddingsRepository;
let meta: SongMeta[];
let seed: ClusteredSeed;
let service: KnnService;
/** Filtered candidates LSH "finds": every song in id order, so the post-filter decides what is left. */
let lshPool: (k: number) => vectors.Neighbor[];

const config = (over: Record<string, string> = {}): VectorSearchConfig =>
  vectorSearchConfigSchema.parse({ SERVICE_NAME: 'vector-search', ...over });
const logger = createLogger('vector-search', 'silent');

const noFilter: vectors.KnnFilter = { excludePlayedByUserId: '', tags: [], artistIds: [] };
const request = (over: Partial<vectors.KnnRequest>): vectors.KnnRequest => ({
  collection: 'als',
  k: K,
  index: VectorIndex.VECTOR_INDEX_EXACT,
  excludeSongIds: [],
  efSearch: 0,
  filter: undefined,
  ...over,
});

/** The filters under test, each with the same rule in plain TypeScript. */
const FILTERS: { name: string; filter: vectors.KnnFilter; accepts: (m: SongMeta) => boolean }[] = [
  { name: 'tag rock', filter: { ...noFilter, tags: ['ROCK'] }, accepts: (m) => m.tags.has('rock') },
  {
    name: 'any of jazz/blues (song or artist tags)',
    filter: { ...noFilter, tags: ['Jazz', 'blues'] },
    accepts: (m) => m.tags.has('jazz') || m.tags.has('blues'),
  },
  {
    name: 'years 1980-1989',
    filter: { ...noFilter, yearMin: 1980, yearMax: 1989 },
    accepts: (m) => m.year !== null && m.year >= 1980 && m.year <= 1989,
  },
  {
    name: 'two artists',
    filter: { ...noFilter, artistIds: [artistId(2), artistId(5)] },
    accepts: (m) => m.artist === 2 || m.artist === 5,
  },
  {
    name: 'not played by U1',
    filter: { ...noFilter, excludePlayedByUserId: USER },
    accepts: (m) => !m.playedByU1,
  },
  {
    name: 'rock since 1970, not played by U1',
    filter: { ...noFilter, tags: ['rock'], yearMin: 1970, excludePlayedByUserId: USER },
    accepts: (m) => m.tags.has('rock') && m.year !== null && m.year >= 1970 && !m.playedByU1,
  },
];

/** The true filtered top k of song q by cosine, computed here from the seeded vectors (independent of SQL). */
function trueNeighbours(q: number, accepts: (m: SongMeta) => boolean): string[] {
  const row = (i: number) => seed.vectors.subarray(i * DIM, (i + 1) * DIM);
  const norm = (v: Float32Array) => Math.sqrt(v.reduce((a, x) => a + x * x, 0));
  const query = row(q);
  const scored: { i: number; cosine: number }[] = [];
  for (let i = 0; i < COUNT; i++) {
    if (i === q || !accepts(meta[i])) continue;
    const v = row(i);
    const dot = v.reduce((a, x, d) => a + x * query[d], 0);
    scored.push({ i, cosine: dot / (norm(v) * norm(query)) });
  }
  return scored
    .sort((a, b) => b.cosine - a.cosine)
    .slice(0, K)
    .map(({ i }) => songId(i));
}

beforeAll(async () => {
  db = await startTestDatabase();
  await seedSongs(db.sql, COUNT);
  meta = await seedCatalogMetadata(db.sql, COUNT, ARTISTS);
  // Loose clusters (noise 0.6 around 40 centres), so neighbours are not near-ties and recall means something.
  seed = await seedDenseVersion(db.sql, {
    count: COUNT,
    clusters: 40,
    dim: DIM,
    seed: 11,
    noise: 0.6,
    lists: LISTS,
  });
  await seedDenseVersion(db.sql, {
    model: 'item2vec',
    count: 200,
    clusters: 5,
    dim: 8,
    seed: 3,
    hnswOnly: true,
  });
  await seedSparseVersion(db.sql, {
    songs: Array.from({ length: 100 }, (_, i) => i),
    topics: 4,
    dim: 64,
    seed: 3,
  });
  repo = new EmbeddingsRepository(db.sql);
  lshPool = (k) => Array.from({ length: k }, (_, i) => ({ songId: songId(i + 1), score: 1 - i / COUNT }));
  const lsh = {
    knn: async (r: vectors.KnnRequest) => ({
      collection: r.collection,
      modelVersion: 1,
      index: r.index,
      neighbors: lshPool(r.k),
      scannedFraction: 0.05,
    }),
  } as unknown as LshRepository;
  service = new KnnService(repo, lsh, config(), logger);
}, 180_000);

afterAll(async () => {
  await db?.stop();
});

describe('filtered kNN on pgvector (3,000 songs)', () => {
  for (const index of [VectorIndex.VECTOR_INDEX_HNSW, VectorIndex.VECTOR_INDEX_IVFFLAT]) {
    it(`${index}: every filter returns exactly k passing rows, from the index, at high recall`, async () => {
      const recalls: Record<string, number> = {};
      for (const { name, filter, accepts } of FILTERS) {
        let hits = 0;
        for (let q = 0; q < QUERIES; q++) {
          const id = songId(q * 97 + 1);
          const truth = trueNeighbours(q * 97 + 1, accepts);
          if (q < 2) {
            // The exact filtered scan is the truth itself.
            const exact = await service.knn(request({ songId: id, filter }));
            expect(exact.neighbors.map((n) => n.songId)).toEqual(truth);
          }
          const probes = index === VectorIndex.VECTOR_INDEX_IVFFLAT ? PROBES : 0;
          const approx = await service.knn(request({ songId: id, filter, index, probes }));
          // The iterative scan found k rows itself: no fallback to the exact scan.
          expect(approx.index).toBe(index);
          expect(approx.neighbors).toHaveLength(K);
          for (const n of approx.neighbors) {
            expect(n.songId).not.toBe(id);
            expect(accepts(meta[Number(n.songId.slice(2))]), `${name}: ${n.songId}`).toBe(true);
          }
          const scores = approx.neighbors.map((n) => n.score);
          expect([...scores].sort((a, b) => b - a)).toEqual(scores);
          const truthSet = new Set(truth);
          hits += approx.neighbors.filter((n) => truthSet.has(n.songId)).length;
        }
        recalls[name] = hits / (QUERIES * K);
      }
      // Measured recall@10 per filter: HNSW (ef_search 100) 0.99-1.0; IVFFlat (15 of 30 lists) 0.91-1.0, mean 0.97
      // (k-means seeds its lists at random, so IVFFlat varies a little from run to run).
      const values = Object.values(recalls);
      const [perFilter, mean] = index === VectorIndex.VECTOR_INDEX_HNSW ? [0.95, 0.98] : [0.85, 0.93];
      for (const [name, recall] of Object.entries(recalls))
        expect(recall, `${name} in ${JSON.stringify(recalls)}`).toBeGreaterThanOrEqual(perFilter);
      expect(values.reduce((a, b) => a + b) / values.length).toBeGreaterThanOrEqual(mean);
    }, 300_000);
  }

  it('the filtered HNSW and IVFFlat queries walk their own partial index', async () => {
    const version = (await repo.activeVersion('als'))!;
    const literal = (await repo.embeddingLiteral(version.id, 'dense', songId(1)))!;
    const q = {
      versionId: version.id,
      kind: 'dense' as const,
      dim: DIM,
      literal,
      k: K,
      exclude: [songId(1)],
      filter: { tags: ['rock'], yearMin: 1970, excludePlayedBy: USER },
    };
    const hnsw = await repo.explain(q, { kind: 'hnsw', efSearch: 40, maxScanTuples: 20_000 });
    expect(hnsw).toContain(`Index Scan using song_embeddings_hnsw_v${version.id}`);
    const ivfflat = await repo.explain(q, { kind: 'ivfflat', probes: 3 });
    expect(ivfflat).toContain(`Index Scan using song_embeddings_ivfflat_v${version.id}`);
    expect(await repo.explain(q, { kind: 'exact' })).not.toMatch(/Index Scan using song_embeddings_(hnsw|ivfflat)/);
  });

  it('a filter fewer than k songs pass returns exactly those songs', async () => {
    // Artist 7's jazz songs from the 1950s: song i with i % 20 = 7, i % 7 = 0, 1950 + 7i % 60 < 1960.
    const expected = meta
      .map((m, i) => ({ m, i }))
      .filter(({ m }) => m.artist === 7 && m.tags.has('jazz') && m.year !== null && m.year <= 1959)
      .map(({ i }) => songId(i))
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(K);
    const filter = { ...noFilter, artistIds: [artistId(7)], tags: ['jazz'], yearMax: 1959 };
    for (const index of [VectorIndex.VECTOR_INDEX_HNSW, VectorIndex.VECTOR_INDEX_IVFFLAT]) {
      const res = await service.knn(request({ songId: songId(2), filter, index }));
      expect(res.neighbors.map((n) => n.songId).sort()).toEqual(expected);
    }
  });

  it('falls back to the exact filtered scan, and says so, when HNSW stops at max_scan_tuples', async () => {
    const stingy = new KnnService(repo, {} as LshRepository, config({ HNSW_MAX_SCAN_TUPLES: '100' }), logger);
    // Artist 5's rock songs up to 1979: 2.5% of the catalog, so 100 visited tuples hold fewer than k of them.
    const filter = { ...noFilter, artistIds: [artistId(5)], tags: ['rock'], yearMax: 1979 };
    const exact = await service.knn(request({ songId: songId(1), filter }));
    const res = await stingy.knn(
      request({ songId: songId(1), filter, index: VectorIndex.VECTOR_INDEX_HNSW }),
    );
    expect(res.index).toBe(VectorIndex.VECTOR_INDEX_EXACT);
    expect(res.scannedFraction).toBe(1);
    expect(res.neighbors).toEqual(exact.neighbors);
    expect(res.neighbors).toHaveLength(K);
  });

  it('LSH with a filter keeps the passing candidates of a larger pool, in LSH order', async () => {
    const filter = { ...noFilter, tags: ['jazz'] };
    const res = await service.knn(
      request({ songId: songId(1), filter, index: VectorIndex.VECTOR_INDEX_LSH }),
    );
    expect(res.index).toBe(VectorIndex.VECTOR_INDEX_LSH);
    expect(res.neighbors.map((n) => n.songId)).toEqual(
      Array.from({ length: K }, (_, i) => songId(7 * (i + 1))),
    );
  });

  it('LSH with a filter its candidates cannot satisfy answers from the exact filtered scan', async () => {
    lshPool = () => [{ songId: songId(1), score: 0.9 }];
    try {
      const filter = { ...noFilter, tags: ['rock'] };
      const res = await service.knn(
        request({ songId: songId(1), filter, index: VectorIndex.VECTOR_INDEX_LSH }),
      );
      expect(res.index).toBe(VectorIndex.VECTOR_INDEX_EXACT);
      expect(res.neighbors).toEqual((await service.knn(request({ songId: songId(1), filter }))).neighbors);
    } finally {
      lshPool = (k) => Array.from({ length: k }, (_, i) => ({ songId: songId(i + 1), score: 1 - i / COUNT }));
    }
  });

  it('rejects bad search parameters and filters with clear errors', async () => {
    const hnsw = VectorIndex.VECTOR_INDEX_HNSW;
    const ivfflat = VectorIndex.VECTOR_INDEX_IVFFLAT;
    const id = songId(1);
    await expectError(
      service.knn(request({ songId: id, index: hnsw, efSearch: 1001 })),
      'BAD_USER_INPUT',
      /ef_search must be at most 1000/,
    );
    await expectError(
      service.knn(request({ songId: id, index: hnsw, efSearch: -1 })),
      'BAD_USER_INPUT',
      /ef_search must be at least 1/,
    );
    await expectError(
      service.knn(request({ songId: id, efSearch: 40 })),
      'BAD_USER_INPUT',
      /ef_search applies to the HNSW index only/,
    );
    await expectError(
      service.knn(request({ songId: id, index: ivfflat, probes: LISTS + 1 })),
      'BAD_USER_INPUT',
      /probes must be at most 30/,
    );
    await expectError(
      service.knn(request({ songId: id, index: ivfflat, probes: -2 })),
      'BAD_USER_INPUT',
      /probes must be at least 1/,
    );
    await expectError(
      service.knn(request({ songId: id, index: hnsw, probes: 3 })),
      'BAD_USER_INPUT',
      /probes applies to the IVFFLAT index only/,
    );
    await expectError(
      service.knn(request({ collection: 'tfidf', songId: id, index: ivfflat })),
      'BAD_USER_INPUT',
      /IVFFLAT serves dense collections only; tfidf is sparse/,
    );
    await expectError(
      service.knn(request({ collection: 'item2vec', songId: id, index: ivfflat })),
      'MODEL_NOT_READY',
      /item2vec model version 1 has no IVFFlat index yet/,
    );
    await expectError(
      service.knn(request({ collection: 'word2vec', songId: id })),
      'MODEL_NOT_READY',
      /collection word2vec has no active model version yet/,
    );
    await expectError(
      service.knn(request({ songId: id, filter: { ...noFilter, excludePlayedByUserId: 'nobody' } })),
      'NOT_FOUND',
      /user nobody does not exist/,
    );
    await expectError(
      service.knn(request({ songId: id, filter: { ...noFilter, artistIds: [artistId(1), 'ARNOPE'] } })),
      'NOT_FOUND',
      /unknown artist ids: ARNOPE/,
    );
    await expectError(
      service.knn(request({ songId: id, filter: { ...noFilter, yearMin: 2000, yearMax: 1990 } })),
      'BAD_USER_INPUT',
      /year_min must not exceed year_max/,
    );
    await expectError(
      service.knn(request({ songId: id, filter: { ...noFilter, tags: ['rock', ' '] } })),
      'BAD_USER_INPUT',
      /tags must not be empty/,
    );
  });
});

describe('RebuildIndex', () => {
  it('rebuilds HNSW and IVFFlat with the requested parameters, then queries use them', async () => {
    const indexes = new VectorIndexService(repo, config({ VECTOR_INDEX_PARAMS: '{"als":{"m":12}}' }));
    const res = await indexes.rebuild({ collection: 'als', m: 0, efConstruction: 40, lists: 12 });
    expect(res).toMatchObject({ collection: 'als', size: COUNT, m: 12, efConstruction: 40, lists: 12 });
    const version = (await repo.activeVersion('als'))!;
    expect(await repo.indexParams(version.id)).toEqual({
      hnsw: { m: 12, efConstruction: 40 },
      ivfflat: { lists: 12 },
    });
    await expectError(
      service.knn(request({ songId: songId(1), index: VectorIndex.VECTOR_INDEX_IVFFLAT, probes: 13 })),
      'BAD_USER_INPUT',
      /probes must be at most 12/,
    );
    const after = await service.knn(request({ songId: songId(1), index: VectorIndex.VECTOR_INDEX_IVFFLAT }));
    expect(after.neighbors).toHaveLength(K);
  });

  it('builds the missing IVFFlat index of a dense version; sparse versions get HNSW only', async () => {
    const indexes = new VectorIndexService(repo, config());
    const built = await indexes.rebuild({ collection: 'item2vec', m: 0, efConstruction: 0, lists: 0 });
    expect(built).toMatchObject({ size: 200, m: 16, efConstruction: 64, lists: 1 });
    const sparse = await indexes.rebuild({ collection: 'tfidf', m: 0, efConstruction: 0, lists: 0 });
    expect(sparse).toMatchObject({ size: 100, lists: 0 });
  });

  it('rejects parameters outside pgvector limits before touching the index', async () => {
    const indexes = new VectorIndexService(repo, config());
    const rebuild = (over: Partial<vectors.RebuildIndexRequest>) =>
      indexes.rebuild({ collection: 'als', m: 0, efConstruction: 0, lists: 0, ...over });
    await expectError(rebuild({ m: 1 }), 'BAD_USER_INPUT', /m must be an integer from 2 to 100, got 1/);
    await expectError(
      rebuild({ m: 40 }),
      'BAD_USER_INPUT',
      /efConstruction \(64\) must be at least 2 \* m \(80\)/,
    );
    await expectError(
      rebuild({ lists: 40_000 }),
      'BAD_USER_INPUT',
      /lists must be an integer from 1 to 32768/,
    );
    await expectError(rebuild({ collection: 'tfidf', lists: 5 }), 'BAD_USER_INPUT', /tfidf is sparse/);
    await expectError(rebuild({ collection: 'nope' }), 'BAD_USER_INPUT', /unknown collection "nope"/);
    expect(() => config({ VECTOR_INDEX_PARAMS: '{"als":{"m":500}}' })).toThrow();
    expect(() => config({ VECTOR_INDEX_PARAMS: '{"nope":{}}' })).toThrow(/unknown collection/);
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { vectors } from '@tunegraph/contracts';
import {
  AppError,
  EventHandlersRegistry,
  Metrics,
  createEventBus,
  createLogger,
  type EventBus,
} from '@tunegraph/service-kit';
import { startTestDatabase, testTopicPrefix, type TestDatabase } from '@tunegraph/service-kit/testing';
import { exactKnn } from '@tunegraph/vectors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LshConfig } from '../config';
import { ModelActivatedHandler } from '../kafka/model-activated.handler';
import { VectorsStoredHandler } from '../kafka/vectors-stored.handler';
import { EmbeddingsRepository } from '../repositories/embeddings.repository';
import { seedAlsVersion, songId } from '../repositories/embeddings.test-helpers';
import { SnapshotRepository } from '../repositories/snapshot.repository';
import { KnnService } from './knn.service';
import { LshIndexService } from './lsh-index.service';

const { VectorIndex } = vectors;
const COUNT = 2500;
const DIM = 64;
const logger = createLogger('lsh-test', 'silent');

let db: TestDatabase;
let home: string;
let config: LshConfig;

function boot() {
  const indexes = new LshIndexService(
    new EmbeddingsRepository(db.sql),
    new SnapshotRepository(config),
    config,
    logger,
  );
  return { indexes, knn: new KnnService(indexes) };
}

const request = (over: Partial<vectors.KnnRequest>): vectors.KnnRequest => ({
  collection: 'als',
  k: 10,
  index: VectorIndex.VECTOR_INDEX_LSH,
  excludeSongIds: [],
  efSearch: 0,
  filter: undefined,
  ...over,
});

/** Kafka when KAFKA_BROKERS is set, else the file event log. */
function testBus(): EventBus {
  return createEventBus({
    brokers: process.env.KAFKA_BROKERS?.split(','),
    clientId: 'lsh-test',
    topicPrefix: testTopicPrefix(),
    home,
    logger,
  });
}

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected an error');
}

beforeAll(async () => {
  db = await startTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'lsh-service-'));
  config = {
    TUNEGRAPH_HOME: home,
    LSH_SEED: 20_240_601,
    LSH_TARGET_RECALL: 0.93,
    LSH_MAX_SCANNED: 0.1,
  } as LshConfig;
});

afterAll(async () => {
  await db?.stop();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('LshIndexService on a database', () => {
  let seeded: { version: number; vectors: Float32Array };

  it('answers MODEL_NOT_READY before any version is active', async () => {
    const { indexes, knn } = boot();
    expect(await indexes.load('als')).toBeUndefined();
    const err = errorOf(() => knn.knn(request({ songId: songId(1) })));
    expect(err.code).toBe('MODEL_NOT_READY');
    expect(err.message).toMatch(/LSH index for als is not ready/);
  });

  it('builds a tuned index from pgvector, snapshots it, and finds cosine neighbours with measured recall, scanning a fraction', async () => {
    seeded = await seedAlsVersion(db.sql, { count: COUNT, clusters: 100, dim: DIM, noise: 1.2, seed: 11 });
    const { indexes, knn } = boot();
    const loaded = await indexes.load('als');
    expect(loaded).toMatchObject({ source: 'database', key: { version: seeded.version } });
    expect(fs.existsSync(path.join(home, 'lsh', `als-v${seeded.version}.bin`))).toBe(true);

    let hits = 0;
    let scanned = 0;
    const queries = 100;
    for (let q = 0; q < queries; q++) {
      const row = q * 25;
      const res = knn.knn(request({ songId: songId(row) }));
      const truth = exactKnn(seeded.vectors, DIM, seeded.vectors.subarray(row * DIM, (row + 1) * DIM), 10, {
        exclude: (id) => id === row,
      });
      const expected = new Set(Array.from(truth.ids, (i) => songId(i)));
      expect(res.neighbors.map((n) => n.songId)).not.toContain(songId(row));
      hits += res.neighbors.filter((n) => expected.has(n.songId)).length;
      scanned += res.scannedFraction;
    }
    // Tuned to 0.93 on a 200-song sample: 24 tables x 10 bits, 264 probes. Measured 0.905 recall@10 on these
    // queries scoring 27% of the songs: 100 clusters with noise 1.2 in 2,500 songs barely separate neighbours from
    // the rest, and the 2x memory budget allows few tables at this size (see the knn benchmark for real figures).
    expect(loaded?.tuning?.sampleRecall).toBeGreaterThanOrEqual(0.93);
    expect(hits / (queries * 10)).toBeGreaterThanOrEqual(0.88);
    expect(scanned / queries).toBeGreaterThan(0.01);
    expect(scanned / queries).toBeLessThan(0.35);
    expect(loaded!.lsh.memoryBytes() / loaded!.songIds.length).toBeLessThanOrEqual(2 * 4 * DIM);
  });

  it('a restart with the same active version loads the snapshot and answers the same', async () => {
    const first = boot();
    await first.indexes.load('als');
    const second = boot();
    const loaded = await second.indexes.load('als');
    expect(loaded?.source).toBe('snapshot');
    for (const row of [0, 7, 1234]) {
      expect(second.knn.knn(request({ songId: songId(row) }))).toEqual(
        first.knn.knn(request({ songId: songId(row) })),
      );
    }
  });

  it('ignores a snapshot built with other parameters and rebuilds', async () => {
    const other = { ...config, LSH_TARGET_RECALL: 0.95 };
    const indexes = new LshIndexService(
      new EmbeddingsRepository(db.sql),
      new SnapshotRepository(other),
      other,
      logger,
    );
    expect((await indexes.load('als'))?.source).toBe('database');
  });

  it('uses a fixed setting as given, and rebuilds over a snapshot of an older format', async () => {
    const fixed = { ...config, LSH_TABLES: 16, LSH_BITS: 9, LSH_PROBES: 40 };
    const indexes = new LshIndexService(
      new EmbeddingsRepository(db.sql),
      new SnapshotRepository(fixed),
      fixed,
      logger,
    );
    const file = path.join(home, 'lsh', `als-v${seeded.version}.bin`);
    fs.writeFileSync(file, Buffer.concat([Buffer.from('TGLSHSNAP1'), Buffer.alloc(64)])); // a format-1 file
    const loaded = await indexes.load('als');
    expect(loaded).toMatchObject({ source: 'database', lsh: { tables: 16, bits: 9, probes: 40 } });
    expect(loaded?.tuning).toBeUndefined();
    expect(fs.readFileSync(file).subarray(0, 10).toString()).toBe('TGLSHSNAP2');
  });

  it('queries by vector, honours exclusions, and rejects bad requests clearly', async () => {
    const { indexes, knn } = boot();
    await indexes.load('als');
    const query = Array.from(seeded.vectors.subarray(3 * DIM, 4 * DIM));
    const byVector = knn.knn(request({ vector: { values: query }, k: 5 }));
    expect(byVector.neighbors[0].songId).toBe(songId(3));
    expect(byVector.neighbors[0].score).toBeCloseTo(1, 5);
    const excluded = byVector.neighbors.map((n) => n.songId);
    const next = knn.knn(request({ vector: { values: query }, k: 5, excludeSongIds: excluded }));
    expect(next.neighbors).toHaveLength(5);
    for (const n of next.neighbors) expect(excluded).not.toContain(n.songId);

    const cases: [Partial<vectors.KnnRequest>, string, RegExp][] = [
      [
        { songId: songId(1), index: VectorIndex.VECTOR_INDEX_HNSW },
        'BAD_USER_INPUT',
        /lsh serves index LSH only/,
      ],
      [{ songId: songId(1), k: 0 }, 'BAD_USER_INPUT', /k must be at least 1/],
      [{ songId: songId(1), k: 1001 }, 'BAD_USER_INPUT', /k must be at most 1000/],
      [{ songId: songId(1), collection: 'tfidf' }, 'BAD_USER_INPUT', /LSH supports dense collections only/],
      [{ songId: songId(1), collection: 'nope' }, 'BAD_USER_INPUT', /unknown collection "nope"/],
      [{}, 'BAD_USER_INPUT', /exactly one of song_id or vector/],
      [
        { vector: { values: [1, 2] } },
        'BAD_USER_INPUT',
        /vector has 2 dimensions, collection als expects 64/,
      ],
      [{ songId: 'SONOTINDEXED0000000' }, 'NOT_FOUND', /has no als vector in model version/],
    ];
    for (const [over, code, message] of cases) {
      const err = errorOf(() => knn.knn(request(over)));
      expect(err.code).toBe(code);
      expect(err.message).toMatch(message);
    }
  });

  it('rebuilds on a models.activated event and serves the new version (Kafka when KAFKA_BROKERS is set)', async () => {
    const bus = testBus();
    const registry = new EventHandlersRegistry(bus, new Metrics('lsh', bus));
    const { indexes, knn } = boot();
    await indexes.load('als');
    new ModelActivatedHandler(registry, indexes, logger).onModuleInit();
    await registry.start();
    try {
      const next = await seedAlsVersion(db.sql, { count: 300, clusters: 10, dim: DIM, noise: 0.1, seed: 12 });
      // The group reads from the latest offset, which a Kafka consumer may fix only after the first publish; loading
      // is idempotent, so the test repeats the event until it is seen. A tfidf activation rides along, ignored.
      const announce = () =>
        bus.publish('models.activated', [
          { key: 'tfidf', value: { model: 'tfidf', version: 1, collection: 'tfidf' } },
          { key: 'als', value: { model: 'als', version: next.version, collection: 'als' } },
        ]);
      await announce();
      const repeat = setInterval(() => void announce(), 2000);
      try {
        await expect
          .poll(() => indexes.get('als').key.version, { timeout: 60_000, interval: 100 })
          .toBe(next.version);
      } finally {
        clearInterval(repeat);
      }
      expect(indexes.get('als').songIds).toHaveLength(300);
      expect(knn.knn(request({ songId: songId(1) })).modelVersion).toBe(next.version);
      expect(fs.existsSync(path.join(home, 'lsh', `als-v${next.version}.bin`))).toBe(true);
    } finally {
      await bus.close();
    }
  });

  it('RebuildIndex rebuilds from pgvector even when a snapshot exists', async () => {
    const { knn } = boot();
    const res = await knn.rebuild('als');
    expect(res).toMatchObject({ collection: 'als', size: 300 });
    expect(res.seconds).toBeGreaterThan(0);
    await expect(knn.rebuild('tfidf')).rejects.toThrow(/LSH supports dense collections only/);
  });

  it('indexes songs embedded later (vectors.stored) at once, keeps them across a restart, and catches a snapshot up', async () => {
    const bus = testBus();
    const registry = new EventHandlersRegistry(bus, new Metrics('lsh', bus));
    const { indexes, knn } = boot();
    const { versionId } = (await indexes.load('als'))!;
    new VectorsStoredHandler(registry, indexes, logger).onModuleInit();
    await registry.start();
    // A new song with song 5's vector, and song 6 moved onto song 7's.
    const addSong = async (row: number, like: number) => {
      await db.sql`
        INSERT INTO songs (id, title, artist_id) VALUES (${songId(row)}, 'late', 'AR0000000000000001')
        ON CONFLICT DO NOTHING`;
      await db.sql`
        INSERT INTO song_embeddings (model_version_id, song_id, embedding)
        SELECT model_version_id, ${songId(row)}, embedding FROM song_embeddings
        WHERE model_version_id = ${versionId} AND song_id = ${songId(like)}`;
    };
    await addSong(300, 5);
    await db.sql`
      UPDATE song_embeddings SET embedding = (
        SELECT embedding FROM song_embeddings WHERE model_version_id = ${versionId} AND song_id = ${songId(7)})
      WHERE model_version_id = ${versionId} AND song_id = ${songId(6)}`;
    try {
      const announce = () =>
        bus.publish('vectors.stored', [
          { key: 'als', value: { collection: 'als', versionId, songIds: [songId(300), songId(6)] } },
        ]);
      await announce();
      const repeat = setInterval(() => void announce(), 2000);
      try {
        await expect
          .poll(() => indexes.get('als').slotOf.has(songId(300)), { timeout: 60_000, interval: 100 })
          .toBe(true);
      } finally {
        clearInterval(repeat);
      }
    } finally {
      await bus.close();
    }
    const top = (row: number) => knn.knn(request({ songId: songId(row), k: 1 })).neighbors[0];
    expect(top(300)).toMatchObject({ songId: songId(5), score: expect.closeTo(1, 5) });
    expect(top(6)).toMatchObject({ songId: songId(7), score: expect.closeTo(1, 5) });
    expect(indexes.get('als').lsh.size).toBe(301);
    expect(await indexes.addStored('als', versionId + 1000, [songId(1)])).toBe(0);

    // The snapshot was rewritten with them; a song written while no lsh service listened is added at load.
    await addSong(301, 8);
    const restarted = boot();
    const loaded = (await restarted.indexes.load('als'))!;
    expect(loaded.source).toBe('snapshot');
    expect(loaded.lsh.size).toBe(302);
    expect(restarted.knn.knn(request({ songId: songId(301), k: 1 })).neighbors[0].songId).toBe(songId(8));
    expect(restarted.knn.knn(request({ songId: songId(6), k: 1 })).neighbors[0].songId).toBe(songId(7));
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { vectors } from '@tunegraph/contracts';
import {
  LOGGER,
  TransportExceptionFilter,
  createGrpcClient,
  grpcServerOptions,
  type Logger,
} from '@tunegraph/service-kit';
import { freePort, startTestDatabase, type TestDatabase } from '@tunegraph/service-kit/testing';
import { firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from './app.module';
import { seedAlsVersion, songId } from './repositories/embeddings.test-helpers';
import { LshIndexService } from './services/lsh-index.service';

const { VectorIndex } = vectors;

let db: TestDatabase;
let home: string;
let grpcPort: number;
let httpPort: number;
let app: INestApplication | undefined;
let client: vectors.VectorsServiceClient;

/** Boots the service as runService does, on free ports. */
async function start() {
  const instance = await NestFactory.create(AppModule, { logger: false });
  instance.useGlobalFilters(
    new TransportExceptionFilter(instance.get(HttpAdapterHost).httpAdapter, instance.get<Logger>(LOGGER)),
  );
  instance.connectMicroservice(grpcServerOptions(grpcPort, ['vectors']), { inheritAppConfig: true });
  await instance.startAllMicroservices();
  await instance.listen(httpPort, '127.0.0.1');
  return instance;
}

const knn = (over: Partial<vectors.KnnRequest>) =>
  firstValueFrom(
    client.knn({
      collection: 'als',
      k: 5,
      index: VectorIndex.VECTOR_INDEX_LSH,
      excludeSongIds: [],
      efSearch: 0,
      filter: undefined,
      ...over,
    }),
  );

beforeAll(async () => {
  db = await startTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'lsh-e2e-'));
  [grpcPort, httpPort] = [await freePort(), await freePort()];
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    TUNEGRAPH_HOME: home,
    LOG_LEVEL: 'silent',
    HTTP_PORT: String(httpPort),
    GRPC_PORT: String(grpcPort),
  });
  client = createGrpcClient(`127.0.0.1:${grpcPort}`, 'vectors').getService<vectors.VectorsServiceClient>(
    vectors.VECTORS_SERVICE_NAME,
  );
  app = await start();
});

afterAll(async () => {
  await app?.close();
  await db?.stop();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('lsh service over gRPC', () => {
  it('answers FAILED_PRECONDITION (MODEL_NOT_READY) before an index exists, and /health meanwhile', async () => {
    await expect(knn({ songId: songId(1) })).rejects.toMatchObject({
      code: 9,
      details: expect.stringMatching(/LSH index for als is not ready/),
    });
    const health = await fetch(`http://127.0.0.1:${httpPort}/health`);
    expect(await health.json()).toMatchObject({ status: 'ok', service: 'lsh' });
  });

  it('RebuildIndex builds the active version, then Knn serves it', async () => {
    const seeded = await seedAlsVersion(db.sql, { count: 500, clusters: 20, dim: 16, noise: 0.2, seed: 3 });
    const rebuilt = await firstValueFrom(client.rebuildIndex({ collection: 'als' }));
    expect(rebuilt).toMatchObject({ collection: 'als', modelVersion: seeded.version, size: 500 });
    const res = await knn({ songId: songId(0) });
    expect(res).toMatchObject({
      collection: 'als',
      modelVersion: seeded.version,
      index: VectorIndex.VECTOR_INDEX_LSH,
    });
    expect(res.neighbors).toHaveLength(5);
    for (const n of res.neighbors) expect(Number(n.songId.slice(2)) % 20).toBe(0);
    expect(res.scannedFraction).toBeGreaterThan(0);
    expect(res.scannedFraction).toBeLessThan(1);
  });

  it('maps bad requests to INVALID_ARGUMENT and unknown songs to NOT_FOUND', async () => {
    await expect(knn({ songId: songId(0), index: VectorIndex.VECTOR_INDEX_EXACT })).rejects.toMatchObject({
      code: 3,
      details: expect.stringMatching(/lsh serves index LSH only/),
    });
    await expect(knn({ songId: songId(0), collection: 'tfidf' })).rejects.toMatchObject({ code: 3 });
    await expect(knn({ songId: 'SONOSUCHSONG0000000' })).rejects.toMatchObject({ code: 5 });
  });

  it('loads the snapshot at boot after a restart', async () => {
    await app!.close();
    app = await start();
    const indexes = app.get(LshIndexService);
    await expect
      .poll(
        () =>
          knn({ songId: songId(0) }).then(
            () => true,
            () => false,
          ),
        { timeout: 30_000 },
      )
      .toBe(true);
    expect(indexes.get('als').source).toBe('snapshot');
  });
});

import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import type { ClientGrpc } from '@nestjs/microservices';
import { recommend } from '@tunegraph/contracts';
import {
  EVENT_BUS,
  EventHandlersRegistry,
  LOGGER,
  TransportExceptionFilter,
  createGrpcClient,
  createLogger,
  grpcServerOptions,
  type EventBus,
} from '@tunegraph/service-kit';
import {
  freePort,
  startTestDatabase,
  testTopicPrefix,
  type TestDatabase,
} from '@tunegraph/service-kit/testing';
import { firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from './app.module';
import { trainModelJob } from './jobs/train-model.job';
import { groupOfSong, seedCatalog, seedPlantedPlays, userId } from './planted-plays.test-helpers';

let db: TestDatabase;
let app: INestApplication;
let home: string;
let graphqlUrl: string;
let client: recommend.RecommendServiceClient;
const logger = createLogger('collaborative-test', 'silent');

async function gql<T>(query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
}

const ENTITY_QUERY = `query($reps: [_Any!]!, $first: Int) {
  _entities(representations: $reps) { ... on User { id recommendations(first: $first) { song { id } score reason } } }
}`;

beforeAll(async () => {
  db = await startTestDatabase();
  await seedCatalog(db.sql);
  await seedPlantedPlays(db.sql);
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'collaborative-app-'));
  const [httpPort, grpcPort] = [await freePort(), await freePort()];
  // The embedded event log under a temporary home, so the activation handler runs without a broker.
  delete process.env.KAFKA_BROKERS;
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    HTTP_PORT: String(httpPort),
    GRPC_PORT: String(grpcPort),
    TUNEGRAPH_HOME: home,
    KAFKA_TOPIC_PREFIX: testTopicPrefix(),
    LOG_LEVEL: 'silent',
  });
  app = await NestFactory.create(AppModule, { logger: false });
  app.useGlobalFilters(new TransportExceptionFilter(app.get(HttpAdapterHost).httpAdapter, app.get(LOGGER)));
  app.connectMicroservice(grpcServerOptions(grpcPort, ['recommend']), { inheritAppConfig: true });
  await app.startAllMicroservices();
  await app.listen(httpPort, '127.0.0.1');
  await app.get(EventHandlersRegistry).start();
  graphqlUrl = `http://127.0.0.1:${httpPort}/graphql`;
  const grpc = createGrpcClient(`127.0.0.1:${grpcPort}`, 'recommend') as ClientGrpc;
  client = grpc.getService<recommend.RecommendServiceClient>(recommend.RECOMMEND_SERVICE_NAME);
});

afterAll(async () => {
  await app?.close();
  await db?.stop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

describe('collaborative service over GraphQL and gRPC', () => {
  it('answers MODEL_NOT_READY before training', async () => {
    const res = await gql(ENTITY_QUERY, { reps: [{ __typename: 'User', id: userId('A', 0) }], first: 3 });
    expect(res.errors?.[0].extensions?.code).toBe('MODEL_NOT_READY');
  });

  it('resolves User.recommendations as an entity extension', async () => {
    await trainModelJob({ sql: db.sql, bus: app.get<EventBus>(EVENT_BUS), logger }, 'als', { factors: 2 });
    const res = await gql<{
      _entities: { id: string; recommendations: { song: { id: string }; reason: string }[] }[];
    }>(ENTITY_QUERY, { reps: [{ __typename: 'User', id: userId('B', 1) }], first: 3 });
    expect(res.errors).toBeUndefined();
    const [user] = res.data!._entities;
    expect(user.id).toBe(userId('B', 1));
    expect(user.recommendations).toHaveLength(3);
    for (const r of user.recommendations) {
      expect(groupOfSong(r.song.id)).toBe('B');
      expect(r.reason).toMatch(/^because you played SOGROUPB/);
    }
  });

  it('maps a bad first to BAD_USER_INPUT', async () => {
    const res = await gql(ENTITY_QUERY, { reps: [{ __typename: 'User', id: userId('A', 0) }], first: 0 });
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('lists model versions with their metrics', async () => {
    const res = await gql<{
      modelVersions: { version: number; active: boolean; status: string; dim: number; metrics: string }[];
    }>(`{ modelVersions(model: "als") { version active status dim metrics } }`);
    expect(res.errors).toBeUndefined();
    const [v] = res.data!.modelVersions;
    expect(v).toMatchObject({ version: 1, active: true, status: 'ready', dim: 2 });
    expect(Object.keys(JSON.parse(v.metrics)).sort()).toEqual([
      'coverage',
      'evaluatedUsers',
      'mapAt500',
      'ndcgAt10',
      'popularityBias',
      'precisionAt10',
      'recallAt50',
    ]);
  });

  it('serves RecommendService.Recommend over gRPC, with k = 0 meaning 10 and bad input as INVALID_ARGUMENT', async () => {
    const res = await firstValueFrom(client.recommend({ userId: userId('A', 4), k: 0, model: '' }));
    expect(res).toMatchObject({ userId: userId('A', 4), model: 'als', modelVersion: 1 });
    expect(res.items).toHaveLength(10);
    expect(
      res.items
        .slice(0, 4)
        .every((i) => groupOfSong(i.songId) === 'A' && i.becauseOfSongId.startsWith('SOGROUPA')),
    ).toBe(true);
    await expect(
      firstValueFrom(client.recommend({ userId: userId('A', 4), k: 3, model: 'lda' })),
    ).rejects.toMatchObject({ code: 3 });
  });

  it('swaps in a newly activated version when models.activated arrives', async () => {
    await trainModelJob({ sql: db.sql, bus: app.get<EventBus>(EVENT_BUS), logger }, 'als', {
      factors: 2,
      seed: 7,
    });
    let version = 1;
    for (let attempt = 0; attempt < 100 && version !== 2; attempt++) {
      await new Promise((r) => setTimeout(r, 50));
      version = (await firstValueFrom(client.recommend({ userId: userId('A', 4), k: 1, model: 'als' })))
        .modelVersion;
    }
    expect(version).toBe(2);
  });

  it('trains item-kNN through the trainModel mutation, pollable in modelVersions, then serves it by model', async () => {
    const started = await gql<{
      trainModel: { model: string; version: number; status: string; params: string };
    }>(`mutation { trainModel(model: ITEMKNN, params: "{\\"q\\": 2}") { model version status params } }`);
    expect(started.errors).toBeUndefined();
    expect(started.data!.trainModel).toMatchObject({ model: 'itemknn', version: 1, status: 'training' });
    expect(JSON.parse(started.data!.trainModel.params)).toMatchObject({ q: 2, alpha: 0.15 });
    let status = 'training';
    for (let attempt = 0; attempt < 200 && status === 'training'; attempt++) {
      await new Promise((r) => setTimeout(r, 50));
      const res = await gql<{ modelVersions: { status: string; active: boolean }[] }>(
        `{ modelVersions(model: "itemknn") { status active } }`,
      );
      status = res.data!.modelVersions[0].status;
    }
    expect(status).toBe('ready');
    const res = await gql<{ _entities: { recommendations: { song: { id: string }; reason: string }[] }[] }>(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { recommendations(first: 3, model: ITEMKNN) { song { id } reason } } } }`,
      { reps: [{ __typename: 'User', id: userId('A', 2) }] },
    );
    expect(res.errors).toBeUndefined();
    for (const r of res.data!._entities[0].recommendations) {
      expect(groupOfSong(r.song.id)).toBe('A');
      expect(r.reason).toMatch(/^because you played SOGROUPA/);
    }
  });

  it('answers bad trainModel input with BAD_USER_INPUT and creates no version', async () => {
    for (const params of ['{"neighbours": 0}', 'not json', '[1]']) {
      const res = await gql(`mutation($p: String) { trainModel(model: ITEMKNN, params: $p) { id } }`, {
        p: params,
      });
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
    const res = await gql<{ modelVersions: unknown[] }>(`{ modelVersions(model: "itemknn") { id } }`);
    expect(res.data!.modelVersions).toHaveLength(1);
  });
});

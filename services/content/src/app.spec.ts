import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import type { ClientGrpc } from '@nestjs/microservices';
import { content } from '@tunegraph/contracts';
import {
  LOGGER,
  TransportExceptionFilter,
  createGrpcClient,
  createLogger,
  grpcServerOptions,
} from '@tunegraph/service-kit';
import { freePort, startTestDatabase, type TestDatabase } from '@tunegraph/service-kit/testing';
import { firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from './app.module';
import { trainTfidfJob } from './jobs/train-tfidf.job';
import { SONGS, recordingBus, seedCatalogAndStems, seedLyrics } from './lyrics-fixture.test-helpers';

let db: TestDatabase;
let app: INestApplication;
let home: string;
let graphqlUrl: string;
let client: content.ContentServiceClient;

async function gql<T>(query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
}

const TOP_WORDS = `query($reps: [_Any!]!, $first: Int) { _entities(representations: $reps) { ... on Song { id topWords(first: $first) } } }`;

beforeAll(async () => {
  db = await startTestDatabase();
  await seedCatalogAndStems(db.sql);
  await seedLyrics(db.sql);
  await trainTfidfJob({ sql: db.sql, bus: recordingBus(), logger: createLogger('content-test', 'silent') });
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'content-app-'));
  const [httpPort, grpcPort] = [await freePort(), await freePort()];
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    HTTP_PORT: String(httpPort),
    GRPC_PORT: String(grpcPort),
    TUNEGRAPH_HOME: home,
    LOG_LEVEL: 'silent',
  });
  app = await NestFactory.create(AppModule, { logger: false });
  app.useGlobalFilters(new TransportExceptionFilter(app.get(HttpAdapterHost).httpAdapter, app.get(LOGGER)));
  app.connectMicroservice(grpcServerOptions(grpcPort, ['content']), { inheritAppConfig: true });
  await app.startAllMicroservices();
  await app.listen(httpPort, '127.0.0.1');
  graphqlUrl = `http://127.0.0.1:${httpPort}/graphql`;
  const grpc = createGrpcClient(`127.0.0.1:${grpcPort}`, 'content') as ClientGrpc;
  client = grpc.getService<content.ContentServiceClient>(content.CONTENT_SERVICE_NAME);
});

afterAll(async () => {
  await app?.close();
  await db?.stop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

describe('content service over GraphQL and gRPC', () => {
  it('adds topWords to the Song entity', async () => {
    const res = await gql<{ _entities: { id: string; topWords: string[] }[] }>(TOP_WORDS, {
      reps: [
        { __typename: 'Song', id: SONGS.crime },
        { __typename: 'Song', id: SONGS.silent },
      ],
      first: 2,
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([
      { id: SONGS.crime, topWords: ['money', 'gun'] },
      { id: SONGS.silent, topWords: [] },
    ]);
  });

  it('names unknown songs NOT_FOUND and a bad first BAD_USER_INPUT', async () => {
    const unknown = await gql(TOP_WORDS, { reps: [{ __typename: 'Song', id: 'SONOTHERE00000000A' }] });
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const bad = await gql(TOP_WORDS, { reps: [{ __typename: 'Song', id: SONGS.crime }], first: 500 });
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('serves ContentService.ExplainSimilarity over gRPC', async () => {
    const res = await firstValueFrom(
      client.explainSimilarity({
        songId: SONGS.lullaby,
        otherSongIds: [SONGS.ballad, SONGS.crime],
        topTerms: 2,
        method: '',
      }),
    );
    expect(res.items).toEqual([
      { songId: SONGS.ballad, words: ['love', 'the'], reason: 'shared words: love, the' },
      { songId: SONGS.crime, words: ['the'], reason: 'shared words: the' },
    ]);
    await expect(
      firstValueFrom(
        client.explainSimilarity({
          songId: 'SONOTHERE00000000A',
          otherSongIds: [SONGS.ballad],
          topTerms: 2,
          method: 'tfidf',
        }),
      ),
    ).rejects.toMatchObject({ code: 5 });
  });

  it('trains a content model through trainContentModel and reports it through contentTrainingJob', async () => {
    const bad = await gql(
      `mutation { trainContentModel(model: WORD2VEC, params: { topics: 3, dim: 0 }) { id } }`,
    );
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0].message).toMatch(/topics/);
    expect(bad.errors?.[0].message).toMatch(/dim/);

    type Job = {
      id: string;
      status: string;
      step: number;
      steps: number;
      version: number | null;
      error: string | null;
    };
    const FIELDS = 'id status step steps version error';
    const started = await gql<{ trainContentModel: Job }>(
      `mutation { trainContentModel(model: LDA, params: { topics: 2, passes: 3, batchSize: 2, seed: 1 }) { ${FIELDS} } }`,
    );
    expect(started.errors).toBeUndefined();
    let job = started.data!.trainContentModel;
    for (let i = 0; i < 300 && job.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await gql<{ contentTrainingJob: Job }>(`{ contentTrainingJob(id: "${job.id}") { ${FIELDS} } }`))
        .data!.contentTrainingJob;
    }
    expect(job).toMatchObject({ status: 'done', version: 1, step: 6, steps: 6, error: null });
    const topics = await gql<{ _entities: { topics: { words: string[] }[] }[] }>(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Song { topics(first: 2) { words } } } }`,
      { reps: [{ __typename: 'Song', id: SONGS.crime }] },
    );
    expect(topics.data!._entities[0].topics).toHaveLength(2);
    const missing = await gql(`{ contentTrainingJob(id: "00000000-0000-0000-0000-000000000000") { id } }`);
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});

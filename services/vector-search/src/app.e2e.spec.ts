import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Controller, Module, type INestApplication, type INestMicroservice } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { RpcException } from '@nestjs/microservices';
import { content, vectors } from '@tunegraph/contracts';
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
import {
  USER,
  seedCatalogMetadata,
  seedDenseVersion,
  seedSongs,
  seedSparseVersion,
  songId,
  type SongMeta,
} from './repositories/embeddings.test-helpers';

const { VectorIndex } = vectors;
const NOT_READY_SONG = songId(2);
const CONTENT_DOWN_SONG = songId(8);

/** Stands in for the lsh and content services, so vector-search's calls to them cross a real gRPC hop. */
@Controller()
@vectors.VectorsServiceControllerMethods()
class FakeLshController implements vectors.VectorsServiceController {
  knn(request: vectors.KnnRequest): vectors.KnnResponse {
    if (request.songId === NOT_READY_SONG)
      throw new RpcException({ code: 9, message: 'the LSH index for als is not ready' });
    return {
      collection: request.collection,
      modelVersion: 1,
      index: request.index,
      neighbors: [{ songId: songId(1), score: 0.5 }],
      scannedFraction: 0.25,
    };
  }
  rebuildIndex(request: vectors.RebuildIndexRequest): vectors.RebuildIndexResponse {
    return { collection: request.collection, modelVersion: 1, size: 0, seconds: 0 };
  }
}

@Controller()
@content.ContentServiceControllerMethods()
class FakeContentController implements content.ContentServiceController {
  explainSimilarity(request: content.ExplainSimilarityRequest): content.ExplainSimilarityResponse {
    if (request.songId === CONTENT_DOWN_SONG)
      throw new RpcException({ code: 14, message: 'content is down' });
    return {
      items: request.otherSongIds.map((id) => {
        const words = ['love', 'night', 'road'].slice(0, request.topTerms);
        return { songId: id, words, reason: `${request.method} says: ${words.join(', ')}` };
      }),
    };
  }
}

@Module({ controllers: [FakeLshController, FakeContentController] })
class FakePeersModule {}

let db: TestDatabase;
let home: string;
let app: INestApplication;
let peers: INestMicroservice;
let graphqlUrl: string;
let client: vectors.VectorsServiceClient;
let meta: SongMeta[];

async function graphql(query: string) {
  const res = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as {
    data?: { _entities: { similar: { song: { id: string }; score: number; reason: string | null }[] }[] };
    errors?: { message: string; extensions: { code: string } }[];
  };
}

const similarQuery = (id: string, args: string) =>
  `{ _entities(representations: [{ __typename: "Song", id: "${id}" }]) { ... on Song { similar(${args}) { song { id } score reason } } } }`;

beforeAll(async () => {
  db = await startTestDatabase();
  await seedSongs(db.sql, 200);
  meta = await seedCatalogMetadata(db.sql, 200, 10);
  await seedDenseVersion(db.sql, { count: 200, clusters: 5, dim: 8, seed: 5 });
  await seedSparseVersion(db.sql, {
    songs: Array.from({ length: 40 }, (_, i) => i),
    topics: 4,
    dim: 64,
    seed: 9,
  });
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'vector-search-'));
  const [peerPort, grpcPort, httpPort] = [await freePort(), await freePort(), await freePort()];
  peers = await NestFactory.createMicroservice(FakePeersModule, {
    ...grpcServerOptions(peerPort, ['vectors', 'content']),
    logger: false,
  });
  await peers.listen();
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    TUNEGRAPH_HOME: home,
    LOG_LEVEL: 'silent',
    HTTP_PORT: String(httpPort),
    GRPC_PORT: String(grpcPort),
    LSH_GRPC_URL: `127.0.0.1:${peerPort}`,
    CONTENT_GRPC_URL: `127.0.0.1:${peerPort}`,
  });
  app = await NestFactory.create(AppModule, { logger: false });
  app.useGlobalFilters(
    new TransportExceptionFilter(app.get(HttpAdapterHost).httpAdapter, app.get<Logger>(LOGGER)),
  );
  app.connectMicroservice(grpcServerOptions(grpcPort, ['vectors']), { inheritAppConfig: true });
  await app.startAllMicroservices();
  await app.listen(httpPort, '127.0.0.1');
  graphqlUrl = `http://127.0.0.1:${httpPort}/graphql`;
  client = createGrpcClient(`127.0.0.1:${grpcPort}`, 'vectors').getService<vectors.VectorsServiceClient>(
    vectors.VECTORS_SERVICE_NAME,
  );
});

afterAll(async () => {
  await app?.close();
  await peers?.close();
  await db?.stop();
  fs.rmSync(home, { recursive: true, force: true });
});

const knn = (over: Partial<vectors.KnnRequest>) =>
  firstValueFrom(
    client.knn({
      collection: 'als',
      k: 5,
      index: VectorIndex.VECTOR_INDEX_HNSW,
      excludeSongIds: [],
      efSearch: 0,
      filter: undefined,
      ...over,
    }),
  );

describe('vector-search over gRPC', () => {
  it('answers Knn with neighbours of the active version', async () => {
    const res = await knn({ songId: songId(0) });
    expect(res.neighbors).toHaveLength(5);
    expect(res.index).toBe(VectorIndex.VECTOR_INDEX_HNSW);
    for (const n of res.neighbors) expect(Number(n.songId.slice(2)) % 5).toBe(0);
  });

  it('maps errors to gRPC status codes', async () => {
    await expect(knn({ songId: songId(0), k: 0 })).rejects.toMatchObject({
      code: 3,
      details: expect.stringMatching(/k must be at least 1/),
    });
    await expect(knn({ songId: 'SONOSUCHSONG0000000' })).rejects.toMatchObject({ code: 5 });
  });

  it('forwards LSH to the lsh service and passes its errors on with their code', async () => {
    const res = await knn({ songId: songId(0), index: VectorIndex.VECTOR_INDEX_LSH });
    expect(res).toMatchObject({ scannedFraction: 0.25, neighbors: [{ songId: songId(1), score: 0.5 }] });
    await expect(knn({ songId: NOT_READY_SONG, index: VectorIndex.VECTOR_INDEX_LSH })).rejects.toMatchObject({
      code: 9,
      details: expect.stringMatching(/LSH index for als is not ready/),
    });
  });

  it('applies a filter and IVFFLAT probes sent over the wire', async () => {
    const res = await knn({
      songId: songId(0),
      k: 4,
      index: VectorIndex.VECTOR_INDEX_IVFFLAT,
      probes: 1,
      filter: { excludePlayedByUserId: USER, tags: ['Rock'], artistIds: [], yearMin: 1960 },
    });
    expect(res.index).toBe(VectorIndex.VECTOR_INDEX_IVFFLAT);
    expect(res.neighbors).toHaveLength(4);
    for (const n of res.neighbors) {
      const m = meta[Number(n.songId.slice(2))];
      expect(m.tags.has('rock') && !m.playedByU1 && m.year! >= 1960).toBe(true);
    }
  });

  it('RebuildIndex rebuilds the active indexes with the asked parameters and counts their rows', async () => {
    const res = await firstValueFrom(
      client.rebuildIndex({ collection: 'als', m: 8, efConstruction: 32, lists: 4 }),
    );
    expect(res).toMatchObject({
      collection: 'als',
      modelVersion: 1,
      size: 200,
      m: 8,
      efConstruction: 32,
      lists: 4,
    });
    await expect(
      firstValueFrom(client.rebuildIndex({ collection: 'als', m: 101, efConstruction: 0, lists: 0 })),
    ).rejects.toMatchObject({
      code: 3,
      details: expect.stringMatching(/m must be an integer from 2 to 100/),
    });
  });
});

describe('Song.similar subgraph field', () => {
  it('returns CF neighbours without reasons', async () => {
    const res = await graphql(similarQuery(songId(0), 'first: 3'));
    expect(res.errors).toBeUndefined();
    const similar = res.data!._entities[0].similar;
    expect(similar).toHaveLength(3);
    for (const s of similar) expect(s).toMatchObject({ reason: null, score: expect.any(Number) });
  });

  it('explains TFIDF neighbours with the content service reason for method tfidf', async () => {
    const res = await graphql(similarQuery(songId(4), 'first: 2, method: TFIDF, index: EXACT'));
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities[0].similar.map((s) => s.reason)).toEqual([
      'tfidf says: love, night, road',
      'tfidf says: love, night, road',
    ]);
  });

  it('still answers, without reasons, when the content service fails', async () => {
    const res = await graphql(similarQuery(CONTENT_DOWN_SONG, 'first: 2, method: TFIDF'));
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities[0].similar.map((s) => s.reason)).toEqual([null, null]);
  });

  it('filters similar songs by tags, year and what the listener played', async () => {
    const res = await graphql(
      similarQuery(
        songId(0),
        `first: 5, index: IVFFLAT, filter: { tags: ["ROCK", "blues"], yearMin: 1960, excludePlayedBy: "${USER}" }`,
      ),
    );
    expect(res.errors).toBeUndefined();
    const similar = res.data!._entities[0].similar;
    expect(similar).toHaveLength(5);
    for (const s of similar) {
      const m = meta[Number(s.song.id.slice(2))];
      expect((m.tags.has('rock') || m.tags.has('blues')) && m.year! >= 1960 && !m.playedByU1).toBe(true);
    }
  });

  it('HYBRID fuses the methods the song has vectors in and says which ranked each song', async () => {
    const withLyrics = await graphql(similarQuery(songId(4), 'first: 10, method: HYBRID, index: EXACT'));
    expect(withLyrics.errors).toBeUndefined();
    const fused = withLyrics.data!._entities[0].similar;
    expect(fused).toHaveLength(10);
    const scores = fused.map((s) => s.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    // Song 4 has a CF vector and lyrics: both rankings feed the fusion, and their first songs both make the top 10.
    const reasons = fused.map((s) => s.reason!);
    for (const r of reasons)
      expect(r).toMatch(/^(CF #\d+|TFIDF #\d+)(, TFIDF #\d+)?; tfidf says: love, night, road$/);
    expect(reasons.some((r) => r.startsWith('CF #1,') || r.startsWith('CF #1;'))).toBe(true);
    expect(reasons.some((r) => /TFIDF #1;/.test(r))).toBe(true);
    const noLyrics = await graphql(similarQuery(songId(150), 'first: 2, method: HYBRID'));
    expect(noLyrics.errors).toBeUndefined();
    for (const s of noLyrics.data!._entities[0].similar) expect(s.reason).toMatch(/^CF #\d+$/);
  });

  it('names the problem, with a code, for an untrained method and bad search arguments', async () => {
    const word2vec = await graphql(similarQuery(songId(0), 'method: WORD2VEC'));
    expect(word2vec.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/collection word2vec has no active model version yet/),
      extensions: { code: 'MODEL_NOT_READY' },
    });
    const efSearch = await graphql(similarQuery(songId(0), 'efSearch: 5000'));
    expect(efSearch.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/ef_search must be at most 1000/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const sparse = await graphql(similarQuery(songId(4), 'method: TFIDF, index: IVFFLAT'));
    expect(sparse.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/IVFFLAT serves dense collections only/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const unknownUser = await graphql(similarQuery(songId(0), 'filter: { excludePlayedBy: "nobody" }'));
    expect(unknownUser.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/user nobody does not exist/),
      extensions: { code: 'NOT_FOUND' },
    });
  });

  it('names the problem, with a code, for a song without lyrics and for a bad first', async () => {
    const noLyrics = await graphql(similarQuery(songId(150), 'method: TFIDF'));
    expect(noLyrics.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/song SO0000000000000150 has no tfidf vector \(no lyrics\)/),
      extensions: { code: 'NOT_FOUND' },
    });
    const badFirst = await graphql(similarQuery(songId(0), 'first: 101'));
    expect(badFirst.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/first must be between 1 and 100/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });
});

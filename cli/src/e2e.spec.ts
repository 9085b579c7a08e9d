import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventBus, repoRoot } from '@tunegraph/service-kit';
import { startTestDatabase, testTopicPrefix, type TestDatabase } from '@tunegraph/service-kit/testing';
import { cliLogger } from './cli-logger';
import { ingest, train } from './commands';
import { startComponents } from './launcher';
import type { Store } from './store';

/**
 * End to end: real files from ../shared/data/msd ingested, models trained, every service and the gateway started
 * as processes on the test database and event bus (real PostgreSQL + Kafka in CI), queried through the gateway.
 */
const MSD = process.env.MSD_DATA_DIR ?? path.resolve(repoRoot(), '../shared/data/msd');
const GRAPHQL = 'http://127.0.0.1:4000/graphql';

async function gql<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(GRAPHQL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-correlation-id': 'e2e-test' },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
}

describe('tunegraph end to end', () => {
  let db: TestDatabase;
  let store: Store;
  let components: { stop(): Promise<void> } | undefined;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tunegraph-e2e-'));

  beforeAll(async () => {
    if (!fs.existsSync(MSD)) throw new Error(`MSD sample data not found at ${MSD}; set MSD_DATA_DIR`);
    process.env.TUNEGRAPH_HOME = home;
    process.env.KAFKA_TOPIC_PREFIX = testTopicPrefix();
    process.env.LOG_LEVEL = 'warn';
    db = await startTestDatabase();
    const logger = cliLogger();
    const bus = createEventBus({
      brokers: process.env.KAFKA_BROKERS?.split(','),
      clientId: 'e2e',
      topicPrefix: process.env.KAFKA_TOPIC_PREFIX,
      home,
      logger,
    });
    store = {
      sql: db.sql,
      bus,
      url: db.url,
      description: 'the e2e database',
      close: async () => bus.close(),
    };
    const summary = await ingest(store, logger, [
      path.join(MSD, 'metadata/subset_unique_tracks.txt'),
      path.join(MSD, 'plays/subset_songs.top10000users_triplets.txt.gz'),
      path.join(MSD, 'lyrics/mxm_dataset_train.head.txt'),
      path.join(MSD, 'lyrics/mxm_reverse_mapping.txt'),
    ]);
    expect(summary.files.every((f) => f.status === 'loaded')).toBe(true);
    await train(store, logger, 'als');
    await train(store, logger, 'tfidf');
    await train(store, logger, 'lda');
    await train(store, logger, 'item2vec');
    components = await startComponents(store, logger);
  }, 600_000);

  afterAll(async () => {
    await components?.stop();
    await store?.close();
    await db?.stop();
  });

  it('serves songs, search and users from ingestion through the gateway', async () => {
    const { data, errors } = await gql<{
      song: { id: string; title: string; artist: { name: string } };
      searchSongs: { id: string }[];
    }>(
      `{ song(id: "SOMZWCG12A8C13C480") { id title artist { name } } searchSongs(query: "love", first: 3) { id } }`,
    );
    expect(errors).toBeUndefined();
    expect(data?.song.id).toBe('SOMZWCG12A8C13C480');
    expect(data?.song.artist.name).toBe('Casual');
    expect(data?.song.title).toBe("I Didn't Mean To");
    expect(data?.searchSongs.length).toBeGreaterThan(0);
  });

  it('federates User.plays (ingestion) with User.recommendations (collaborative), excluding played songs', async () => {
    const { data, errors } = await gql<{
      users: {
        id: string;
        plays: { song: { id: string } }[];
        recommendations: {
          song: { id: string; title: string };
          score: number;
          reason: string;
          becauseOf: { id: string; title: string } | null;
        }[];
      }[];
    }>(
      `{ users(first: 3) { id plays(first: 500) { song { id } } recommendations(first: 10) { song { id title } score reason becauseOf { id title } } } }`,
    );
    expect(errors).toBeUndefined();
    for (const user of data!.users) {
      expect(user.recommendations).toHaveLength(10);
      const played = new Set(user.plays.map((p) => p.song.id));
      for (const r of user.recommendations) {
        expect(played.has(r.song.id)).toBe(false);
        if (r.becauseOf) expect(played.has(r.becauseOf.id)).toBe(true);
      }
      expect(user.recommendations.some((r) => typeof r.becauseOf?.title === 'string')).toBe(true);
    }
  });

  it('answers Song.similar from pgvector (EXACT, HNSW) and from the LSH service', async () => {
    const { data: users } = await gql<{ users: { plays: { song: { id: string } }[] }[] }>(
      `{ users(first: 1) { plays(first: 1) { song { id } } } }`,
    );
    const songId = users!.users[0].plays[0].song.id;
    const [popular] = await db.sql<{ song_id: string }[]>`
      SELECT song_id FROM plays GROUP BY song_id ORDER BY count(*) DESC, song_id LIMIT 1`;
    const item2vec = await gql<{ song: { similar: { song: { id: string } }[] } }>(
      `query($id: ID!) { song(id: $id) { similar(first: 5, method: ITEM2VEC) { song { id } } } }`,
      { id: popular.song_id },
    );
    expect(item2vec.errors, JSON.stringify(item2vec.errors)).toBeUndefined();
    expect(item2vec.data!.song.similar.length).toBeGreaterThan(0);
    const similar = (index: string) =>
      gql<{ song: { similar: { song: { id: string }; score: number }[] } }>(
        `query($id: ID!, $index: VectorIndex) { song(id: $id) { similar(first: 5, method: CF, index: $index) { song { id } score } } }`,
        { id: songId, index },
      );
    // The lsh service tunes its index in the background after it starts, answering MODEL_NOT_READY meanwhile.
    await expect
      .poll(async () => (await similar('LSH')).errors?.[0]?.extensions?.code, {
        timeout: 180_000,
        interval: 500,
      })
      .toBeUndefined();
    for (const index of ['EXACT', 'HNSW', 'LSH']) {
      const { data, errors } = await similar(index);
      expect(errors, index).toBeUndefined();
      expect(data!.song.similar.length, index).toBeGreaterThan(0);
      expect(data!.song.similar.map((s) => s.song.id)).not.toContain(songId);
    }
  }, 240_000);

  it('answers content questions from lyrics: top words, topics, TFIDF and LDA neighbours with reasons', async () => {
    const { data, errors } = await gql<{
      song: {
        topWords: string[];
        topics: { words: string[] }[];
        lda: { song: { id: string } }[];
        tfidf: { reason: string | null }[];
      };
    }>(`{ song(id: "TRAAAAV128F421A322") { topWords(first: 5) topics(first: 2) { words }
      lda: similar(first: 5, method: LDA, index: HNSW) { song { id } }
      tfidf: similar(first: 5, method: TFIDF, index: EXACT) { reason } } }`);
    expect(errors).toBeUndefined();
    expect(data!.song.topWords).toHaveLength(5);
    expect(data!.song.topics).toHaveLength(2);
    expect(data!.song.lda.length).toBeGreaterThan(0);
    expect(data!.song.tfidf.some((r) => r.reason?.startsWith('shared words: '))).toBe(true);
  });

  it('records a play through the event bus and the song leaves the user’s recommendations', async () => {
    const query = `query($id: ID!) { user(id: $id) { recommendations(first: 5) { song { id } } } }`;
    const { data: users } = await gql<{ users: { id: string }[] }>(`{ users(first: 1) { id } }`);
    const userId = users!.users[0].id;
    const before = await gql<{ user: { recommendations: { song: { id: string } }[] } }>(query, {
      id: userId,
    });
    const target = before.data!.user.recommendations[0].song.id;
    const statsQuery = `query($user: ID!, $song: ID!) {
      user(id: $user) { playStats { songs plays lastPlayedAt } } song(id: $song) { listeners playCount } }`;
    type Stats = {
      user: { playStats: { songs: number; plays: number; lastPlayedAt: string | null } };
      song: { listeners: number; playCount: number };
    };
    const statsBefore = (await gql<Stats>(statsQuery, { user: userId, song: target })).data!;
    const receipt = await gql<{ recordPlay: { eventId: string; accepted: boolean } }>(
      `mutation($input: PlayInput!) { recordPlay(input: $input) { eventId accepted } }`,
      { input: { userId, songId: target, count: 3 } },
    );
    expect(receipt.errors).toBeUndefined();
    expect(receipt.data!.recordPlay.accepted).toBe(true);
    let ids: string[] = [target];
    for (let i = 0; i < 100 && ids.includes(target); i++) {
      await new Promise((r) => setTimeout(r, 200));
      const after = await gql<{ user: { recommendations: { song: { id: string } }[] } }>(query, {
        id: userId,
      });
      ids = after.data!.user.recommendations.map((r) => r.song.id);
    }
    expect(ids).not.toContain(target);
    const [stored] = await db.sql<
      { count: number }[]
    >`SELECT count FROM play_events WHERE event_id = ${receipt.data!.recordPlay.eventId}`;
    expect(stored.count).toBe(3);
    // A recommended song is one the user had not played: one more song, three more plays, one more listener.
    const statsAfter = (await gql<Stats>(statsQuery, { user: userId, song: target })).data!;
    expect(statsAfter.user.playStats.songs).toBe(statsBefore.user.playStats.songs + 1);
    expect(statsAfter.user.playStats.plays).toBe(statsBefore.user.playStats.plays + 3);
    expect(Date.parse(statsAfter.user.playStats.lastPlayedAt!)).toBeGreaterThan(Date.now() - 60_000);
    expect(statsAfter.song).toEqual({
      listeners: statsBefore.song.listeners + 1,
      playCount: statsBefore.song.playCount + 3,
    });
  });

  it('rejects bad input with stable error codes', async () => {
    const tooMany = await gql(`{ users(first: 100000) { id } }`);
    expect(tooMany.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const unknownSong = await gql(
      `mutation { recordPlay(input: { userId: "u1", songId: "SOZZZZZZZZZZZZZZZZ" }) { eventId } }`,
    );
    expect(unknownSong.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const negative = await gql(
      `mutation { recordPlay(input: { userId: "u1", songId: "SOMZWCG12A8C13C480", count: -2 }) { eventId } }`,
    );
    expect(negative.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const deep = await gql(
      `{ users { plays { song { similar { song { similar { song { similar { song { similar { song { id } } } } } } } } } } } }`,
    );
    expect(deep.errors?.[0].extensions?.code).toBe('QUERY_TOO_DEEP');
    const notJson = await fetch(GRAPHQL, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    const body = (await notJson.json()) as { errors: { extensions: { code: string } }[] };
    expect([notJson.status, body.errors[0].extensions.code]).toEqual([400, 'BAD_USER_INPUT']);
  });

  it('counts GraphQL operations by type and outcome in the gateway’s /metrics', async () => {
    const text = await (await fetch('http://127.0.0.1:4000/metrics')).text();
    const count = (labels: string) =>
      Number(
        text.match(new RegExp(`^tunegraph_graphql_request_seconds_count\\{${labels}\\} (\\d+)$`, 'm'))?.[1],
      );
    expect(count('service="gateway",operation="query",outcome="ok"')).toBeGreaterThan(3);
    expect(count('service="gateway",operation="mutation",outcome="error"')).toBeGreaterThanOrEqual(2);
    expect(count('service="gateway",operation="invalid",outcome="error"')).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^process_cpu_seconds_total\{service="gateway"\} /m);
  });
});

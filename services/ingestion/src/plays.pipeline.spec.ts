import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { INestApplication } from '@nestjs/common';
import { firstValueFrom, from } from 'rxjs';
import { MAX_PLAYS_PER_REQUEST, TOPICS, plays as playsProto } from '@tunegraph/contracts';
import {
  EVENT_BUS,
  createGrpcClient,
  createServiceApp,
  serveServiceApp,
  type EventBus,
  type IncomingMessage,
} from '@tunegraph/service-kit';
import {
  freePort,
  startTestDatabase,
  testTopicPrefix,
  type TestDatabase,
} from '@tunegraph/service-kit/testing';
import { repoRoot } from '@tunegraph/service-kit';
import { INGESTION_SERVICE } from './service.options';

const MSD = process.env.MSD_DATA_DIR ?? path.resolve(repoRoot(), '../shared/data/msd');

/** The play pipeline on real infrastructure: GraphQL / HTTP / gRPC → Kafka (or the embedded log) → Postgres. */
const SONG = 'SOAAAAAAAAAAAAAAA1';
const TRACK = 'TRAAAAAAAAAAAAAAA1';

describe('play events end to end through the ingestion service', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let base: string;
  let grpcPort: number;
  const dead: IncomingMessage<unknown>[] = [];

  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as {
      data?: Record<string, never>;
      errors?: { message: string; extensions: { code: string } }[];
    };
  };
  const playCount = async (user: string) =>
    Number((await db.sql`SELECT COALESCE(SUM(count), 0) AS n FROM plays WHERE user_id = ${user}`)[0].n);
  const until = async (check: () => Promise<boolean>, ms = 60_000) => {
    for (const deadline = Date.now() + ms; !(await check());) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    db = await startTestDatabase();
    await db.sql`INSERT INTO artists VALUES ('AR0000000000000001', 'Test Artist')`;
    await db.sql`INSERT INTO songs (id, title, artist_id) VALUES (${SONG}, 'Test Song', 'AR0000000000000001')`;
    await db.sql`INSERT INTO tracks VALUES (${TRACK}, ${SONG})`;
    const httpPort = await freePort();
    grpcPort = await freePort();
    Object.assign(process.env, {
      DATABASE_URL_SAVED: process.env.DATABASE_URL ?? '',
      DATABASE_URL: db.url,
      KAFKA_TOPIC_PREFIX: testTopicPrefix(),
      TUNEGRAPH_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'ingestion-')),
      LOG_LEVEL: 'silent',
      HTTP_PORT: String(httpPort),
      INGEST_ROOTS: MSD,
    });
    app = await createServiceApp({ ...INGESTION_SERVICE, grpcPort });
    await serveServiceApp(app, httpPort);
    base = `http://127.0.0.1:${httpPort}`;
    await app.get<EventBus>(EVENT_BUS).subscribe({
      groupId: 'test-dlq',
      topic: TOPICS.playsDeadLetter,
      handleBatch: async (m) => void dead.push(...m),
    });
  }, 300_000);

  afterAll(async () => {
    await app?.close();
    await db?.stop();
  });

  it('stores a recorded play, by song id or track id, exactly once per event id', async () => {
    const record = `mutation($input: PlayInput!) { recordPlay(input: $input) { eventId accepted } }`;
    const a = await gql(record, { input: { userId: 'alice', songId: SONG, count: 2, eventId: 'evt-1' } });
    expect(a.errors).toBeUndefined();
    expect(a.data).toEqual({ recordPlay: { eventId: 'evt-1', accepted: true } });
    await gql(record, { input: { userId: 'alice', songId: TRACK, count: 2, eventId: 'evt-1' } });
    await gql(record, { input: { userId: 'alice', songId: TRACK, eventId: 'evt-2' } });
    await until(async () => (await playCount('alice')) === 3);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await playCount('alice')).toBe(3);
    const events = await db.sql`SELECT event_id FROM play_events WHERE user_id = 'alice' ORDER BY event_id`;
    expect(events.map((e) => e.event_id)).toEqual(['evt-1', 'evt-2']);
    // The same, as Prometheus scrapes it.
    const scrape = await fetch(`${base}/metrics`);
    expect(scrape.headers.get('content-type')).toMatch(/^text\/plain/);
    const metrics = await scrape.text();
    const value = (series: string) => Number(metrics.match(new RegExp(`^${series} (\\S+)$`, 'm'))?.[1]);
    expect(value('tunegraph_play_events_total\\{outcome="stored",service="ingestion"\\}')).toBe(2);
    expect(value('tunegraph_play_events_total\\{outcome="duplicate",service="ingestion"\\}')).toBe(1);
    expect(
      value('tunegraph_event_consumer_up\\{topic="plays",group="ingestion",service="ingestion"\\}'),
    ).toBe(1);
    expect(
      value('tunegraph_event_consumer_lag\\{topic="plays",group="ingestion",service="ingestion"\\}'),
    ).toBe(0);
    expect(metrics).toMatch(/^process_cpu_seconds_total\{service="ingestion"\} /m);
  });

  it('rejects bad plays with a stable code and publishes nothing', async () => {
    const record = `mutation($input: PlayInput!) { recordPlay(input: $input) { eventId } }`;
    const cases: [Record<string, unknown>, string][] = [
      [{ userId: 'bob', songId: 'SOZZZZZZZZZZZZZZZZ' }, 'NOT_FOUND'],
      [{ userId: 'bob', songId: SONG, count: -1 }, 'BAD_USER_INPUT'],
      [{ userId: 'bob', songId: SONG, count: 0 }, 'BAD_USER_INPUT'],
      [{ userId: 'bob', songId: SONG, count: 1_000_000 }, 'BAD_USER_INPUT'],
      [{ userId: 'b o b', songId: SONG }, 'BAD_USER_INPUT'],
      [{ userId: 'x'.repeat(200), songId: SONG }, 'BAD_USER_INPUT'],
      [{ userId: 'bob', songId: 'not-a-song' }, 'BAD_USER_INPUT'],
    ];
    for (const [input, code] of cases) {
      const res = await gql(record, { input });
      expect(res.errors?.[0].extensions.code, JSON.stringify(input)).toBe(code);
    }
    const batch = await gql(`mutation($input: PlaysInput!) { recordPlays(input: $input) { accepted } }`, {
      input: {
        plays: [
          { userId: 'bob', songId: SONG },
          { userId: 'bob', songId: SONG, count: -5 },
          { userId: 'bob', songId: 'SOZZZZZZZZZZZZZZZZ' },
        ],
      },
    });
    expect(batch.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(batch.errors?.[0].message).toMatch(/plays\[1\].*plays\[2\]/);
    const pageTooBig = await gql(`{ users(first: 1000) { id } }`);
    expect(pageTooBig.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    await new Promise((r) => setTimeout(r, 1000));
    expect(await playCount('bob')).toBe(0);
  });

  it('takes batches over HTTP and a client stream over gRPC', async () => {
    const res = await fetch(`${base}/plays/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        plays: [
          { userId: 'carol', songId: SONG, count: 4, timestampMs: 1_764_390_000_123 },
          { userId: 'carol', songId: TRACK },
        ],
      }),
    });
    expect(res.status).toBe(202);
    const bad = await fetch(`${base}/plays/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"plays": 3}',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('BAD_USER_INPUT');
    // A full batch (the most plays one request may carry) fits the body limit; what Express itself refuses (a body
    // that is not JSON or over the limit, an unknown route) answers in the same shape.
    const post = (body: string, route = 'plays/batch') =>
      fetch(`${base}/${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const full = Array.from({ length: MAX_PLAYS_PER_REQUEST }, (_, i) => ({
      eventId: `full-${i}`,
      userId: 'erin',
      songId: SONG,
      timestampMs: 1_764_390_000_000,
    }));
    const accepted = await post(JSON.stringify(full));
    expect([accepted.status, ((await accepted.json()) as { accepted: number }).accepted]).toEqual([
      202,
      MAX_PLAYS_PER_REQUEST,
    ]);
    const refused = async (res: Response) => [res.status, ((await res.json()) as { code: string }).code];
    expect(await refused(await post('{"plays": ['))).toEqual([400, 'BAD_USER_INPUT']);
    expect(await refused(await post(`[${'"x",'.repeat(1_500_000)}"x"]`))).toEqual([413, 'BAD_USER_INPUT']);
    expect(await refused(await post('[]', 'plays/nowhere'))).toEqual([404, 'NOT_FOUND']);
    const client = createGrpcClient(
      `127.0.0.1:${grpcPort}`,
      'plays',
    ).getService<playsProto.PlaysServiceClient>('PlaysService');
    const requests = [1, 2, 3].map((i) => ({
      event: { eventId: `g-${i}`, userId: 'dave', songId: SONG, count: i, timestampMs: 0, source: '' },
    }));
    const reply = await firstValueFrom(client.recordPlays(from(requests)));
    expect(reply.accepted).toBe(3);
    const invalid = [
      { event: { eventId: '', userId: 'dave', songId: 'bad', count: 1, timestampMs: 0, source: '' } },
    ];
    await expect(firstValueFrom(client.recordPlays(from(invalid)))).rejects.toMatchObject({ code: 3 });
    await until(
      async () =>
        (await playCount('carol')) === 5 &&
        (await playCount('dave')) === 6 &&
        (await playCount('erin')) === MAX_PLAYS_PER_REQUEST,
    );
    // The event's own time, to the millisecond.
    const [timed] = await db.sql`
      SELECT (extract(epoch FROM event_time) * 1000)::bigint AS ms FROM play_events WHERE user_id = 'carol' AND count = 4`;
    expect(Number(timed.ms)).toBe(1_764_390_000_123);
  });

  it('dead-letters malformed events and events for unknown songs, with the reason', async () => {
    const bus = app.get<EventBus>(EVENT_BUS);
    await bus.publishRaw(TOPICS.plays, [
      { key: 'eve', value: '{"broken"', headers: {} },
      {
        key: 'eve',
        value: JSON.stringify({
          eventId: 'm1',
          userId: 'eve',
          songId: SONG,
          count: 'two',
          timestampMs: 1,
          source: 'test',
        }),
        headers: {},
      },
      {
        key: 'eve',
        value: JSON.stringify({
          eventId: 'm2',
          userId: 'eve',
          songId: 'SOYYYYYYYYYYYYYYYY',
          count: 1,
          timestampMs: 1,
          source: 'replay',
        }),
        headers: {},
      },
    ]);
    await until(async () => dead.length >= 3);
    const reasons = dead.map((d) => (d.value as { reason: string }).reason).join(' | ');
    expect(reasons).toMatch(/not JSON/);
    expect(reasons).toMatch(/count/);
    expect(reasons).toMatch(/SOYYYYYYYYYYYYYYYY' is not in the catalog/);
    expect(await playCount('eve')).toBe(0);
    const lag = (await (await fetch(`${base}/plays/lag`)).json()) as { lag: number };
    expect(lag.lag).toBe(0);
  });

  it('dead-letters over 100 malformed events of 19 kinds, each with a reason that names its problem', async () => {
    const bus = app.get<EventBus>(EVENT_BUS);
    const valid = { eventId: 'v', userId: 'frank', songId: SONG, count: 1, timestampMs: 1, source: 'test' };
    const event = (i: number, change: Record<string, unknown>) =>
      JSON.stringify({ ...valid, eventId: `bad-${i}`, ...change });
    const without = (i: number, field: string) =>
      JSON.stringify(
        Object.fromEntries(Object.entries({ ...valid, eventId: `bad-${i}` }).filter(([k]) => k !== field)),
      );
    const kinds: [string, (i: number) => string, RegExp][] = [
      ['cut-off JSON', (i) => event(i, {}).slice(0, 10 + i), /^not JSON/],
      ['not JSON at all', (i) => `play ${i} of frank`, /^not JSON/],
      ['empty message', () => '', /^not JSON/],
      ['array', (i) => JSON.stringify([valid, i]), /^\(root\): .*expected object/],
      ['scalar', (i) => String(i), /^\(root\): .*expected object/],
      ['missing eventId', (i) => without(i, 'eventId'), /^eventId: eventId must be a string/],
      ['empty eventId', () => JSON.stringify({ ...valid, eventId: '' }), /^eventId: eventId is empty/],
      ['missing userId', (i) => without(i, 'userId'), /^userId: userId must be a string/],
      [
        'userId with spaces',
        (i) => event(i, { userId: `frank ${i}` }),
        /^userId: userId must be printable ASCII/,
      ],
      [
        'userId too long',
        (i) => event(i, { userId: 'f'.repeat(129 + i) }),
        /^userId: userId is longer than 128/,
      ],
      ['song id malformed', (i) => event(i, { songId: `SONG-${i}` }), /^songId: songId must look like SO/],
      ['count as text', (i) => event(i, { count: String(i) }), /^count: .*expected number/],
      ['count zero or less', (i) => event(i, { count: -i }), /^count: count must be at least 1/],
      ['count fractional', (i) => event(i, { count: i + 0.5 }), /^count: count must be an integer/],
      ['count too large', (i) => event(i, { count: 100_001 + i }), /^count: count must be at most 100000/],
      ['negative timestamp', (i) => event(i, { timestampMs: -1 - i }), /^timestampMs: /],
      [
        'timestamp in microseconds',
        (i) => event(i, { timestampMs: Date.now() * 1000 + i }),
        /^timestampMs: timestampMs is more than a day in the future/,
      ],
      ['unknown source', (i) => event(i, { source: `fax${i}` }), /^source: /],
      [
        'unknown song',
        (i) => event(i, { songId: `SOUNKNOWN${String(i).padStart(9, '0')}` }),
        /^song 'SOUNKNOWN\d{9}' is not in the catalog/,
      ],
    ];
    const expected = new Map<string, RegExp>();
    const messages = kinds.flatMap(([kind, make, reason]) =>
      [0, 1, 2, 3, 4, 5].map((i) => {
        const key = `bad-${kind.replace(/\W+/g, '-')}-${i}`;
        expected.set(key, reason);
        return { key, value: make(i), headers: {} };
      }),
    );
    expect(messages.length).toBeGreaterThanOrEqual(100);
    await bus.publishRaw(TOPICS.plays, messages);
    const ours = () => dead.filter((d) => expected.has(d.key));
    await until(async () => ours().length >= messages.length);
    for (const d of ours()) {
      const letter = d.value as { reason: string; payload: string; topic: string };
      expect(letter.reason, d.key).toMatch(expected.get(d.key)!);
      expect(d.headers['x-dead-letter-reason'], d.key).toBe(letter.reason.slice(0, 1000));
      expect(letter.topic).toBe(TOPICS.plays);
    }
    // Each malformed event is dead-lettered exactly once, with its payload kept for a replay.
    expect(new Set(ours().map((d) => d.key)).size).toBe(messages.length);
    expect(ours()).toHaveLength(messages.length);
    const payloads = new Map(messages.map((m) => [m.key, m.value]));
    for (const d of ours()) {
      const { payload, reason } = d.value as { payload: string; reason: string };
      const original = payloads.get(d.key)!;
      // Schema failures keep the raw bytes; an unknown song is found after parsing, so its event is re-encoded.
      if (reason.startsWith('song ')) expect(JSON.parse(payload)).toEqual(JSON.parse(original));
      else expect(payload).toBe(original);
    }
    expect(await playCount('frank')).toBe(0);
  });

  it('runs an ingest job started over GraphQL and reports its progress and summary', async () => {
    type Job = {
      status: string;
      summary: string;
      files: { status: string; records: number; rejected: number }[];
    };
    const runJob = async (args: string) => {
      const start = await gql(
        `mutation($paths: [String!]!) { startIngest(paths: $paths${args}) { id status } }`,
        {
          paths: [path.join(MSD, 'metadata/subset_unique_tracks.txt')],
        },
      );
      expect(start.errors).toBeUndefined();
      const id = (start.data as unknown as { startIngest: { id: string } }).startIngest.id;
      let job: Job | undefined;
      await until(async () => {
        job = (
          (
            await gql(
              `query($id: ID!) { ingestJob(id: $id) { status summary files { status records rejected } } }`,
              { id },
            )
          ).data as unknown as { ingestJob: Job }
        ).ingestJob;
        return job.status !== 'running';
      });
      return job;
    };
    const job = await runJob('');
    expect(job?.status).toBe('done');
    expect(job?.files).toEqual([{ status: 'loaded', records: 10_000, rejected: 0 }]);
    expect(job?.summary).toMatch(/^1 file\(s\): 10000 records, 0 quarantined/);
    expect((await runJob(''))?.files[0].status).toBe('unchanged');
    expect((await runJob(', force: true'))?.files[0].status).toBe('loaded');
    const badFormat = await gql(`mutation { startIngest(paths: ["${MSD}"], format: "mp3") { id } }`);
    expect(badFormat.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(badFormat.errors?.[0].message).toMatch(/unknown format 'mp3' \(expected triplets, /);
    const outside = await gql(`mutation { startIngest(paths: ["/etc/passwd"]) { id } }`);
    expect(outside.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(outside.errors?.[0].message).toMatch(/outside the allowed roots/);
    const unknown = await gql(`{ ingestJob(id: "00000000-0000-0000-0000-000000000000") { id } }`);
    expect(unknown.errors?.[0].extensions.code).toBe('NOT_FOUND');
  });
});

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { TOPICS, type PlayEvent } from '@tunegraph/contracts';
import { createEventBus, repoRoot } from '@tunegraph/service-kit';
import {
  freePort,
  startTestDatabase,
  testTopicPrefix,
  type TestDatabase,
} from '@tunegraph/service-kit/testing';

/**
 * The real consumer (the built ingestion service, its own process) SIGKILLed while it stores batches, the next
 * one started while the broker is away, and the broker restarted under it: every play is stored once. The broker
 * is this test's own (started with .ci/lib.sh on free ports, never the shared one), so it runs wherever the CI
 * broker can: KAFKA_BROKERS set and the Kafka jars in .ci/.cache/kafka-libs (or KAFKA_LIBS). CRASH_LOG_LEVEL
 * (default warn) sets the consumer's log level, e.g. debug to see kafkajs's own log.
 */
const MAIN = path.resolve(__dirname, '../../dist/main.js');
const SONGS = 50;
const FIRST = 40_000;
const SECOND = 10_000;

function ciShell(script: string, env: Record<string, string>) {
  const lib = path.join(repoRoot(), '.ci/lib.sh');
  const r = spawnSync('bash', ['-c', `source "${lib}" && ${script}`], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (r.status !== 0)
    throw new Error(`${script} failed: ${r.stderr.trim().split('\n').slice(-15).join('\n')}`);
}

function play(n: number): PlayEvent {
  return {
    eventId: `crash-${n}`,
    userId: `u${n % 997}`,
    songId: `SO${String(n % SONGS).padStart(16, '0')}`,
    count: 1 + (n % 4),
    timestampMs: Date.now(),
    source: 'test',
  };
}

describe.skipIf(!process.env.KAFKA_BROKERS)(
  'the play consumer killed mid-batch and the broker restarted',
  () => {
    const state = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-crash-'));
    const topicPrefix = testTopicPrefix();
    const logger = pino({ level: 'silent' });
    let ports: Record<string, string>;
    let broker = '';
    let db: TestDatabase;
    const expected = new Map<string, number>();
    let sent = 0;

    const startBroker = () => ciShell(`start_kafka "${state}"`, ports);
    const stopBroker = () => ciShell(`stop_kafka "${state}"`, ports);
    const stored = async () => Number((await db.sql`SELECT count(*) AS n FROM play_events`)[0].n);

    async function publish(from: number, to: number) {
      const bus = createEventBus({
        brokers: [broker],
        clientId: 'crash-test',
        topicPrefix,
        home: state,
        logger,
      });
      try {
        for (let start = from; start < to; start += 2_000) {
          const messages = [];
          for (let n = start; n < Math.min(to, start + 2_000); n++) {
            const event = play(n);
            expected.set(event.userId, (expected.get(event.userId) ?? 0) + event.count);
            messages.push({ key: event.userId, value: event });
            // A redelivered or re-sent event: same id, must count once.
            if (n % 10 === 0) messages.push({ key: event.userId, value: event });
          }
          await bus.publish(TOPICS.plays, messages);
          sent += messages.length;
        }
      } finally {
        await bus.close();
      }
    }

    let httpPort = 0;
    async function consumer(): Promise<ChildProcess> {
      httpPort = await freePort();
      return spawn(process.execPath, [MAIN], {
        env: {
          ...process.env,
          DATABASE_URL: db.url,
          KAFKA_BROKERS: broker,
          KAFKA_TOPIC_PREFIX: topicPrefix,
          HTTP_PORT: String(httpPort),
          GRPC_PORT: String(await freePort()),
          TUNEGRAPH_HOME: state,
          LOG_LEVEL: process.env.CRASH_LOG_LEVEL ?? 'warn',
        },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
    }

    /** The latest consumer's /health, once it lists its Kafka consumer. */
    async function consumerHealth() {
      let body: { status: string; consumers: { state: string }[] } | undefined;
      await until(
        async () => {
          body = await fetch(`http://127.0.0.1:${httpPort}/health`).then(
            (r) => r.json() as Promise<typeof body>,
            () => undefined,
          );
          return (body?.consumers.length ?? 0) > 0;
        },
        120_000,
        'the consumer to show in /health',
      );
      return body!;
    }

    const until = async (check: () => Promise<boolean>, ms: number, what: string) => {
      for (const deadline = Date.now() + ms; !(await check());) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };

    beforeAll(async () => {
      if (!fs.existsSync(MAIN))
        throw new Error(`${MAIN} is missing: build the ingestion service first (npm run build)`);
      ports = { KAFKA_PORT: String(await freePort()), KAFKA_CONTROLLER_PORT: String(await freePort()) };
      broker = `127.0.0.1:${ports.KAFKA_PORT}`;
      startBroker();
      db = await startTestDatabase();
      await db.sql`INSERT INTO artists VALUES ('AR0000000000000001', 'Crash Artist')`;
      await db.sql`INSERT INTO songs (id, title, artist_id)
      SELECT 'SO' || lpad(i::text, 16, '0'), 'song ' || i, 'AR0000000000000001' FROM generate_series(0, ${SONGS - 1}) i`;
    }, 300_000);

    afterAll(async () => {
      try {
        stopBroker();
      } finally {
        fs.rmSync(state, { recursive: true, force: true });
        await db?.stop();
      }
    });

    it('stores every play exactly once', async () => {
      await publish(0, FIRST);
      const first = await consumer();
      const firstExit = new Promise((r) => first.once('exit', r));
      // Killed while it stores: some batches are in, most are not.
      await until(async () => (await stored()) > 0, 180_000, 'the first stored batch');
      first.kill('SIGKILL');
      await firstExit;
      // A statement the killed consumer had sent still commits: count only once it has.
      await new Promise((r) => setTimeout(r, 1_000));
      const atKill = await stored();
      expect(atKill).toBeGreaterThan(0);
      expect(atKill).toBeLessThan(FIRST);

      // The next consumer starts while the broker is away, and must begin once it is back.
      stopBroker();
      const second = await consumer();
      try {
        const waiting = await consumerHealth();
        expect(waiting.status).toBe('degraded');
        expect(['starting', 'retrying']).toContain(waiting.consumers[0].state);
        startBroker();
        await until(async () => (await stored()) > atKill, 180_000, 'the second consumer to resume');
        expect(await consumerHealth()).toMatchObject({ status: 'ok', consumers: [{ state: 'running' }] });
        // The broker goes away under the running consumer and comes back with its data.
        stopBroker();
        startBroker();
        await publish(FIRST, FIRST + SECOND);
        await until(async () => (await stored()) >= FIRST + SECOND, 300_000, 'every play to be stored');
        // Anything redelivered late would show up now.
        await new Promise((r) => setTimeout(r, 3_000));
      } finally {
        second.kill('SIGTERM');
      }
      expect(sent).toBe(FIRST + SECOND + (FIRST + SECOND) / 10);
      expect(await stored()).toBe(FIRST + SECOND);
      const rows = await db.sql<
        { user_id: string; n: string }[]
      >`SELECT user_id, SUM(count) AS n FROM plays GROUP BY user_id`;
      expect(new Map(rows.map((r) => [r.user_id, Number(r.n)]))).toEqual(expected);
      const [{ orphans }] = await db.sql<
        { orphans: number }[]
      >`SELECT count(*)::int AS orphans FROM play_counts p
        WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.idx = p.user_idx)
          OR NOT EXISTS (SELECT 1 FROM songs s WHERE s.idx = p.song_idx)`;
      expect(orphans).toBe(0);
    }, 900_000);
  },
);

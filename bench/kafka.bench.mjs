/**
 * `npm run bench -- kafka`: sustained play events through the real broker (KAFKA_BROKERS) into PostgreSQL
 * (DATABASE_URL) by the real ingestion service, started as its own process on a fresh database and a unique topic
 * prefix. The producer (Kafka's Java client, bench/lib/KafkaPlaysProducer.java, so that generating the load costs the
 * 2-core machine little) sends at a fixed rate for a fixed time; some events are sent twice with the same event id.
 * Event-to-stored latency is timed on every 50th event (its produce time to the moment its row is visible in
 * play_events). At the end the counts in Postgres must equal what was sent: nothing lost, nothing counted twice.
 * A partition's events are stored in order, so the poller looks only for the oldest outstanding probes of each
 * partition: its queries cost the database under test the same at any backlog (asking for every outstanding probe
 * every 20 ms took most of a core once seconds of events were queued, and slowed what it measured).
 */
import process from 'node:process';
import { setTimeout } from 'node:timers';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freshDatabase, requireDatabaseUrl } from './lib/ingest-run.mjs';
import { fmt, latencySummary, log, quantile } from './lib/stats.mjs';
import { REPO_ROOT } from './lib/workspace.mjs';

const require = createRequire(path.join(REPO_ROOT, 'package.json'));
const postgres = require('postgres');
const { Kafka, logLevel } = createRequire(path.join(REPO_ROOT, 'libs/service-kit/package.json'))('kafkajs');

const epochMs = () => performance.timeOrigin + performance.now();
const BENCH_LIB = path.join(REPO_ROOT, 'bench/lib');
/** The broker's jars (.ci/lib.sh caches them), whose Java client is the load generator. */
const KAFKA_LIBS = process.env.KAFKA_LIBS ?? path.join(REPO_ROOT, '.ci/.cache/kafka-libs');

const RATE = Number(process.env.KAFKA_BENCH_RATE ?? 21_000); // events/s offered: the goal (20,000) and a margin
const SECONDS = Number(process.env.KAFKA_BENCH_SECONDS ?? 30);
const PARTITIONS = Number(process.env.KAFKA_BENCH_PARTITIONS ?? 6);
const USERS = 50_000;
const SONGS = 5_000;
const DUPLICATE_EVERY = 50; // every 50th event is sent a second time, same event id
const PROBE_EVERY = 50;
/** Probes asked for per partition and poll; when a partition's are all seen, the next poll follows at once. */
const POLL_HEAD = 32;

export const needs = ['ingestion-service'];

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function until(check, ms, what) {
  for (const deadline = Date.now() + ms; !(await check());) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function startService(env) {
  const httpPort = await freePort();
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'services/ingestion/dist/main.js')], {
    env: {
      ...process.env,
      ...env,
      HTTP_PORT: String(httpPort),
      GRPC_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  await until(
    async () => {
      if (exited) throw new Error('the ingestion service exited during start');
      return globalThis.fetch(`http://127.0.0.1:${httpPort}/health`).then(
        (r) => r.ok,
        () => false,
      );
    },
    180_000,
    'the ingestion service',
  );
  return { child, httpPort };
}

/** Not counted: the event that shows the consumer has joined its group before the clock starts. */
const WARM_UP = { eventId: 'bench-warm-up', userId: 'bench-warm-up', songId: 'SO0000000000000001', count: 1 };

/**
 * The service answers /health before its consumer has joined the group and been given partitions (seconds on a
 * busy broker): without this, the first seconds of load would queue behind the join and be timed as if the
 * consumer were slow. One play through the product's HTTP batch endpoint, waited for until stored.
 */
async function warmUp(httpPort, sql) {
  const response = await globalThis.fetch(`http://127.0.0.1:${httpPort}/plays/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([WARM_UP]),
  });
  if (!response.ok) throw new Error(`warm-up play refused: ${response.status} ${await response.text()}`);
  await until(
    async () => (await sql`SELECT 1 FROM play_events WHERE event_id = ${WARM_UP.eventId}`).length > 0,
    120_000,
    'the warm-up play to be stored',
  );
}

export async function run() {
  const server = requireDatabaseUrl('kafka');
  const brokers = process.env.KAFKA_BROKERS?.split(',');
  if (!brokers?.length) throw new Error('kafka measures a real broker: set KAFKA_BROKERS');
  if (!existsSync(KAFKA_LIBS) || !readdirSync(KAFKA_LIBS).some((f) => f.startsWith('kafka-clients-')))
    throw new Error(
      `kafka's load generator runs on Kafka's Java client: no kafka-clients jar in ${KAFKA_LIBS} ` +
        '(set KAFKA_LIBS, or run `source .ci/lib.sh && install_kafka`)',
    );
  const prefix = `bench-${Date.now().toString(36)}.`;
  const db = freshDatabase(server, 'bench_kafka');
  const sql = postgres(db.url, { max: 2, onnotice: () => undefined });
  const service = await startService({
    DATABASE_URL: db.url,
    KAFKA_TOPIC_PREFIX: prefix,
    KAFKA_PARTITIONS: String(PARTITIONS),
    TUNEGRAPH_HOME: mkdtempSync(path.join(os.tmpdir(), 'bench-kafka-')),
  });
  let producer; // the Java process that sends the events
  try {
    await sql`INSERT INTO artists VALUES ('AR0000000000000001', 'Bench Artist')`;
    await sql`INSERT INTO songs (id, title, artist_id)
      SELECT 'SO' || lpad(i::text, 16, '0'), 'song ' || i, 'AR0000000000000001' FROM generate_series(1, ${SONGS}) i`;
    await warmUp(service.httpPort, sql);
    const topic = `${prefix}plays`;
    log(
      `producing ${RATE} events/s for ${SECONDS}s to ${topic} (${PARTITIONS} partitions), 1 in ${DUPLICATE_EVERY} sent twice`,
    );

    const outstanding = new Map(); // partition -> [{ id, sentAt }] in send order
    let waiting = 0;
    const latencies = [];
    producer = spawn(
      'java',
      [
        '-Xmx256m',
        '-XX:+UseSerialGC',
        '-cp',
        path.join(KAFKA_LIBS, '*'),
        path.join(BENCH_LIB, 'KafkaPlaysProducer.java'),
        ...[brokers.join(','), topic, RATE, SECONDS, USERS, SONGS, DUPLICATE_EVERY, PROBE_EVERY].map(String),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let started = epochMs();
    let stderr = '';
    producer.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
    const produced = new Promise((resolve, reject) => {
      let done;
      readline.createInterface({ input: producer.stdout }).on('line', (line) => {
        const [what, ...rest] = line.split(' ');
        if (what === 'probe') {
          const [id, sentAt, partition] = rest;
          if (!outstanding.has(partition)) outstanding.set(partition, []);
          outstanding.get(partition).push({ id, sentAt: Number(sentAt) });
          waiting++;
        } else if (what === 'started') started = Number(rest[0]);
        else if (what === 'done') {
          const [sent, unique, plays, producedSeconds, producerCpuNs] = rest.map(Number);
          done = { sent, unique, plays, producedSeconds, producerCpuUs: producerCpuNs / 1000 / sent };
        }
      });
      producer.once('error', reject);
      producer.once('close', (code) =>
        done && code === 0
          ? resolve(done)
          : reject(
              new Error(
                `the producer exited with ${code}: ${stderr.trim().split('\n').slice(-10).join('\n')}`,
              ),
            ),
      );
    });
    let polling = true;
    const poller = (async () => {
      while (polling || waiting > 0) {
        const heads = [...outstanding.values()].flatMap((queue) => queue.slice(0, POLL_HEAD));
        let again = false;
        if (heads.length) {
          const seen = await sql`
            SELECT e.event_id FROM unnest(${heads.map((p) => p.id)}::text[]) AS p (id)
            JOIN play_events e ON e.event_id = p.id`;
          const now = epochMs();
          const ids = new Set(seen.map((r) => r.event_id));
          for (const [partition, queue] of outstanding) {
            const head = queue.slice(0, POLL_HEAD);
            const left = queue.filter((p) => !ids.has(p.id));
            for (const p of head) if (ids.has(p.id)) latencies.push(now - p.sentAt);
            waiting -= queue.length - left.length;
            outstanding.set(partition, left);
            again ||= head.length === POLL_HEAD && head.every((p) => ids.has(p.id));
          }
        }
        if (!again) await new Promise((r) => setTimeout(r, 20));
        if (!polling && epochMs() - started > (SECONDS + 120) * 1000) break;
      }
    })();

    const { sent, unique, plays, producedSeconds, producerCpuUs } = await produced;
    log(`produced ${sent} messages (${unique} distinct events) in ${producedSeconds.toFixed(1)}s`);

    // Drained when the group's lag is 0 (offsets are committed only after a store), asked of the service, not the
    // database: a count(*) of play_events every 200 ms took a growing share of the database under test while it
    // drained a backlog. The counts below then check that every event is there.
    await until(
      async () => {
        const r = await globalThis.fetch(`http://127.0.0.1:${service.httpPort}/plays/lag`);
        return r.ok && (await r.json()).lag === 0;
      },
      300_000,
      'every event to be stored',
    );
    const drainedSeconds = (epochMs() - started) / 1000;
    polling = false;
    await poller;
    // Let any redelivery land before counting.
    await new Promise((r) => setTimeout(r, 3000));
    const [counts] = await sql`
      SELECT (SELECT count(*) FROM play_events WHERE event_id <> ${WARM_UP.eventId})::bigint AS events,
        (SELECT COALESCE(SUM(count), 0) FROM plays WHERE user_id <> ${WARM_UP.userId})::bigint AS plays`;
    const stored = Number(counts.events);
    const storedPlays = Number(counts.plays);
    const lost = unique - stored;
    const doubled = storedPlays - plays;
    const lag = await globalThis
      .fetch(`http://127.0.0.1:${service.httpPort}/plays/lag`)
      .then((r) => r.json());
    const latency = latencySummary(latencies);
    const p95 = quantile(latencies, 0.95);
    const sustained = unique / drainedSeconds;
    if (lost !== 0 || doubled !== 0)
      throw new Error(`lost ${lost} events and counted ${doubled} plays twice`);
    return {
      results: {
        rate: RATE,
        seconds: SECONDS,
        partitions: PARTITIONS,
        sent,
        unique,
        stored,
        plays,
        storedPlays,
        producedSeconds,
        producerCpuUs,
        drainedSeconds,
        sustained,
        latency: { ...latency, p95 },
        probes: latencies.length,
        lag,
      },
      summary:
        `kafka → PostgreSQL play events: ${unique} events (+${sent - unique} duplicate ids) offered at ${RATE}/s for ${SECONDS}s ` +
        `on ${PARTITIONS} partitions: stored ${fmt(sustained, 0)} events/s sustained (goal >= 20000), ` +
        `event-to-stored p50 ${fmt(latency.p50, 0)} ms, p95 ${fmt(p95, 0)} ms (goal <= 1000), p99 ${fmt(latency.p99, 0)} ms; ` +
        `lost ${lost}, double-counted ${doubled} | load generator ${fmt(producerCpuUs, 1)} µs CPU/message ` +
        '(fixed work: more means a busier machine)',
    };
  } finally {
    if (producer && producer.exitCode === null) producer.kill('SIGTERM');
    if (service.child.exitCode === null) {
      const exited = new Promise((r) => service.child.once('exit', r));
      service.child.kill('SIGTERM');
      await exited;
    }
    await sql.end({ timeout: 5 });
    db.drop();
    await removeFromBroker(brokers, prefix);
  }
}

/** The run's topics and consumer groups, deleted so that runs do not pile up on the broker (it may be shared). */
async function removeFromBroker(brokers, prefix) {
  const admin = new Kafka({ clientId: 'tunegraph-bench', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    const { groups } = await admin.listGroups();
    const ours = groups.map((g) => g.groupId).filter((g) => g.startsWith(prefix));
    if (ours.length) await admin.deleteGroups(ours);
    if (topics.length) await admin.deleteTopics({ topics });
    log(`removed ${topics.length} topics and ${ours.length} consumer groups of this run from the broker`);
  } finally {
    await admin.disconnect();
  }
}

/**
 * `npm run bench -- freshness`: how long a play takes to change a user's recommendations. Starts the ingestion and
 * collaborative services (their dist builds) on DATABASE_URL and KAFKA_BROKERS, then for each of 20 users: reads
 * the top recommendation, records a play of that song through ingestion's recordPlay mutation (published to
 * Kafka, consumed and stored by ingestion) and polls collaborative until the song has left the list (played
 * songs are excluded; the user's vector is folded in from the stored plays on each request). Baseline: the
 * latency of one recommendation request measured in the same run. The store needs plays and an active version
 * of each model measured (`tunegraph ingest …`, `tunegraph train als`; itemknn is measured when active).
 */
import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { fmt, latencySummary, log, quantile, ratio } from './lib/stats.mjs';
import { REPO_ROOT } from './lib/workspace.mjs';

export const needs = ['ingestion-service', 'collaborative-service'];

// Node 20's built-in fetch (the lint environment does not declare it).
const { fetch } = globalThis;
const USERS = 20;
const POLL_MS = 5;
const GIVE_UP_MS = 10_000;

export async function run() {
  for (const v of ['DATABASE_URL', 'KAFKA_BROKERS']) {
    if (!process.env[v]) throw new Error(`freshness needs ${v} (a PostgreSQL with plays and a Kafka broker)`);
  }
  const prefix = `bench-freshness-${Date.now()}-`;
  const ingestion = await startService('ingestion', prefix);
  const collaborative = await startService('collaborative', prefix);
  try {
    const users = await pickUsers();
    const results = {};
    for (const model of ['als', 'itemknn']) {
      const probe = await recommendations(collaborative.url, users[0], model).catch((e) => e);
      if (probe instanceof Error) {
        log(`${model}: skipped (${probe.message})`);
        continue;
      }
      const request = [];
      const fresh = [];
      for (const user of users) {
        const t = performance.now();
        const [top] = await recommendations(collaborative.url, user, model);
        request.push(performance.now() - t);
        const started = performance.now();
        await gql(ingestion.url, `mutation($i: PlayInput!) { recordPlay(input: $i) { accepted } }`, {
          i: { userId: user, songId: top, count: 3 },
        });
        for (;;) {
          if (!(await recommendations(collaborative.url, user, model)).includes(top)) break;
          if (performance.now() - started > GIVE_UP_MS)
            throw new Error(`${model}: ${user}'s list still shows ${top} after ${GIVE_UP_MS} ms`);
          await sleep(POLL_MS);
        }
        fresh.push(performance.now() - started);
      }
      results[model] = {
        freshnessMs: fresh,
        requestMs: request,
        freshness: latencySummary(fresh),
        request: latencySummary(request),
      };
      log(
        `${model}: play → changed list p50 ${fmt(quantile(fresh, 0.5), 0)} ms, max ${fmt(Math.max(...fresh), 0)} ms`,
      );
    }
    const parts = Object.entries(results).map(
      ([m, r]) =>
        `${m} play→new recommendations p50 ${fmt(r.freshness.p50, 0)} ms p99 ${fmt(r.freshness.p99, 0)} ms max ` +
        `${fmt(Math.max(...r.freshnessMs), 0)} ms (${USERS} users; one request p50 ${fmt(r.request.p50, 0)} ms, ratio ` +
        `${fmt(ratio(r.freshness.p50, r.request.p50), 1)}x; goal < 1000 ms: ${Math.max(...r.freshnessMs) < 1000 ? 'met' : 'MISSED'})`,
    );
    return { results, summary: `freshness ${parts.join('; ')}` };
  } finally {
    ingestion.child.kill('SIGTERM');
    collaborative.child.kill('SIGTERM');
  }
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function startService(name, prefix) {
  const [http, grpc] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'services', name, 'dist', 'main.js')], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      HTTP_PORT: String(http),
      GRPC_PORT: String(grpc),
      KAFKA_TOPIC_PREFIX: prefix,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${http}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`${name} was not healthy after 120 s`);
    await sleep(250);
  }
  log(`${name} up on :${http}`);
  return { child, url: `http://127.0.0.1:${http}/graphql` };
}

async function gql(url, query, variables = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data;
}

async function recommendations(url, user, model) {
  const data = await gql(
    url,
    `query($reps: [_Any!]!, $model: CollaborativeModel) { _entities(representations: $reps) { ... on User { recommendations(first: 10, model: $model) { song { id } } } } }`,
    { reps: [{ __typename: 'User', id: user }], model: model.toUpperCase() },
  );
  return data._entities[0].recommendations.map((r) => r.song.id);
}

/** Users with the most plays, whose lists come from the model rather than the popularity fallback. */
async function pickUsers() {
  const { default: postgres } = await import('postgres');
  const sql = postgres(process.env.DATABASE_URL, { max: 1 });
  try {
    const rows =
      await sql`SELECT user_id FROM plays GROUP BY user_id ORDER BY count(*) DESC, user_id LIMIT ${USERS}`;
    return rows.map((r) => r.user_id);
  } finally {
    await sql.end();
  }
}

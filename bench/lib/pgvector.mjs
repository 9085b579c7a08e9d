import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { URL } from 'node:url';
import postgres from 'postgres';
import { latencySummary, log } from './stats.mjs';

/**
 * pgvector on the real PostgreSQL at DATABASE_URL, in a scratch database dropped afterwards: bulk-loads the vectors
 * with COPY, answers `exactQueries` by a sequential scan (no index yet), then builds an HNSW index (cosine) and
 * answers every query at each ef_search. One query per round trip on one connection, no parallel workers, as a
 * request would. Returns undefined (with a log line) when DATABASE_URL is not set.
 */
export async function pgvectorKnn({ label, vectors, dim, queries, k, exactQueries, efs, m, efConstruction }) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    log(`pgvector ${label}: skipped (DATABASE_URL is not set)`);
    return undefined;
  }
  const database = `bench_knn_${process.pid}_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${database}`);
  await admin.unsafe(`CREATE DATABASE ${database}`);
  const target = new URL(url);
  target.pathname = `/${database}`;
  const sql = postgres(target.toString(), { max: 1, onnotice: () => {} });
  try {
    await sql`CREATE EXTENSION IF NOT EXISTS vector`;
    await sql.unsafe(`CREATE TABLE items (id int NOT NULL, embedding vector(${dim}) NOT NULL)`);
    await sql`SET max_parallel_workers_per_gather = 0`;
    const count = vectors.length / dim;
    let started = performance.now();
    const copy = await sql`COPY items (id, embedding) FROM STDIN`.writable();
    await pipeline(Readable.from(copyLines(vectors, dim, count)), copy);
    const loadSeconds = (performance.now() - started) / 1000;
    log(`pgvector ${label}: COPY of ${count} vectors in ${loadSeconds.toFixed(1)}s`);

    const ask = (q) =>
      sql`SELECT id FROM items ORDER BY embedding <=> ${vectorText(queries, q, dim)}::vector LIMIT ${k}`.then(
        (rows) => Int32Array.from(rows, (r) => r.id),
      );
    const exact = await timeSql(ask, exactQueries);
    log(`pgvector ${label} exact: ${exact.qps.toFixed(1)} queries/s over ${exactQueries} queries`);

    await sql`SET maintenance_work_mem = '1GB'`;
    started = performance.now();
    await sql.unsafe(
      `CREATE INDEX items_hnsw ON items USING hnsw (embedding vector_cosine_ops) WITH (m = ${m}, ef_construction = ${efConstruction})`,
    );
    const buildSeconds = (performance.now() - started) / 1000;
    const [{ bytes }] = await sql`SELECT pg_relation_size('items_hnsw') AS bytes`;
    log(
      `pgvector ${label}: HNSW (m ${m}, ef_construction ${efConstruction}) built in ${buildSeconds.toFixed(1)}s`,
    );
    const hnsw = [];
    for (const ef of efs) {
      await sql.unsafe(`SET hnsw.ef_search = ${ef}`);
      hnsw.push({ ef, ...(await timeSql(ask, queries.length / dim)) });
      log(`pgvector ${label} hnsw ef ${ef}: ${hnsw.at(-1).qps.toFixed(0)} queries/s`);
    }
    return { loadSeconds, exact, buildSeconds, indexBytes: Number(bytes), hnsw };
  } finally {
    await sql.end();
    await admin.unsafe(`DROP DATABASE IF EXISTS ${database}`);
    await admin.end();
  }
}

function* copyLines(vectors, dim, count) {
  const batch = 1000;
  for (let start = 0; start < count; start += batch) {
    const lines = [];
    for (let row = start; row < Math.min(count, start + batch); row++) {
      lines.push(`${row}\t${vectorText(vectors, row, dim)}\n`);
    }
    yield lines.join('');
  }
}

function vectorText(matrix, row, dim) {
  return `[${Array.from(matrix.subarray(row * dim, (row + 1) * dim)).join(',')}]`;
}

/** The first `n` queries one after the other, after a short warm-up; answers and per-query latency. */
async function timeSql(ask, n) {
  for (let q = 0; q < Math.min(10, n); q++) await ask(q);
  const answers = [];
  const ms = [];
  const started = performance.now();
  for (let q = 0; q < n; q++) {
    const t = performance.now();
    answers.push(await ask(q));
    ms.push(performance.now() - t);
  }
  const totalMs = performance.now() - started;
  return { answers, queries: n, qps: (n * 1000) / totalMs, latencyMs: latencySummary(ms) };
}

import process from 'node:process';
import { clearInterval, setInterval } from 'node:timers';
import { URL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './workspace.mjs';

/** The server the PostgreSQL benchmarks run on; they stop with a clear message without one. */
export function requireDatabaseUrl(bench) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      `${bench} measures real PostgreSQL: set DATABASE_URL (e.g. from .ci/start-infra.sh); ` +
        `INGEST_STORE=embedded runs the embedded-store variant instead`,
    );
  }
  return url;
}

function psql(url, args) {
  const r = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qAt', ...args], { encoding: 'utf8' });
  if (r.error !== undefined || r.status !== 0) {
    throw new Error(`psql ${args.join(' ')} failed: ${r.error?.message ?? r.stderr.trim()}`);
  }
  return r.stdout.trim();
}

/** A new, empty database on the server, so every run loads from scratch; returns its URL and a drop(). */
export function freshDatabase(serverUrl, prefix) {
  const name = `${prefix}_${Date.now().toString(36)}`;
  psql(serverUrl, ['-c', `CREATE DATABASE ${name}`]);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => psql(serverUrl, ['-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]),
  };
}

/** The baseline: psql's `\copy` of a tab-separated triplets file into a bare table (no keys, no indexes). */
export function rawCopy(url, file) {
  psql(url, [
    '-c',
    'DROP TABLE IF EXISTS raw_triplets',
    '-c',
    'CREATE TABLE raw_triplets (user_id text, song_id text, count int)',
  ]);
  const started = performance.now();
  psql(url, ['-c', `\\copy raw_triplets FROM '${file.replace(/'/g, "''")}'`]);
  const seconds = (performance.now() - started) / 1000;
  const rows = Number(psql(url, ['-c', 'SELECT count(*) FROM raw_triplets']));
  psql(url, ['-c', 'DROP TABLE raw_triplets']);
  return { rows, seconds };
}

/**
 * PostgreSQL's own time for the layout a load ends in, given rows already mapped to integer keys: the loaded
 * `play_counts` rows written to `file`, then copied back into a fresh table of the same shape with the load's
 * memory, and its primary key and song index built, in one transaction. No parsing, id mapping or catalog: a floor
 * for any loader, as far as this server is concerned.
 */
export function keyedFloor(url, file, maintenanceWorkMem) {
  const quoted = file.replace(/'/g, "''");
  psql(url, ['-c', `\\copy (SELECT user_idx, song_idx, count FROM play_counts) TO '${quoted}'`]);
  const started = performance.now();
  psql(url, [
    '-c',
    'BEGIN',
    '-c',
    `SET LOCAL maintenance_work_mem = '${maintenanceWorkMem}'`,
    '-c',
    'CREATE TABLE keyed_floor (user_idx int NOT NULL, song_idx int NOT NULL, count int NOT NULL) WITH (fillfactor = 80)',
    '-c',
    `\\copy keyed_floor FROM '${quoted}' WITH (FREEZE)`,
    '-c',
    'ALTER TABLE keyed_floor ADD PRIMARY KEY (user_idx, song_idx)',
    '-c',
    'CREATE INDEX ON keyed_floor (song_idx)',
    '-c',
    'COMMIT',
  ]);
  const seconds = (performance.now() - started) / 1000;
  psql(url, ['-c', 'DROP TABLE keyed_floor']);
  return { seconds };
}

export function queryNumber(url, query) {
  return Number(psql(url, ['-c', query]));
}

function peakRssBytes(pid) {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0; // exited between two polls, or not Linux
  }
}

/**
 * `tunegraph ingest` in a child process; returns its wall time and peak RSS (the kernel's VmHWM high-water mark,
 * polled, so a peak in the last moments before exit can be missed).
 */
export function runIngest(files, env, args = []) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(REPO_ROOT, 'cli/bin/tunegraph.js'), 'ingest', ...args, ...files],
      {
        env,
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    let peak = 0;
    const poll = setInterval(() => (peak = Math.max(peak, peakRssBytes(child.pid))), 200);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      if (code !== 0) return reject(new Error(`tunegraph ingest exited with ${code}`));
      resolve({ seconds: (performance.now() - started) / 1000, peakRssMiB: peak / 2 ** 20 });
    });
  });
}

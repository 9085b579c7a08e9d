/**
 * `npm run bench -- ingest-wide`: a generated file with more distinct users than a first load's keys memory holds
 * (4 M users, 22 M triplets, the msd preset's catalog), loaded by `tunegraph ingest` into a fresh database twice in
 * the same run: with the default INGEST_KEYS_MEMORY, where the plays of the ids beyond it are set aside on disk and
 * added in SQL, and with enough of it to hold every id. Goal: peak RSS under 400 MB whatever the file.
 */
import process from 'node:process';
import { generatedTriplets } from './lib/plays.mjs';
import { freshDatabase, queryNumber, requireDatabaseUrl, runIngest } from './lib/ingest-run.mjs';
import { fmt, log, ratio } from './lib/stats.mjs';

const WIDE = { users: 4_000_000, triplets: 22_000_000, lyricsSongs: 0 };

export const needs = ['cli', 'generator'];

export async function run() {
  const server = requireDatabaseUrl('ingest-wide');
  const { triplets, summary } = await generatedTriplets('msd', 7, WIDE);
  const load = async (label, keysMemory) => {
    const db = freshDatabase(server, 'bench_ingest_wide');
    try {
      const env = { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'warn' };
      if (keysMemory) env.INGEST_KEYS_MEMORY = keysMemory;
      else delete env.INGEST_KEYS_MEMORY;
      const run = await runIngest([triplets], env);
      const plays = queryNumber(db.url, 'SELECT count(*) FROM play_counts');
      const users = queryNumber(db.url, 'SELECT count(*) FROM users');
      const total = queryNumber(db.url, 'SELECT sum(count) FROM play_counts');
      log(`${label}: ${run.seconds.toFixed(1)}s, peak RSS ${run.peakRssMiB.toFixed(0)} MiB, ${plays} plays`);
      if (plays !== summary.triplets || users !== summary.users)
        throw new Error(
          `${label}: ${plays} plays of ${users} users, the file has ${summary.triplets} of ${summary.users}`,
        );
      return { ...run, plays, users, total };
    } finally {
      db.drop();
    }
  };
  const bounded = await load('default INGEST_KEYS_MEMORY', undefined);
  const unbounded = await load('INGEST_KEYS_MEMORY=4GB (every id held)', '4GB');
  if (bounded.total !== unbounded.total)
    throw new Error(`the two loads disagree: ${bounded.total} and ${unbounded.total} plays counted`);
  return {
    results: { dataset: summary, bounded, unbounded },
    summary:
      `ingest ${summary.triplets} triplets of ${summary.users} users into PostgreSQL: default keys memory ` +
      `${fmt(bounded.seconds, 1)}s, peak RSS ${fmt(bounded.peakRssMiB, 0)} MiB (goal < 400) | every id held ` +
      `${fmt(unbounded.seconds, 1)}s, ${fmt(unbounded.peakRssMiB, 0)} MiB; time ratio ` +
      `${fmt(ratio(bounded.seconds, unbounded.seconds), 2)}, same counts`,
  };
}

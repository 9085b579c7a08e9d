/**
 * `npm run bench -- ingest`: a generated 10 M-triplet file loaded by `tunegraph ingest` into a fresh database on
 * DATABASE_URL, against psql's `\copy` of the same file into a bare table in the same run, and against PostgreSQL
 * alone building the same keyed layout from rows already keyed (a floor); then the same command again (the
 * unchanged file is skipped). INGEST_STORE=embedded runs the older variant instead: the `small` preset
 * into a fresh embedded store (PGlite), against a parse-only pass.
 */
import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { generatedTriplets } from './lib/plays.mjs';
import {
  freshDatabase,
  keyedFloor,
  queryNumber,
  rawCopy,
  requireDatabaseUrl,
  runIngest,
} from './lib/ingest-run.mjs';
import { fmt, log, ratio } from './lib/stats.mjs';
import { load, scratchDir } from './lib/workspace.mjs';

const SEED = 7;
/** The msd preset's catalog and user activity, cut to 10 M triplets (about 48 songs per user, as in the MSD). */
const TEN_MILLION = { users: 210_000, triplets: 10_000_000, lyricsSongs: 0 };

export const needs = ['cli', 'msd-formats', 'generator'];

export async function run() {
  return process.env.INGEST_STORE === 'embedded' ? embedded() : postgres();
}

async function postgres() {
  const server = requireDatabaseUrl('ingest');
  const { triplets, summary } = await generatedTriplets('msd', SEED, TEN_MILLION);
  const db = freshDatabase(server, 'bench_ingest');
  try {
    // The baseline is timed before and after the load, and the faster counts: a copy right after the file was
    // generated can be slowed by its write-back.
    const rawRuns = [];
    const timeRaw = () => {
      log(`raw psql \\copy of ${summary.triplets} triplets into a bare table`);
      rawRuns.push(rawCopy(db.url, triplets));
      log(`raw copy: ${rawRuns.at(-1).rows} rows in ${rawRuns.at(-1).seconds.toFixed(1)}s`);
    };
    timeRaw();
    const env = { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'warn' };
    const first = await runIngest([triplets], env);
    log(`tunegraph ingest: ${first.seconds.toFixed(1)}s, peak RSS ${first.peakRssMiB.toFixed(0)} MiB`);
    const plays = queryNumber(db.url, 'SELECT count(*) FROM play_counts');
    if (plays !== rawRuns[0].rows) throw new Error(`plays has ${plays} rows, the file ${rawRuns[0].rows}`);
    // The load's own server memory (INGEST_MAINTENANCE_WORK_MEM, default 1GB in ingestion's load-memory.ts).
    const floorFile = path.join(scratchDir('ingest'), 'play-counts.keyed.tsv');
    const floor = keyedFloor(db.url, floorFile, process.env.INGEST_MAINTENANCE_WORK_MEM ?? '1GB');
    rmSync(floorFile, { force: true });
    log(
      `PostgreSQL alone, the same rows already keyed: copy, primary key and song index in ${floor.seconds.toFixed(1)}s`,
    );
    const rerun = await runIngest([triplets], env);
    log(`rerun (unchanged file): ${rerun.seconds.toFixed(1)}s`);
    timeRaw();
    const raw = rawRuns.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const rawRate = raw.rows / raw.seconds;
    const ingestRate = plays / first.seconds;
    return {
      results: { dataset: summary, rawRuns, raw, first, floor, rerun, rawRate, ingestRate, plays },
      summary:
        `ingest ${plays} generated triplets into PostgreSQL: tunegraph ingest ${fmt(first.seconds, 1)}s ` +
        `(${fmt(ingestRate, 0)} rows/s, peak RSS ${fmt(first.peakRssMiB, 0)} MiB), rerun ${fmt(rerun.seconds, 1)}s | ` +
        `raw psql \\copy into a bare table ${fmt(raw.seconds, 1)}s (${fmt(rawRate, 0)} rows/s, faster of ` +
        `${rawRuns.map((r) => fmt(r.seconds, 1)).join(' and ')}s); ingest/raw rate ${fmt(ratio(ingestRate, rawRate), 2)} ` +
        `(goal >= 0.50); PostgreSQL alone into the same keyed layout, rows already keyed, ${fmt(floor.seconds, 1)}s: ` +
        `raw/keyed ${fmt(ratio(raw.seconds, floor.seconds), 2)} (the floor for any loader into this layout)`,
    };
  } finally {
    db.drop();
  }
}

async function embedded() {
  const { summary } = await generatedTriplets('small', SEED, {});
  const files = Object.entries(summary.files)
    .filter(([role]) => ['triplets', 'uniqueTracks', 'mxmBow', 'mxmReverseMapping'].includes(role))
    .map(([, file]) => file);

  const parse = await parseOnly(files);
  log(`parse only: ${parse.records} records in ${parse.seconds.toFixed(1)}s`);

  const home = scratchDir('ingest', 'home');
  // A fresh store every run, so the first ingest really loads everything.
  rmSync(home, { recursive: true, force: true });
  const env = { ...process.env, TUNEGRAPH_HOME: home };
  delete env.DATABASE_URL;
  const first = await runIngest(files, env);
  log(`first ingest: ${first.seconds.toFixed(1)}s`);
  const rerun = await runIngest(files, env);
  log(`rerun (unchanged files): ${rerun.seconds.toFixed(1)}s`);

  const recordsPerSecond = parse.records / first.seconds;
  return {
    results: { dataset: summary, parse, first, rerun, recordsPerSecond },
    summary:
      `ingest small preset into the embedded store (${summary.triplets} triplets, ${parse.records} records in ${files.length} files): ` +
      `first ${fmt(first.seconds, 1)}s (${fmt(recordsPerSecond, 0)} records/s, peak RSS ${fmt(first.peakRssMiB, 0)} MiB), ` +
      `rerun ${fmt(rerun.seconds, 1)}s | parse-only baseline ${fmt(parse.seconds, 1)}s; ` +
      `ingest/parse ${fmt(ratio(first.seconds, parse.seconds), 2)}x, rerun/parse ${fmt(ratio(rerun.seconds, parse.seconds), 2)}x`,
  };
}

async function parseOnly(files) {
  const { openMsdFile } = load('msd-formats');
  const started = performance.now();
  let records = 0;
  let rejected = 0;
  for (const file of files) {
    const reader = await openMsdFile(file);
    for await (const batch of reader.batches()) {
      for (const entry of batch) {
        if (entry.kind === 'record') records++;
        else rejected++;
      }
    }
  }
  if (rejected > 0)
    throw new Error(`generated files have ${rejected} unusable lines; the generator is broken`);
  return { records, seconds: (performance.now() - started) / 1000 };
}

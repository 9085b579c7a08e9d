/**
 * `npm run bench -- ingest`: `tunegraph ingest` of the generator's `small` preset into a fresh embedded store
 * (PGlite, DATABASE_URL unset), then the same command again (unchanged files are skipped), against a baseline
 * of only parsing the same files with @tunegraph/msd-formats.
 */
import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { generatedTriplets } from './lib/plays.mjs';
import { fmt, log, ratio } from './lib/stats.mjs';
import { REPO_ROOT, load, scratchDir } from './lib/workspace.mjs';

const SEED = 7;

export const needs = ['cli', 'msd-formats', 'generator'];

export async function run() {
  const { summary } = await generatedTriplets('small', SEED, {});
  const files = Object.entries(summary.files)
    .filter(([role]) => ['triplets', 'uniqueTracks', 'mxmBow', 'mxmReverseMapping'].includes(role))
    .map(([, file]) => file);

  const parse = await parseOnly(files);
  log(`parse only: ${parse.records} records in ${parse.seconds.toFixed(1)}s`);

  const home = scratchDir('ingest', 'home');
  // A fresh store every run, so the first ingest really loads everything.
  rmSync(home, { recursive: true, force: true });
  const first = await ingest(files, home);
  log(`first ingest: ${first.seconds.toFixed(1)}s`);
  const rerun = await ingest(files, home);
  log(`rerun (unchanged files): ${rerun.seconds.toFixed(1)}s`);

  const recordsPerSecond = parse.records / first.seconds;
  return {
    results: { dataset: summary, parse, first, rerun, recordsPerSecond },
    summary:
      `ingest small preset (${summary.triplets} triplets, ${parse.records} records in ${files.length} files): ` +
      `first ${fmt(first.seconds, 1)}s (${fmt(recordsPerSecond, 0)} records/s), rerun ${fmt(rerun.seconds, 1)}s | ` +
      `parse-only baseline ${fmt(parse.seconds, 1)}s; ingest/parse ${fmt(ratio(first.seconds, parse.seconds), 2)}x, ` +
      `rerun/parse ${fmt(ratio(rerun.seconds, parse.seconds), 2)}x`,
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

function ingest(files, home) {
  const env = { ...process.env, TUNEGRAPH_HOME: home };
  delete env.DATABASE_URL;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(REPO_ROOT, 'cli/bin/tunegraph.js'), 'ingest', ...files],
      {
        env,
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`tunegraph ingest exited with ${code}`));
      resolve({ seconds: (performance.now() - started) / 1000 });
    });
  });
}

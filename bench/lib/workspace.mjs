import process from 'node:process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const REPO_ROOT = path.dirname(BENCH_DIR);
export const RESULTS_DIR = path.join(BENCH_DIR, 'results');

// The workspace packages are CommonJS builds (dist/), so they are loaded through require.
const require = createRequire(path.join(REPO_ROOT, 'package.json'));

/** A built workspace package, e.g. load('als') for @tunegraph/als; fails clearly when dist/ is missing. */
export function load(dir) {
  const main = path.join(REPO_ROOT, 'packages', dir, 'dist', 'index.js');
  if (!existsSync(main)) {
    throw new Error(`@tunegraph/${dir} is not built (${main} is missing); run npm run build`);
  }
  return require(`@tunegraph/${dir}`);
}

export function msdDataDir() {
  const dir = process.env.MSD_DATA_DIR ?? path.resolve(REPO_ROOT, '../shared/data/msd');
  if (!existsSync(dir)) {
    throw new Error(
      `MSD sample folder ${dir} is missing; set MSD_DATA_DIR to the folder holding plays/ and metadata/`,
    );
  }
  return dir;
}

export function scratchDir(...parts) {
  const dir = path.join(RESULTS_DIR, ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes bench/results/<name>-<timestamp>.json and returns its path. */
export function writeResults(name, results) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = path.join(RESULTS_DIR, `${name}-${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

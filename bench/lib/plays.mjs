import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { load, scratchDir } from './workspace.mjs';
import { log } from './stats.mjs';

/**
 * Triplets file → coordinate interactions with dense user and song indexes (first-seen order), held in
 * typed arrays that grow as needed (`expected`, when known, sizes them once), so 48 M plays take 12 bytes each.
 * Any unusable line fails the benchmark, listing the first ones with their line numbers and reasons.
 */
export async function readPlays(file, { expected = 1 << 20, progressEvery = 0 } = {}) {
  const { openMsdFile } = load('msd-formats');
  const plays = await openMsdFile(file, { format: 'triplets' });
  const userIndex = new Map();
  const songIndex = new Map();
  let users = new Int32Array(expected);
  let items = new Int32Array(expected);
  let counts = new Float32Array(expected);
  let n = 0;
  const rejected = [];
  for await (const batch of plays.batches()) {
    for (const entry of batch) {
      if (entry.kind === 'rejected') {
        rejected.push(`line ${entry.lineNo}: ${entry.reason}`);
        continue;
      }
      const { userId, songId, count } = entry.value;
      let u = userIndex.get(userId);
      if (u === undefined) userIndex.set(userId, (u = userIndex.size));
      let s = songIndex.get(songId);
      if (s === undefined) songIndex.set(songId, (s = songIndex.size));
      if (n === users.length) {
        const grown = Math.ceil(n * 1.5);
        users = grow(users, grown);
        items = grow(items, grown);
        counts = grow(counts, grown);
      }
      users[n] = u;
      items[n] = s;
      counts[n] = count;
      n++;
      if (progressEvery > 0 && n % progressEvery === 0) log(`read ${n} plays`);
    }
  }
  if (rejected.length > 0) {
    throw new Error(`${file}: ${rejected.length} unusable lines:\n${rejected.slice(0, 20).join('\n')}`);
  }
  return {
    numUsers: userIndex.size,
    numItems: songIndex.size,
    interactions: { users: users.subarray(0, n), items: items.subarray(0, n), counts: counts.subarray(0, n) },
  };
}

function grow(array, length) {
  const out = new array.constructor(length);
  out.set(array);
  return out;
}

/**
 * A generator dataset under bench/results/data/, made once per (preset, seed, overrides) and reused, since
 * generating it is not what the benchmarks measure. Returns the path of its triplets file.
 */
export async function generatedTriplets(preset, seed, overrides) {
  const { generateDataset, DATASET_FILES } = load('generator');
  const key = [`${preset}-seed${seed}`, ...Object.entries(overrides).map(([k, v]) => `${k}${v}`)].join('-');
  const dir = scratchDir('data', key);
  const done = path.join(dir, 'summary.json');
  if (existsSync(done)) {
    log(`reusing generated dataset ${dir}`);
    return {
      triplets: path.join(dir, DATASET_FILES.triplets),
      summary: JSON.parse(readFileSync(done, 'utf8')),
    };
  }
  log(`generating preset '${preset}' (seed ${seed}, ${JSON.stringify(overrides)}) into ${dir}`);
  const summary = await generateDataset({ preset, seed, outDir: dir, overrides });
  writeFileSync(done, JSON.stringify(summary));
  log(`generated ${summary.triplets} triplets in ${summary.seconds.toFixed(1)}s`);
  return { triplets: summary.files.triplets, summary };
}

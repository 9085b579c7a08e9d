/**
 * `npm run bench -- als-msd` (not quick): @tunegraph/als at the scale of the full Taste Profile, on the
 * generator's `msd` preset (seed 7, no lyrics: 1,019,318 users, 384,546 songs, 48,373,586 plays), 64 factors,
 * two threads. Reports the process's peak resident memory (ru_maxrss: every thread, every stage: reading,
 * CSR build, training) against the 3 GB budget and against the factors' own size, and seconds per iteration.
 * ALS_MSD_ITERATIONS sets the iterations (default 2: the memory peak is reached in the first one), and
 * ALS_MSD_OVERRIDES (JSON generator overrides, default {"lyricsSongs":0}) runs a smaller set of the same shape, e.g.
 * {"users":210000,"songs":80000,"triplets":10000000,"lyricsSongs":0}, the als bench's generated-10m.
 */
import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { generatedTriplets, readPlays } from './lib/plays.mjs';
import { fmt, iterationTimer, log, median } from './lib/stats.mjs';
import { load } from './lib/workspace.mjs';

const BUDGET_BYTES = 3 * 2 ** 30;
const HYPER = { factors: 64, regularization: 0.1, alpha: 10, cgSteps: 3 };
const THREADS = 2;

export const needs = ['als', 'msd-formats', 'generator'];

export async function run() {
  const { trainAlsParallel } = load('als');
  const iterations = Number(process.env.ALS_MSD_ITERATIONS ?? 2);
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new Error(`ALS_MSD_ITERATIONS must be a positive integer, got ${process.env.ALS_MSD_ITERATIONS}`);
  }
  const generated = await generatedTriplets(
    'msd',
    7,
    JSON.parse(process.env.ALS_MSD_OVERRIDES ?? '{"lyricsSongs":0}'),
  );
  const stages = {};
  const mark = (stage, started) => {
    stages[stage] = { seconds: (performance.now() - started) / 1000, peakRssBytes: peakRss() };
    log(
      `${stage}: ${stages[stage].seconds.toFixed(1)}s, peak RSS so far ${gib(stages[stage].peakRssBytes)} GiB`,
    );
  };

  let started = performance.now();
  const { numUsers, numItems, matrix } = await readMatrix(generated, () => {
    mark('read', started);
    started = performance.now();
  });
  mark('csr', started);
  log(
    `${numUsers} users, ${numItems} songs, ${matrix.nnz} plays; training ${iterations} iterations on ${THREADS} threads`,
  );

  const seconds = [];
  const cpuSeconds = [];
  started = performance.now();
  const model = await trainAlsParallel(matrix, {
    ...HYPER,
    iterations,
    confidence: 'linear',
    seed: 42,
    threads: THREADS,
    onIteration: iterationTimer('msd', seconds, cpuSeconds, () => `peak RSS ${gib(peakRss())} GiB`),
  });
  mark('train', started);

  const factorBytes = model.userFactors.byteLength + model.itemFactors.byteLength;
  const peak = peakRss();
  const results = {
    dataset: { users: numUsers, items: numItems, plays: matrix.nnz, source: generated.summary },
    hyperparameters: { ...HYPER, iterations, threads: THREADS },
    stages,
    iterationSeconds: seconds,
    iterationCpuSeconds: cpuSeconds,
    secondsPerIteration: median(seconds),
    cpuSecondsPerIteration: median(cpuSeconds),
    peakRssBytes: peak,
    factorBytes,
    budgetBytes: BUDGET_BYTES,
  };
  const summary =
    `als-msd: msd preset ${process.env.ALS_MSD_OVERRIDES ?? ''} ${numUsers}u×${numItems}i ${matrix.nnz}nnz f=${HYPER.factors} ${THREADS}t ` +
    `s/iter ${fmt(results.secondsPerIteration, 1)} (cpu ${fmt(results.cpuSecondsPerIteration, 1)}) ` +
    `peak RSS ${gib(peak)} GiB = ${fmt(peak / BUDGET_BYTES, 2)}x the 3 GiB budget, ${fmt(peak / factorBytes, 2)}x the factors (${gib(factorBytes)} GiB); ` +
    `read ${fmt(stages.read.seconds, 0)}s csr ${fmt(stages.csr.seconds, 0)}s`;
  return { results, summary };
}

/**
 * The plays as a CSR matrix. The coordinate arrays live only in here, so they are garbage (about 580 MB at MSD
 * scale) before training allocates its state.
 */
async function readMatrix(generated, afterRead) {
  const { CsrMatrix } = load('als');
  const plays = await readPlays(generated.triplets, {
    expected: generated.summary.triplets,
    progressEvery: 5_000_000,
  });
  afterRead();
  const { users, items, counts } = plays.interactions;
  return {
    numUsers: plays.numUsers,
    numItems: plays.numItems,
    matrix: CsrMatrix.fromCoo(plays.numUsers, plays.numItems, users, items, counts),
  };
}

/** Peak resident set of this process so far (all threads), in bytes. */
function peakRss() {
  return process.resourceUsage().maxRSS * 1024;
}

function gib(bytes) {
  return (bytes / 2 ** 30).toFixed(2);
}

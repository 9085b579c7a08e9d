/**
 * Seconds per ALS iteration on the real Turi/Taste Profile sample and on a synthetic 1 M-play matrix
 * (100k users x 20k items) at 64 factors, single thread and with worker threads, plus fold-in latency.
 * Not part of the test suite; it times the built package (dist), so build it and its dependencies first
 * (`npx turbo run build --filter=@tunegraph/als...`), then `npm run bench -w @tunegraph/als`.
 * Arguments: [iterations on the synthetic matrix, default 3] [threads for the parallel runs, default 2].
 */
import { SeededRandom } from '@tunegraph/vectors';
import { CsrMatrix, trainAls, trainAlsParallel, type AlsModel, type AlsOptions } from '@tunegraph/als';
import { loadPlays } from '../src/msd-plays.test-helpers';

const FACTORS = 64;

interface Timings {
  wall: number[];
  cpu: number[];
}

function options(iterations: number, t: Timings): AlsOptions {
  let cpu = process.cpuUsage();
  return {
    factors: FACTORS,
    iterations,
    regularization: 0.1,
    alpha: 10,
    confidence: 'log',
    seed: 1,
    onIteration: (e) => {
      t.wall.push(e.seconds);
      // Process CPU time next to wall time, because a shared machine inflates the wall clock.
      const used = process.cpuUsage(cpu);
      t.cpu.push((used.user + used.system) / 1e6);
      cpu = process.cpuUsage();
    },
  };
}

function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): string => sorted[Math.floor(q * (sorted.length - 1))].toFixed(3);
  return `median ${at(0.5)} (min ${at(0)}, max ${at(1)})`;
}

function report(label: string, matrix: CsrMatrix, threads: number, t: Timings): void {
  console.log(
    `${label}: ${matrix.rows} users x ${matrix.cols} items, ${matrix.nnz} nnz, ${FACTORS} factors, ${threads} thread(s), ` +
      `${t.wall.length} iterations, s/iteration: wall ${summary(t.wall)}; process cpu ${summary(t.cpu)}`,
  );
}

async function timeTraining(
  label: string,
  matrix: CsrMatrix,
  iterations: number,
  threads: number,
): Promise<AlsModel> {
  const single: Timings = { wall: [], cpu: [] };
  const model = trainAls(matrix, options(iterations, single));
  report(label, matrix, 1, single);
  if (threads > 1) {
    const parallel: Timings = { wall: [], cpu: [] };
    await trainAlsParallel(matrix, { ...options(iterations, parallel), threads });
    report(label, matrix, threads, parallel);
  }
  return model;
}

function timeFoldIn(model: AlsModel, matrix: CsrMatrix): void {
  const rounds = Math.min(matrix.rows, 2000);
  model.foldIn(matrix.row(0).indices, matrix.row(0).data); // caches YᵀY + λI
  const started = performance.now();
  let items = 0;
  for (let u = 0; u < rounds; u++) {
    const { indices, data } = matrix.row(u);
    if (indices.length === 0) continue;
    model.foldIn(indices, data);
    items += indices.length;
  }
  const ms = (performance.now() - started) / rounds;
  console.log(
    `foldIn: ${ms.toFixed(3)} ms per user (${rounds} users, ${(items / rounds).toFixed(1)} items each)`,
  );
}

/** 1 M plays with a skewed item popularity, like real listening data, from a fixed seed. */
function syntheticPlays(users: number, items: number, plays: number): CsrMatrix {
  const rng = new SeededRandom(7);
  const r = new Int32Array(plays);
  const c = new Int32Array(plays);
  const v = new Float32Array(plays);
  for (let k = 0; k < plays; k++) {
    r[k] = rng.nextInt(users);
    c[k] = Math.min(items - 1, Math.floor(items * Math.pow(rng.nextFloat(), 5)));
    v[k] = 1 + Math.floor(-Math.log(1 - rng.nextFloat()) * 3);
  }
  return CsrMatrix.fromCoo(users, items, r, c, v);
}

async function main(): Promise<void> {
  const syntheticIterations = Number(process.argv[2] ?? 3);
  const threads = Number(process.argv[3] ?? 2);
  const d = await loadPlays('plays/turi_10000.head42739.txt.gz');
  const turi = CsrMatrix.fromCoo(d.userIds.length, d.songIds.length, d.users, d.items, d.counts);
  const model = await timeTraining('turi_10000.head42739', turi, 15, threads);
  timeFoldIn(model, turi);
  await timeTraining(
    'synthetic 1M',
    syntheticPlays(100_000, 20_000, 1_000_000),
    syntheticIterations,
    threads,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

/**
 * Seconds per ALS iteration, single thread, on the real Turi/Taste Profile sample and on a synthetic
 * 1 M-play matrix (100k users x 20k items). Not part of the test suite: `npm run bench -w @tunegraph/als`
 * (build the workspace dependencies first: `npx turbo run build --filter=@tunegraph/als...`).
 * Arguments: [iterations on the synthetic matrix, default 3].
 */
import { SeededRandom } from '@tunegraph/vectors';
import { CsrMatrix, trainAls, type AlsOptions } from '../src/index';
import { loadPlays } from '../src/msd-plays.test-helpers';

const FACTORS = 64;

function timeTraining(label: string, matrix: CsrMatrix, iterations: number): void {
  const seconds: number[] = [];
  const cpuSeconds: number[] = [];
  let cpu = process.cpuUsage();
  const opts: AlsOptions = {
    factors: FACTORS,
    iterations,
    regularization: 0.1,
    alpha: 10,
    confidence: 'log',
    seed: 1,
    onIteration: (e) => {
      seconds.push(e.seconds);
      // CPU time next to wall time, because a shared machine inflates the wall clock.
      const used = process.cpuUsage(cpu);
      cpuSeconds.push((used.user + used.system) / 1e6);
      cpu = process.cpuUsage();
    },
  };
  trainAls(matrix, opts);
  console.log(
    `${label}: ${matrix.rows} users x ${matrix.cols} items, ${matrix.nnz} nnz, ${FACTORS} factors, ` +
      `${iterations} iterations, seconds per iteration: wall ${summary(seconds)}; cpu ${summary(cpuSeconds)}`,
  );
}

function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): string => sorted[Math.floor(q * (sorted.length - 1))].toFixed(3);
  return `median ${at(0.5)} (min ${at(0)}, max ${at(1)})`;
}

/** 1 M plays with a Zipf-like item popularity, like real listening data, from a fixed seed. */
function syntheticPlays(users: number, items: number, plays: number): CsrMatrix {
  const rng = new SeededRandom(7);
  const r = new Int32Array(plays);
  const c = new Int32Array(plays);
  const v = new Float32Array(plays);
  for (let k = 0; k < plays; k++) {
    r[k] = rng.nextInt(users);
    // Inverse-CDF of a power law over ranks 1..items (exponent ~0.8).
    c[k] = Math.min(items - 1, Math.floor(items * Math.pow(rng.nextFloat(), 5)));
    v[k] = 1 + Math.floor(-Math.log(1 - rng.nextFloat()) * 3);
  }
  return CsrMatrix.fromCoo(users, items, r, c, v);
}

async function main(): Promise<void> {
  const syntheticIterations = Number(process.argv[2] ?? 3);
  const d = await loadPlays('plays/turi_10000.head42739.txt.gz');
  const turi = CsrMatrix.fromCoo(d.userIds.length, d.songIds.length, d.users, d.items, d.counts);
  timeTraining('turi_10000.head42739', turi, 15);
  timeTraining('synthetic 1M', syntheticPlays(100_000, 20_000, 1_000_000), syntheticIterations);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

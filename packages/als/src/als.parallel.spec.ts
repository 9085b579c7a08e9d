import { SeededRandom } from '@tunegraph/vectors';
import { describe, expect, it } from 'vitest';
import { trainAlsParallel } from './als.parallel';
import { trainAls } from './als.trainer';
import { CsrMatrix } from './csr.matrix';
import { plantedBlocks } from './planted-blocks.test-helpers';

// Runs the compiled worker (dist/als.worker.js): `npm test` builds first (turbo), a bare `vitest run` needs `npm run build`.

/** Enough rows for several Gram blocks and many claimed row chunks per phase. */
function randomPlays(users: number, items: number, plays: number): CsrMatrix {
  const rng = new SeededRandom(5);
  const r = Int32Array.from({ length: plays }, () => rng.nextInt(users));
  const c = Int32Array.from({ length: plays }, () => Math.floor(items * rng.nextFloat() ** 3));
  const v = Float32Array.from({ length: plays }, () => 1 + rng.nextInt(9));
  return CsrMatrix.fromCoo(users, items, r, c, v);
}

describe('trainAlsParallel', () => {
  it('gives factors bit-identical to trainAls for any thread count', async () => {
    const matrix = randomPlays(9000, 1500, 60_000);
    const opts = { factors: 12, iterations: 3, regularization: 0.05, alpha: 4, seed: 9 };
    const single = trainAls(matrix, opts);
    for (const threads of [2, 3]) {
      const parallel = await trainAlsParallel(matrix, { ...opts, threads });
      expect(parallel.userFactors).toEqual(single.userFactors);
      expect(parallel.itemFactors).toEqual(single.itemFactors);
    }
  });

  it('reports iterations and loss like trainAls, and recommends inside planted blocks', async () => {
    const data = plantedBlocks(11);
    const opts = { factors: 8, iterations: 4, regularization: 0.1, alpha: 5, seed: 3, computeLoss: true };
    const singleLosses: number[] = [];
    const parallelLosses: number[] = [];
    trainAls(data.matrix, { ...opts, onIteration: (e) => singleLosses.push(e.loss as number) });
    const model = await trainAlsParallel(data.matrix, {
      ...opts,
      threads: 2,
      onIteration: (e) => parallelLosses.push(e.loss as number),
    });
    expect(parallelLosses).toEqual(singleLosses);
    expect(parallelLosses).toHaveLength(4);
    const u = 130;
    for (const item of model.recommend(u, 10, { exclude: data.matrix.row(u).indices }).ids) {
      expect(data.itemBlock(item)).toBe(data.userBlock(u));
    }
  });

  it('runs trainAls for one thread and validates the thread count', async () => {
    const data = plantedBlocks(2);
    const opts = { factors: 4, iterations: 2, regularization: 0.1, alpha: 5, seed: 1 };
    expect((await trainAlsParallel(data.matrix, { ...opts, threads: 1 })).itemFactors).toEqual(
      trainAls(data.matrix, opts).itemFactors,
    );
    await expect(trainAlsParallel(data.matrix, { ...opts, threads: 0 })).rejects.toThrow(
      /threads: must be an integer in \[1, 64\], got 0/,
    );
    await expect(trainAlsParallel(data.matrix, { ...opts, factors: 0, threads: 2 })).rejects.toThrow(
      /factors/,
    );
  });
});

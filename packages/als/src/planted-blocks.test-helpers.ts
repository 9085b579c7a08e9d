import { SeededRandom } from '@tunegraph/vectors';
import { CsrMatrix } from './csr.matrix';

/**
 * Block-structured implicit data: users of block b only play items of block b, so a model that learns the
 * structure must keep every recommendation inside the user's block.
 */
export interface PlantedBlocks {
  matrix: CsrMatrix;
  blocks: number;
  usersPerBlock: number;
  itemsPerBlock: number;
  userBlock(user: number): number;
  itemBlock(item: number): number;
}

export function plantedBlocks(
  seed: number,
  blocks = 4,
  usersPerBlock = 60,
  itemsPerBlock = 40,
  playsPerUser = 12,
): PlantedBlocks {
  const rng = new SeededRandom(seed);
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  const pool = new Int32Array(itemsPerBlock);
  for (let b = 0; b < blocks; b++) {
    for (let k = 0; k < usersPerBlock; k++) {
      const user = b * usersPerBlock + k;
      pool.forEach((_, i) => (pool[i] = b * itemsPerBlock + i));
      rng.shuffle(pool);
      for (let p = 0; p < playsPerUser; p++) {
        r.push(user);
        c.push(pool[p]);
        v.push(1 + rng.nextInt(5));
      }
    }
  }
  const matrix = CsrMatrix.fromCoo(
    blocks * usersPerBlock,
    blocks * itemsPerBlock,
    Int32Array.from(r),
    Int32Array.from(c),
    Float32Array.from(v),
  );
  return {
    matrix,
    blocks,
    usersPerBlock,
    itemsPerBlock,
    userBlock: (user) => Math.floor(user / usersPerBlock),
    itemBlock: (item) => Math.floor(item / itemsPerBlock),
  };
}

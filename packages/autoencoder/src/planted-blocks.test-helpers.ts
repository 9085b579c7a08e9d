import { SeededRandom } from '@tunegraph/vectors';
import type { SparseRows } from './sparse.rows';

/**
 * `blocks` groups of users and items; each user plays `playsPerUser` distinct items of their own block only, so
 * a model that learns the structure recommends inside the user's block. User u is in block u % blocks, item i in
 * block floor(i / itemsPerBlock).
 */
export function plantedBlocks(
  seed: number,
  blocks = 4,
  users = 200,
  itemsPerBlock = 30,
  playsPerUser = 8,
): SparseRows & { blockOfItem(item: number): number; blockOfUser(user: number): number } {
  const rng = new SeededRandom(seed);
  const indptr = new Int32Array(users + 1);
  const indices: number[] = [];
  const pool = new Int32Array(itemsPerBlock);
  for (let u = 0; u < users; u++) {
    const b = u % blocks;
    pool.forEach((_, i) => (pool[i] = b * itemsPerBlock + i));
    rng.shuffle(pool);
    indices.push(...Array.from(pool.subarray(0, playsPerUser)).sort((x, y) => x - y));
    indptr[u + 1] = indices.length;
  }
  return {
    rows: users,
    cols: blocks * itemsPerBlock,
    indptr,
    indices: Int32Array.from(indices),
    blockOfItem: (item) => Math.floor(item / itemsPerBlock),
    blockOfUser: (user) => user % blocks,
  };
}

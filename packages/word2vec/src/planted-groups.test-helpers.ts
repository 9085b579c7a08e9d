import { SeededRandom } from '@tunegraph/vectors';

/**
 * `groups` disjoint blocks of `groupSize` consecutive tokens; each sequence draws `length` tokens uniformly from one
 * block, so tokens only ever co-occur within their block. Token t belongs to group floor(t / groupSize).
 */
export function plantedSequences(
  groups: number,
  groupSize: number,
  count: number,
  length: number,
  seed: number,
): Int32Array[] {
  const rng = new SeededRandom(seed);
  const sequences: Int32Array[] = [];
  for (let s = 0; s < count; s++) {
    const group = s % groups;
    const seq = new Int32Array(length);
    for (let i = 0; i < length; i++) seq[i] = group * groupSize + rng.nextInt(groupSize);
    sequences.push(seq);
  }
  return sequences;
}

import { describe, expect, it } from 'vitest';
import { SeededRandom } from '@tunegraph/vectors';
import { SparseIndex, TfidfInputError, type SparseVector } from './index';

function unit(terms: number[], weights: number[]): SparseVector {
  const norm = Math.hypot(...weights);
  return { terms: Int32Array.from(terms), weights: Float32Array.from(weights.map((w) => w / norm)) };
}

function randomVector(rng: SeededRandom, vocabularySize: number): SparseVector {
  const terms = new Set<number>();
  const length = 1 + rng.nextInt(15);
  while (terms.size < length) terms.add(rng.nextInt(vocabularySize));
  const sorted = [...terms].sort((a, b) => a - b);
  return unit(
    sorted,
    sorted.map(() => 0.1 + rng.nextFloat()),
  );
}

function cosine(a: SparseVector, b: SparseVector): number {
  const dense = new Map<number, number>();
  a.terms.forEach((t, i) => dense.set(t, a.weights[i]));
  let sum = 0;
  b.terms.forEach((t, i) => (sum += (dense.get(t) ?? 0) * b.weights[i]));
  return sum;
}

describe('SparseIndex', () => {
  it('returns exactly the brute-force cosine top-k', () => {
    const rng = new SeededRandom(3);
    const vocabularySize = 60;
    const index = new SparseIndex(vocabularySize);
    const vectors = Array.from({ length: 500 }, () => randomVector(rng, vocabularySize));
    vectors.forEach((v, i) => index.add(1000 + i, v.terms, v.weights));
    expect(index.size).toBe(500);
    for (let q = 0; q < 25; q++) {
      const query = randomVector(rng, vocabularySize);
      const expected = vectors
        .map((v, i) => ({ id: 1000 + i, score: cosine(query, v) }))
        .filter((e) => e.score !== 0)
        .sort((x, y) => y.score - x.score || x.id - y.id)
        .slice(0, 10);
      const got = index.search(query.terms, query.weights, 10);
      expect(Array.from(got.ids)).toEqual(expected.map((e) => e.id));
      got.scores.forEach((s, i) => expect(s).toBeCloseTo(expected[i].score, 5));
    }
  });

  it('honours exclude, returns only overlapping vectors and divides by the query norm', () => {
    const index = new SparseIndex(10);
    const a = unit([1, 2], [1, 1]);
    const b = unit([2, 3], [1, 1]);
    const c = unit([7], [1]);
    index.add(1, a.terms, a.weights);
    index.add(2, b.terms, b.weights);
    index.add(3, c.terms, c.weights);
    const query = { terms: Int32Array.from([1, 2]), weights: Float32Array.from([5, 5]) };
    const all = index.search(query.terms, query.weights, 5);
    expect(Array.from(all.ids)).toEqual([1, 2]);
    expect(all.scores[0]).toBeCloseTo(1, 6);
    expect(all.scores[1]).toBeCloseTo(0.5, 6);
    expect(
      Array.from(index.search(query.terms, query.weights, 5, { exclude: (id) => id === 1 }).ids),
    ).toEqual([2]);
    expect(index.search(Int32Array.from([5]), Float32Array.from([1]), 5).ids.length).toBe(0);
  });

  it('keeps answering correctly after more vectors are added between searches', () => {
    const index = new SparseIndex(4);
    const first = unit([0, 1], [1, 2]);
    index.add(7, first.terms, first.weights);
    expect(Array.from(index.search(first.terms, first.weights, 3).ids)).toEqual([7]);
    for (let id = 0; id < 40; id++) {
      const v = unit([0, 1], [1, 3 + id]);
      index.add(100 + id, v.terms, v.weights);
    }
    const top = index.search(first.terms, first.weights, 2);
    expect(Array.from(top.ids)).toEqual([7, 100]);
  });

  it('rejects duplicates, unnormalised vectors and malformed input', () => {
    const index = new SparseIndex(5);
    const v = unit([0, 4], [3, 4]);
    index.add(1, v.terms, v.weights);
    expect(() => index.add(1, v.terms, v.weights)).toThrow(/already in the index/);
    expect(() => index.add(2, v.terms, Float32Array.from([3, 4]))).toThrow(/L2 norm 5/);
    expect(() => index.add(3, Int32Array.from([5]), Float32Array.from([1]))).toThrow(/term 5/);
    expect(() => index.add(1.5, v.terms, v.weights)).toThrow(TfidfInputError);
    expect(() => index.search(v.terms, v.weights, 0)).toThrow(/k must be a positive integer/);
    expect(() => index.search(Int32Array.from([4, 0]), v.weights, 3)).toThrow(/strictly ascending/);
  });
});

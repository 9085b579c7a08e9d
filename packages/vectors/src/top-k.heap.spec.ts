import { describe, expect, it } from 'vitest';
import { SeededRandom } from './random.generator';
import { TopK } from './top-k.heap';

describe('TopK', () => {
  it('keeps the k highest scores, best first', () => {
    const top = new TopK(3);
    [0.5, 0.1, 0.9, -2, 0.7, 0.3].forEach((s, id) => top.push(id, s));
    const { ids, scores } = top.result();
    expect(Array.from(ids)).toEqual([2, 4, 0]);
    expect(Array.from(scores)).toEqual([0.8999999761581421, 0.699999988079071, 0.5]);
  });

  it('agrees with a full sort on random data, ties broken by smaller id', () => {
    const rng = new SeededRandom(7);
    const n = 2000;
    const scores = Array.from({ length: n }, () => Math.floor(rng.nextFloat() * 50)); // many ties
    const top = new TopK(25);
    scores.forEach((s, id) => top.push(id, s));
    const expected = scores
      .map((s, id) => ({ s, id }))
      .sort((a, b) => b.s - a.s || a.id - b.id)
      .slice(0, 25)
      .map((e) => e.id);
    expect(Array.from(top.result().ids)).toEqual(expected);
  });

  it('returns fewer entries when fewer were pushed, and nothing for k = 0', () => {
    const top = new TopK(5);
    top.push(4, 1);
    top.push(2, 3);
    expect(Array.from(top.result().ids)).toEqual([2, 4]);
    const none = new TopK(0);
    none.push(1, 1);
    expect(none.result().ids.length).toBe(0);
  });

  it('rejects bad k and NaN scores', () => {
    expect(() => new TopK(-1)).toThrow(/k must be a non-negative integer/);
    expect(() => new TopK(1.5)).toThrow(/k must be/);
    expect(() => new TopK(2).push(3, NaN)).toThrow(/id 3 is NaN/);
  });

  it('exposes the score a push must beat: -Infinity until full, then the worst kept score', () => {
    const top = new TopK(2);
    expect(top.capacity).toBe(2);
    expect(top.threshold).toBe(-Infinity);
    top.push(1, 0.5);
    expect(top.threshold).toBe(-Infinity);
    top.push(2, 0.9);
    expect(top.threshold).toBe(0.5);
    top.push(3, 0.7);
    expect(top.threshold).toBeCloseTo(0.7, 6);
    expect(new TopK(0).threshold).toBe(Infinity);
  });
});

import { describe, expect, it } from 'vitest';
import { labelAgreement } from './index';

describe('labelAgreement', () => {
  const labels = new Map([
    [0, 'a'],
    [1, 'a'],
    [2, 'b'],
    [3, 'b'],
    [4, 'c'],
  ]);

  it('compares the neighbours label rate with the random-pair rate', () => {
    // Random: 2 + 2 ordered same-label pairs out of 5 * 4.
    const perfect = labelAgreement(labels, (i) => (i === 4 ? [] : [i ^ 1]));
    expect(perfect).toEqual({ rate: 1, randomRate: 0.2, lift: 5, pairs: 4 });
    const half = labelAgreement(labels, (i) => [i ^ 1, (i + 2) % 5]);
    expect(half.rate).toBeCloseTo(4 / 10, 10);
    expect(half.lift).toBeCloseTo(2, 10);
  });

  it('is zero without pairs or labels', () => {
    expect(labelAgreement(new Map(), () => [])).toEqual({ rate: 0, randomRate: 0, lift: 0, pairs: 0 });
  });
});

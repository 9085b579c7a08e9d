import { describe, expect, it } from 'vitest';
import { popularityRanking } from './popularity.ranking';

describe('popularityRanking', () => {
  it('orders every item by distinct users, ties by id, unplayed items last', () => {
    const train = {
      // item 2: users 0,1,2; item 0: users 0,1 (user 0 twice); item 3: user 2; item 1: nobody; item 4: user 1
      users: Int32Array.from([0, 1, 2, 0, 1, 0, 2, 1]),
      items: Int32Array.from([2, 2, 2, 0, 0, 0, 3, 4]),
      counts: Float32Array.from([1, 1, 1, 5, 1, 9, 1, 1]),
    };
    expect(Array.from(popularityRanking(train, 5))).toEqual([2, 0, 3, 4, 1]);
  });

  it('rejects items outside the catalogue', () => {
    const train = { users: Int32Array.of(0), items: Int32Array.of(5), counts: Float32Array.of(1) };
    expect(() => popularityRanking(train, 5)).toThrow(/entry 0: item 5 outside \[0, 5\)/);
  });
});

import { describe, expect, it } from 'vitest';
import { holdoutSplit } from './holdout.split';
import type { Interactions } from './interactions.types';

function coo(rows: [number, number, number][]): Interactions {
  return {
    users: Int32Array.from(rows.map((r) => r[0])),
    items: Int32Array.from(rows.map((r) => r[1])),
    counts: Float32Array.from(rows.map((r) => r[2])),
  };
}

// user 0: 10 items, user 1: 3 items, user 2: 1 item; user 0 repeats item 4.
const rows: [number, number, number][] = [];
for (let i = 0; i < 10; i++) rows.push([0, i, i + 1]);
rows.push([1, 20, 1], [1, 21, 2], [1, 22, 3], [2, 30, 5], [0, 4, 7]);
const data = coo(rows);

describe('holdoutSplit', () => {
  it('holds out round(fraction · distinct items) per eligible user and keeps the rest in train', () => {
    const { train, test } = holdoutSplit(data, { testFraction: 0.3, seed: 1, minItemsPerUser: 3 });
    expect(test.get(0)?.size).toBe(3);
    expect(test.get(1)?.size).toBe(1); // round(0.9) = 1
    expect(test.has(2)).toBe(false); // below minItemsPerUser
    const trainPairs = new Set(Array.from(train.users, (u, k) => `${u}:${train.items[k]}`));
    for (const [user, items] of test) {
      for (const item of items) expect(trainPairs.has(`${user}:${item}`)).toBe(false);
    }
    // Every row lands on exactly one side: repeated (0, 4) rows move together.
    const testRows = rows.filter(([u, i]) => test.get(u)?.has(i) ?? false).length;
    expect(train.users.length + testRows).toBe(rows.length);
    expect(train.users.length).toBe(rows.length - testRows);
  });

  it('keeps train rows in input order with their counts', () => {
    const { train } = holdoutSplit(data, { testFraction: 0.3, seed: 1 });
    const expected = rows
      .map(([u, i, c]) => ({ u, i, c }))
      .filter(({ u, i }) => Array.from(train.users).some((tu, k) => tu === u && train.items[k] === i));
    expect(Array.from(train.counts)).toEqual(expected.map((e) => e.c));
  });

  it('is deterministic for a seed and changes with the seed', () => {
    const a = holdoutSplit(data, { testFraction: 0.5, seed: 42 });
    const b = holdoutSplit(data, { testFraction: 0.5, seed: 42 });
    expect([...a.test.get(0)!]).toEqual([...b.test.get(0)!]);
    const picks = new Set<string>();
    for (let seed = 0; seed < 10; seed++) {
      picks.add([...holdoutSplit(data, { testFraction: 0.5, seed }).test.get(0)!].sort().join(','));
    }
    expect(picks.size).toBeGreaterThan(5);
  });

  it('always leaves at least one item in train', () => {
    const { test } = holdoutSplit(
      coo([
        [0, 1, 1],
        [0, 2, 1],
      ]),
      { testFraction: 0.99, seed: 3 },
    );
    expect(test.get(0)?.size).toBe(1);
  });

  it('rejects bad options and bad rows', () => {
    expect(() => holdoutSplit(data, { testFraction: 1, seed: 1 })).toThrow(
      /testFraction must be in \(0, 1\)/,
    );
    expect(() => holdoutSplit(data, { testFraction: 0.2, seed: 1, minItemsPerUser: 1 })).toThrow(
      /minItemsPerUser/,
    );
    expect(() => holdoutSplit(coo([[0, -1, 1]]), { testFraction: 0.2, seed: 1 })).toThrow(
      /entry 0 has negative item/,
    );
    expect(() => holdoutSplit(coo([[0, 1, NaN]]), { testFraction: 0.2, seed: 1 })).toThrow(
      /entry 0 has non-finite/,
    );
  });
});

import type { Interactions, Recommender } from '@tunegraph/metrics';
import { SeededRandom } from '@tunegraph/vectors';
import { describe, expect, it } from 'vitest';
import { invertSpd } from './dense.inverse';
import { EaseRecommender, fitEase } from './ease.recommender';
import { ItemKnnRecommender, fitItemKnn } from './item-knn.recommender';
import { PopularityRecommender, fitPopularity } from './popularity.recommender';

/** Two planted taste groups: users 0..29 play 6 of items 0..9, users 30..59 play 6 of items 10..19. */
function plantedGroups(seed = 3): { data: Interactions; shape: { numUsers: number; numItems: number } } {
  const rng = new SeededRandom(seed);
  const users: number[] = [];
  const items: number[] = [];
  for (let u = 0; u < 60; u++) {
    const order = Int32Array.from({ length: 10 }, (_, i) => i);
    rng.shuffle(order);
    for (let k = 0; k < 6; k++) {
      users.push(u);
      items.push(order[k] + (u < 30 ? 0 : 10));
    }
  }
  return {
    data: {
      users: Int32Array.from(users),
      items: Int32Array.from(items),
      counts: new Float32Array(users.length).fill(1),
    },
    shape: { numUsers: 60, numItems: 20 },
  };
}

const { data, shape } = plantedGroups();
const fits: Record<string, () => Recommender> = {
  itemknn: () => fitItemKnn(data, shape, { alpha: 0.15, q: 3, neighbours: 50 }),
  ease: () => fitEase(data, shape, { lambda: 10, maxItems: 100 }),
};
const loaders: Record<string, (b: Buffer) => Recommender> = {
  popularity: PopularityRecommender.fromBuffer,
  itemknn: ItemKnnRecommender.fromBuffer,
  ease: EaseRecommender.fromBuffer,
};

const history = (items: number[]) => ({
  items: Int32Array.from(items),
  counts: new Float32Array(items.length).fill(1),
});

describe.each(Object.keys(fits))('%s on planted taste groups', (kind) => {
  const model = fits[kind]();

  it('recommends only unplayed songs of the user own group, explained by a played song of that group', () => {
    for (const played of [
      [0, 3, 5],
      [12, 17],
    ]) {
      const user = model.foldIn(history(played));
      const top = model.recommend(user, 5, played);
      const group = played[0] < 10 ? 0 : 1;
      expect(top.ids).toHaveLength(5);
      for (const item of top.ids) {
        expect(Math.floor(item / 10)).toBe(group);
        expect(played).not.toContain(item);
        const why = model.explain(user, item);
        expect(played).toContain(why?.item);
        expect(why?.contribution).toBeGreaterThan(0);
      }
    }
  });

  it('round-trips through its buffer with identical rankings', () => {
    const copy = loaders[kind](model.toBuffer());
    const user = history([1, 2]);
    expect(copy.recommend(copy.foldIn(user), 8, [1, 2])).toEqual(
      model.recommend(model.foldIn(user), 8, [1, 2]),
    );
  });
});

describe('popularity', () => {
  it('ranks by distinct listeners, counts repeated rows once, and survives save/load', () => {
    const d = {
      users: Int32Array.of(0, 0, 0, 1, 2, 2),
      items: Int32Array.of(1, 1, 1, 1, 2, 1),
      counts: new Float32Array(6).fill(1),
    };
    const model = fitPopularity(d, { numUsers: 3, numItems: 3 });
    expect(Array.from(model.listeners)).toEqual([0, 3, 1]);
    const copy = PopularityRecommender.fromBuffer(model.toBuffer());
    expect(Array.from(copy.recommend(copy.foldIn(history([1])), 3, [1]).ids)).toEqual([2, 0]);
    expect(copy.explain()).toBeUndefined();
  });
});

describe('bad input', () => {
  const empty = { users: new Int32Array(0), items: new Int32Array(0), counts: new Float32Array(0) };
  it('refuses empty data, out-of-range plays and absurd hyperparameters with a clear message', () => {
    expect(() => fitPopularity(empty, shape)).toThrow(/no plays/);
    expect(() =>
      fitItemKnn(data, { numUsers: 60, numItems: 5 }, { alpha: 0.5, q: 1, neighbours: 5 }),
    ).toThrow(/outside 60 users x 5 items/);
    expect(() => fitItemKnn(data, shape, { alpha: 2, q: 1, neighbours: 5 })).toThrow(
      /alpha must be in \[0, 1\]/,
    );
    expect(() => fitItemKnn(data, shape, { alpha: 0.5, q: 0, neighbours: 5 })).toThrow(/q must be in/);
    expect(() => fitEase(data, shape, { lambda: -1, maxItems: 100 })).toThrow(/lambda must be/);
    expect(() => fitEase(data, shape, { lambda: 1, maxItems: 10 })).toThrow(/20 songs, above maxItems 10/);
  });

  it('refuses a history item outside the catalog and a corrupted buffer', () => {
    const model = fits.itemknn();
    expect(() => model.foldIn(history([25]))).toThrow(/outside \[0, 20\)/);
    const buf = model.toBuffer();
    expect(() => ItemKnnRecommender.fromBuffer(buf.subarray(0, buf.length - 4))).toThrow(
      /truncated|trailing/,
    );
    expect(() => EaseRecommender.fromBuffer(buf)).toThrow(/expected a ease model, got a itemknn model/);
  });
});

describe('invertSpd', () => {
  it('inverts a random SPD matrix to 1e-9 and refuses an indefinite one', () => {
    const n = 40;
    const rng = new SeededRandom(5);
    const m = Float64Array.from({ length: n * n }, () => rng.nextFloat() - 0.5);
    const a = new Float64Array(n * n); // MᵀM + I
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = i === j ? 1 : 0;
        for (let k = 0; k < n; k++) s += m[k * n + i] * m[k * n + j];
        a[i * n + j] = s;
      }
    const inv = invertSpd(a.slice(), n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += a[i * n + k] * inv[k * n + j];
        expect(Math.abs(s - (i === j ? 1 : 0))).toBeLessThan(1e-9);
      }
    expect(() => invertSpd(Float64Array.of(1, 2, 2, 1), 2)).toThrow(/not positive definite/);
  });
});

import { describe, expect, it } from 'vitest';
import { msdChallengeSplit, strongGeneralizationSplit } from './evaluation.splits';
import type { Interactions } from './interactions.types';

/** 20 users; user u plays items 0..(u+1) (so item i has 20 - max(0, i - 1) listeners), item 0 twice. */
function ladder(): Interactions {
  const users: number[] = [];
  const items: number[] = [];
  for (let u = 0; u < 20; u++) {
    for (let i = 0; i <= u + 1; i++) {
      users.push(u);
      items.push(i);
    }
    users.push(u);
    items.push(0);
  }
  return {
    users: Int32Array.from(users),
    items: Int32Array.from(items),
    counts: new Float32Array(users.length).fill(1),
  };
}

const pairs = (d: Interactions, user: number) =>
  new Set(Array.from(d.items).filter((_, k) => d.users[k] === user));

describe('msdChallengeSplit', () => {
  it('hides half of each test user songs, keeps the visible half and every other user in train', () => {
    const data = ladder();
    const split = msdChallengeSplit(data, { testUsers: 5, seed: 1 });
    expect(split.test.size).toBe(5);
    expect(split.history).toBe(split.train);
    for (const [user, hidden] of split.test) {
      const all = pairs(data, user);
      const visible = pairs(split.train, user);
      expect(hidden.size).toBe(Math.round(all.size / 2));
      expect(visible.size + hidden.size).toBe(all.size);
      for (const item of hidden) expect(visible.has(item)).toBe(false);
    }
    for (let u = 0; u < 20; u++)
      if (!split.test.has(u)) expect(pairs(split.train, u)).toEqual(pairs(data, u));
    expect(msdChallengeSplit(data, { testUsers: 5, seed: 1 }).test).toEqual(split.test);
  });
});

describe('strongGeneralizationSplit', () => {
  it('filters songs then users, holds users out of training and folds them in from 80% of their songs', () => {
    const data = ladder();
    // Items with >= 15 listeners are 0..6; users then need >= 5 of them: users 3..19.
    const split = strongGeneralizationSplit(data, {
      minSongUsers: 15,
      minUserSongs: 5,
      heldOutUsers: 4,
      foldInFraction: 0.8,
      seed: 2,
    });
    expect(split.numItems).toBe(7);
    expect(Array.from(split.itemIds ?? [])).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(split.test.size).toBe(4);
    const trainUsers = new Set(split.train.users);
    for (const [user, held] of split.test) {
      expect(trainUsers.has(user)).toBe(false);
      expect(user).toBeGreaterThanOrEqual(3);
      const folded = pairs(split.history, user);
      expect(folded.size + held.size).toBe(7);
      expect(held.size).toBe(1);
    }
    expect([0, 1, 2].some((u) => trainUsers.has(u))).toBe(false);
  });

  it('says how many users pass the filters when too few do', () => {
    expect(() =>
      strongGeneralizationSplit(ladder(), {
        minSongUsers: 200,
        minUserSongs: 20,
        heldOutUsers: 4,
        foldInFraction: 0.8,
        seed: 2,
      }),
    ).toThrow(/0 users pass the filters \(songs >= 200 users, users >= 20 songs\)/);
  });
});

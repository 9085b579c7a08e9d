import { SeededRandom } from '@tunegraph/vectors';
import { holdoutSplit } from './holdout.split';
import { validateInteractions, type Interactions } from './interactions.types';

/**
 * What a model is measured on: it is fitted on `train`, each test user is folded in from their rows of
 * `history` and must find the items of `test`. For the weak-generalisation splits `history` is `train`.
 */
export interface EvaluationSplit {
  name: string;
  train: Interactions;
  history: Interactions;
  test: Map<number, Set<number>>;
  /** Catalog size: item indexes are in [0, numItems). */
  numItems: number;
  /** When the split filtered and renumbered items: split index -> index in the input data. */
  itemIds?: Int32Array;
}

/**
 * The MSD Challenge protocol: `testUsers` users (drawn at random among those with at least 2 songs) give a random
 * half of their songs to the hidden set; their visible half and every other user's plays are the training data.
 */
export function msdChallengeSplit(
  data: Interactions,
  opts: { testUsers: number; seed: number },
): EvaluationSplit {
  validateInteractions(data);
  if (!Number.isInteger(opts.testUsers) || opts.testUsers < 1) {
    throw new RangeError(`testUsers must be a positive integer, got ${opts.testUsers}`);
  }
  const distinct = distinctItemsPerUser(data);
  const eligible = [...distinct.entries()]
    .filter(([, n]) => n >= 2)
    .map(([u]) => u)
    .sort((a, b) => a - b);
  if (eligible.length === 0)
    throw new RangeError('msdChallengeSplit: no user has 2 songs to split in halves');
  const chosen = new Set(pick(eligible, opts.testUsers, opts.seed));
  const keep = rowsWhere(data, (k) => chosen.has(data.users[k]));
  const { train: visible, test } = holdoutSplit(keep, {
    testFraction: 0.5,
    seed: opts.seed,
    minItemsPerUser: 2,
  });
  const train = concat(
    rowsWhere(data, (k) => !chosen.has(data.users[k])),
    visible,
  );
  return { name: 'msd-challenge', train, history: train, test, numItems: catalogSize(data) };
}

export interface StrongGeneralizationOptions {
  /** Songs played by fewer users are dropped first (Liang et al. 2018: 200). */
  minSongUsers: number;
  /** Then users with fewer remaining songs are dropped (Liang et al.: 20). */
  minUserSongs: number;
  /** Users held out entirely from training. */
  heldOutUsers: number;
  /** Share of a held-out user's songs folded in; the rest is to be found (Liang et al.: 0.8). */
  foldInFraction: number;
  seed: number;
}

/**
 * Strong generalisation (Liang et al. 2018): after the song and user filters, `heldOutUsers` users leave training
 * altogether; each is folded in from `foldInFraction` of their songs and scored on the rest. The surviving songs
 * are renumbered 0..numItems-1 (`itemIds` maps back), so dense models see only the filtered catalog.
 */
export function strongGeneralizationSplit(
  data: Interactions,
  opts: StrongGeneralizationOptions,
): EvaluationSplit {
  validateInteractions(data);
  const { minSongUsers, minUserSongs, heldOutUsers, foldInFraction, seed } = opts;
  if (!(foldInFraction > 0 && foldInFraction < 1))
    throw new RangeError(`foldInFraction must be in (0, 1), got ${foldInFraction}`);
  if (!Number.isInteger(minUserSongs) || minUserSongs < 2)
    throw new RangeError(`minUserSongs must be an integer >= 2, got ${minUserSongs}`);
  const songUsers = distinctUsersPerItem(data);
  const songKept = rowsWhere(data, (k) => (songUsers.get(data.items[k]) ?? 0) >= minSongUsers);
  const userSongs = distinctItemsPerUser(songKept);
  const filtered = renumberItems(
    rowsWhere(songKept, (k) => (userSongs.get(songKept.users[k]) ?? 0) >= minUserSongs),
  );
  const users = [...distinctItemsPerUser(filtered).keys()].sort((a, b) => a - b);
  if (users.length <= heldOutUsers) {
    throw new RangeError(
      `strongGeneralizationSplit: ${users.length} users pass the filters (songs >= ${minSongUsers} users, users >= ` +
        `${minUserSongs} songs); at least ${heldOutUsers + 1} are needed`,
    );
  }
  const heldOut = new Set(pick(users, heldOutUsers, seed));
  const train = rowsWhere(filtered, (k) => !heldOut.has(filtered.users[k]));
  const { train: history, test } = holdoutSplit(
    rowsWhere(filtered, (k) => heldOut.has(filtered.users[k])),
    { testFraction: 1 - foldInFraction, seed, minItemsPerUser: 2 },
  );
  return {
    name: 'strong-generalization',
    train,
    history,
    test,
    numItems: filtered.itemIds.length,
    itemIds: filtered.itemIds,
  };
}

/** The per-user random holdout as an EvaluationSplit. */
export function holdoutEvaluationSplit(
  data: Interactions,
  opts: { testFraction: number; seed: number; minItemsPerUser?: number },
): EvaluationSplit {
  const { train, test } = holdoutSplit(data, opts);
  return { name: 'holdout', train, history: train, test, numItems: catalogSize(data) };
}

function pick(ids: number[], n: number, seed: number): number[] {
  const order = Int32Array.from(ids);
  new SeededRandom(seed).shuffle(order);
  return [...order.subarray(0, Math.min(n, order.length))];
}

function distinctItemsPerUser(data: Interactions): Map<number, number> {
  return distinctCounts(data.users, data.items);
}

function distinctUsersPerItem(data: Interactions): Map<number, number> {
  return distinctCounts(data.items, data.users);
}

function distinctCounts(keys: Int32Array, others: Int32Array): Map<number, number> {
  const seen = new Set<number>();
  const counts = new Map<number, number>();
  for (let k = 0; k < keys.length; k++) {
    const pair = keys[k] * 2 ** 26 + others[k]; // exact: indexes stay far below 2^26

    if (seen.has(pair)) continue;
    seen.add(pair);
    counts.set(keys[k], (counts.get(keys[k]) ?? 0) + 1);
  }
  return counts;
}

function catalogSize(data: Interactions): number {
  return data.items.reduce((m, i) => Math.max(m, i + 1), 0);
}

function renumberItems(data: Interactions): Interactions & { itemIds: Int32Array } {
  const itemIds = Int32Array.from(new Set(data.items)).sort();
  const index = new Map<number, number>();
  itemIds.forEach((item, i) => index.set(item, i));
  return { ...data, items: data.items.map((i) => index.get(i) as number), itemIds };
}

function rowsWhere(data: Interactions, keep: (k: number) => boolean): Interactions {
  const idx: number[] = [];
  for (let k = 0; k < data.users.length; k++) if (keep(k)) idx.push(k);
  return {
    users: Int32Array.from(idx, (k) => data.users[k]),
    items: Int32Array.from(idx, (k) => data.items[k]),
    counts: Float32Array.from(idx, (k) => data.counts[k]),
  };
}

function concat(a: Interactions, b: Interactions): Interactions {
  const join = <T extends Int32Array | Float32Array>(x: T, y: T, make: (n: number) => T): T => {
    const out = make(x.length + y.length);
    out.set(x);
    out.set(y, x.length);
    return out;
  };
  return {
    users: join(a.users, b.users, (n) => new Int32Array(n)),
    items: join(a.items, b.items, (n) => new Int32Array(n)),
    counts: join(a.counts, b.counts, (n) => new Float32Array(n)),
  };
}

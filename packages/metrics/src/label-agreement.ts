export interface LabelAgreement {
  /** Fraction of (query, neighbour) pairs whose labels are equal. */
  rate: number;
  /** Fraction of ordered pairs of distinct labelled items whose labels are equal: the rate of random neighbours. */
  randomRate: number;
  /** rate / randomRate: how many times more often neighbours agree than random pairs. */
  lift: number;
  /** (query, neighbour) pairs scored. */
  pairs: number;
}

/**
 * Judges a similarity by outside labels (artist, tag): for every labelled item, how many of its neighbours carry
 * its label, against random pairs. `neighboursOf` should return labelled items only (unlabelled ones count as
 * disagreeing).
 */
export function labelAgreement(
  labels: ReadonlyMap<number, string>,
  neighboursOf: (item: number) => ArrayLike<number>,
): LabelAgreement {
  const sizes = new Map<string, number>();
  for (const label of labels.values()) sizes.set(label, (sizes.get(label) ?? 0) + 1);
  let samePairs = 0;
  for (const n of sizes.values()) samePairs += n * (n - 1);
  const randomRate = labels.size > 1 ? samePairs / (labels.size * (labels.size - 1)) : 0;
  let same = 0;
  let pairs = 0;
  for (const [item, label] of labels) {
    const neighbours = neighboursOf(item);
    for (let i = 0; i < neighbours.length; i++) if (labels.get(neighbours[i]) === label) same++;
    pairs += neighbours.length;
  }
  const rate = pairs > 0 ? same / pairs : 0;
  return { rate, randomRate, lift: randomRate > 0 ? rate / randomRate : 0, pairs };
}

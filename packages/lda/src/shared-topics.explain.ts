import { LdaInputError } from './lda.errors';

export interface SharedTopic {
  topic: number;
  /** θa[k] · θb[k]: the topic's term of the two mixtures' dot product. */
  weight: number;
}

/**
 * The topics two songs share most: the largest terms θa[k] · θb[k] of their mixtures' dot product, largest first,
 * keeping only topics worth at least `minShare` of each song (a topic one song barely touches explains nothing).
 */
export function sharedTopics(a: Float32Array, b: Float32Array, n: number, minShare = 0.05): SharedTopic[] {
  if (a.length !== b.length) throw new LdaInputError(`mixtures have ${a.length} and ${b.length} topics`);
  if (!Number.isInteger(n) || n < 1) throw new LdaInputError(`n must be a positive integer, got ${n}`);
  const shared: SharedTopic[] = [];
  for (let k = 0; k < a.length; k++) {
    if (a[k] >= minShare && b[k] >= minShare) shared.push({ topic: k, weight: a[k] * b[k] });
  }
  return shared.sort((x, y) => y.weight - x.weight || x.topic - y.topic).slice(0, n);
}

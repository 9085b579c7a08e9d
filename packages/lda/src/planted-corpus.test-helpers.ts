import { SeededRandom } from '@tunegraph/vectors';
import type { LdaDocument } from './lda.validation';

export interface PlantedCorpus {
  docs: LdaDocument[];
  /** topWords[k]: the true topic's 10 most probable terms, 10k .. 10k+9 (disjoint across topics). */
  topWords: number[][];
}

/**
 * Documents drawn from `topics` known topics over `vocabularySize` terms: topic k puts 80% of its mass
 * evenly on its own ten terms and 20% evenly on the whole vocabulary; each document mixes two topics
 * 70/30 and has `length` tokens.
 */
export function plantedCorpus(
  seed: number,
  docCount: number,
  opts = { topics: 5, vocabularySize: 200, length: 60 },
): PlantedCorpus {
  const { topics, vocabularySize, length } = opts;
  const rng = new SeededRandom(seed);
  const counts = new Float32Array(vocabularySize);
  const docs: LdaDocument[] = [];
  for (let d = 0; d < docCount; d++) {
    counts.fill(0);
    const main = rng.nextInt(topics);
    const other = rng.nextInt(topics);
    for (let i = 0; i < length; i++) {
      const topic = rng.nextFloat() < 0.7 ? main : other;
      const term = rng.nextFloat() < 0.8 ? topic * 10 + rng.nextInt(10) : rng.nextInt(vocabularySize);
      counts[term]++;
    }
    const terms: number[] = [];
    for (let v = 0; v < vocabularySize; v++) if (counts[v] > 0) terms.push(v);
    docs.push({ terms: Int32Array.from(terms), counts: Float32Array.from(terms, (v) => counts[v]) });
  }
  const topWords = Array.from({ length: topics }, (_, k) => Array.from({ length: 10 }, (_, i) => 10 * k + i));
  return { docs, topWords };
}

/** |a ∩ b| / |a| for two top-term lists of equal length. */
export function overlap(a: readonly number[], b: readonly number[]): number {
  const set = new Set(b);
  return a.filter((term) => set.has(term)).length / a.length;
}

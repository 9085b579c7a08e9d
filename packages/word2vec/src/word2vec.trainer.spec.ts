import { describe, expect, it } from 'vitest';
import { Word2VecInputError, trainWord2Vec, type Word2VecProgress } from './index';
import { plantedSequences } from './planted-groups.test-helpers';

const GROUPS = 10;
const GROUP_SIZE = 50;
const corpus = plantedSequences(GROUPS, GROUP_SIZE, 1000, 20, 7);
const base = { vocabularySize: GROUPS * GROUP_SIZE, dim: 16, window: 5, negatives: 5, epochs: 5, seed: 3 };

describe('trainWord2Vec on planted groups', () => {
  const progress: Word2VecProgress[] = [];
  const model = trainWord2Vec(corpus, { ...base, onProgress: (p) => progress.push(p) });

  it('puts a token’s nearest neighbours in its own group', () => {
    let inGroup = 0;
    for (let t = 0; t < GROUPS * GROUP_SIZE; t++) {
      const { tokens } = model.similar(t, 10);
      expect(tokens).toHaveLength(10);
      expect(tokens).not.toContain(t);
      for (const u of tokens) if (Math.floor(u / GROUP_SIZE) === Math.floor(t / GROUP_SIZE)) inGroup++;
    }
    // Measured 1.0: groups never co-occur, so any cross-group neighbour means training failed.
    expect(inGroup / (GROUPS * GROUP_SIZE * 10)).toBeGreaterThanOrEqual(0.9);
  });

  it('reports every epoch, with the loss falling and the learning rate decaying', () => {
    expect(progress.map((p) => p.epoch)).toEqual([1, 2, 3, 4, 5]);
    // Measured 1.01 after the last epoch, from 4.16 (6 ln 2) for untrained vectors.
    expect(progress[0].loss).toBeGreaterThan(progress[4].loss);
    expect(progress[4].loss).toBeCloseTo(1.01, 1);
    for (let e = 1; e < 5; e++) expect(progress[e].learningRate).toBeLessThan(progress[e - 1].learningRate);
    expect(progress[4].learningRate).toBeLessThan(0.025 * 0.01);
    expect(progress[0].pairs).toBeGreaterThan(0);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const again = trainWord2Vec(corpus, base);
    expect(again.vectors).toEqual(model.vectors);
    const other = trainWord2Vec(corpus, { ...base, seed: 4 });
    expect(other.vectors).not.toEqual(model.vectors);
  });

  it('trains the same from a sequence factory as from an array', () => {
    const fromFactory = trainWord2Vec(() => corpus.values(), base);
    expect(fromFactory.vectors).toEqual(model.vectors);
  });
});

describe('trainWord2Vec minCount and subsampling', () => {
  it('leaves tokens below minCount untrained (zero vector, never a neighbour)', () => {
    const seqs = [Int32Array.of(0, 1, 2, 0, 1, 2, 3), Int32Array.of(0, 1, 2, 0, 1, 2)];
    const model = trainWord2Vec(seqs, { vocabularySize: 5, dim: 4, minCount: 2, epochs: 2 });
    expect(model.hasVector(3)).toBe(false);
    expect(model.hasVector(4)).toBe(false);
    expect(model.vector(3)).toEqual(new Float32Array(4));
    expect(Array.from(model.similar(0, 10).tokens).sort()).toEqual([1, 2]);
    expect(() => model.similar(3, 1)).toThrow(/3 has no vector/);
  });

  it('drops frequent tokens more often with a smaller threshold', () => {
    const tokensAt = (subsample: number): number => {
      let kept = 0;
      trainWord2Vec(corpus, { ...base, epochs: 1, subsample, onProgress: (p) => (kept = p.tokens) });
      return kept;
    };
    // Each token occurs about 40 times in 20,000: t = 1e-2 keeps all, t = 1e-4 keeps (sqrt(c/2) + 1) · 2/c of each.
    const counts = new Map<number, number>();
    for (const seq of corpus) for (const t of seq) counts.set(t, (counts.get(t) ?? 0) + 1);
    let expected = 0;
    for (const c of counts.values()) expected += Math.min(c, (Math.sqrt(c / 2) + 1) * 2);
    expect(tokensAt(0)).toBe(20_000);
    expect(tokensAt(1e-2)).toBe(20_000);
    expect(Math.abs(tokensAt(1e-4) - expected) / expected).toBeLessThan(0.02);
  });
});

describe('trainWord2Vec bad input', () => {
  it('names the sequence and position of an out-of-range token', () => {
    expect(() => trainWord2Vec([Int32Array.of(0, 1), Int32Array.of(2, 9)], { vocabularySize: 5 })).toThrow(
      /sequence 1 position 1: token 9 is outside \[0, 5\)/,
    );
    expect(() => trainWord2Vec([Int32Array.of(-1)], { vocabularySize: 5 })).toThrow(Word2VecInputError);
  });

  it('rejects sequences that are not Int32Arrays', () => {
    expect(() => trainWord2Vec([[0, 1] as unknown as Int32Array], { vocabularySize: 5 })).toThrow(
      /sequence 0 is not an Int32Array/,
    );
  });

  it('rejects a factory that yields a different corpus on a later pass', () => {
    let calls = 0;
    const factory = (): Int32Array[] => (calls++ === 0 ? [Int32Array.of(0, 1, 2)] : [Int32Array.of(0, 1)]);
    expect(() => trainWord2Vec(factory, { vocabularySize: 3, dim: 2 })).toThrow(/must yield the same corpus/);
  });

  it('rejects a corpus where no token reaches minCount', () => {
    expect(() => trainWord2Vec([Int32Array.of(0, 1)], { vocabularySize: 2, minCount: 2 })).toThrow(
      /no token occurs at least minCount=2 times/,
    );
  });

  it.each([
    [{ dim: 0 }, /dim: must be an integer/],
    [{ window: 1.5 }, /window: must be an integer/],
    [{ negatives: 0 }, /negatives: must be an integer/],
    [{ epochs: -1 }, /epochs: must be an integer/],
    [{ learningRate: 0 }, /learningRate: must be a finite number > 0/],
    [{ minLearningRate: 1 }, /minLearningRate: must be in/],
    [{ subsample: NaN }, /subsample: must be a finite number >= 0/],
    [{ minCount: 0 }, /minCount: must be an integer/],
    [{ seed: Infinity }, /seed: must be a finite number/],
    [{ vocabularySize: 0 }, /vocabularySize: must be an integer/],
  ])('rejects option %o', (bad, message) => {
    expect(() => trainWord2Vec([Int32Array.of(0)], { vocabularySize: 1, ...bad })).toThrow(message);
  });
});

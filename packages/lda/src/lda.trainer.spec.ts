import { describe, expect, it } from 'vitest';
import { LdaInputError, fitLda, type LdaProgress } from './index';
import { overlap, plantedCorpus } from './planted-corpus.test-helpers';

const V = 200;
const K = 5;
const base = { topics: K, vocabularySize: V, batchSize: 50, seed: 11 };

describe('fitLda on documents from planted topics', () => {
  const { docs, topWords } = plantedCorpus(1, 1000);
  const heldOut = plantedCorpus(2, 200).docs;

  it('recovers every planted topic as a distinct fitted topic (top-10 overlap >= 0.8)', () => {
    const model = fitLda(docs, { ...base, passes: 5 });
    const fittedTop = Array.from({ length: K }, (_, k) => model.topTerms(k, 10).map((t) => t.term));
    const matched = new Set<number>();
    for (const truth of topWords) {
      const scores = fittedTop.map((fitted) => overlap(truth, fitted));
      const best = scores.indexOf(Math.max(...scores));
      expect(scores[best]).toBeGreaterThanOrEqual(0.8);
      matched.add(best);
    }
    expect(matched.size).toBe(K);
  });

  it('lowers held-out perplexity with every extra pass, far below the uniform baseline V', () => {
    const perplexities = [1, 2, 4, 8].map((passes) => fitLda(docs, { ...base, passes }).perplexity(heldOut));
    // measured 64.44, 60.54, 56.12, 55.19; a uniform model scores V = 200
    for (let i = 1; i < perplexities.length; i++) expect(perplexities[i]).toBeLessThan(perplexities[i - 1]);
    expect(perplexities[0]).toBeCloseTo(64.44, 0);
    expect(perplexities[3]).toBeCloseTo(55.19, 0);
  });

  it('is reproducible from the seed and differs across seeds', () => {
    const a = fitLda(docs.slice(0, 200), { ...base, passes: 1 });
    const b = fitLda(docs.slice(0, 200), { ...base, passes: 1 });
    const c = fitLda(docs.slice(0, 200), { ...base, passes: 1, seed: 12 });
    expect(b.lambda).toEqual(a.lambda);
    expect(c.lambda).not.toEqual(a.lambda);
  });

  it('reports every mini-batch with the learning rate (tau0 + t)^-kappa', () => {
    const seen: LdaProgress[] = [];
    fitLda(docs.slice(0, 120), {
      ...base,
      passes: 2,
      tau0: 4,
      kappa: 0.5 + 1e-9,
      onProgress: (p) => seen.push(p),
    });
    expect(seen.map((p) => `${p.pass}.${p.batch}/${p.batchesPerPass}`)).toEqual([
      '1.1/3',
      '1.2/3',
      '1.3/3',
      '2.1/3',
      '2.2/3',
      '2.3/3',
    ]);
    seen.forEach((p, i) => {
      expect(p.updates).toBe(i + 1);
      expect(p.learningRate).toBeCloseTo(1 / Math.sqrt(4 + i + 1), 6);
    });
  });
});

describe('fitLda input errors', () => {
  const docs = plantedCorpus(3, 20).docs;
  const ok = { ...base, passes: 1 };

  it.each([
    [{ topics: 0 }, /topics must be a positive integer, got 0/],
    [{ vocabularySize: 2.5 }, /vocabularySize must be a positive integer/],
    [{ passes: -1 }, /passes must be a positive integer/],
    [{ batchSize: NaN }, /batchSize must be a positive integer/],
    [{ seed: Infinity }, /seed must be a finite number/],
    [{ alpha: 0 }, /alpha must be a finite number > 0, got 0/],
    [{ eta: -1 }, /eta must be a finite number > 0/],
    [{ tau0: 0 }, /tau0 must be a finite number > 0/],
    [{ kappa: 0.5 }, /kappa must be in \(0.5, 1\]/],
    [{ kappa: 1.1 }, /kappa must be in \(0.5, 1\]/],
    [{ maxDocIterations: 0 }, /maxDocIterations must be a positive integer/],
    [{ meanChangeTolerance: 0 }, /meanChangeTolerance must be a finite number > 0/],
  ])('rejects options %o', (patch, message) => {
    expect(() => fitLda(docs, { ...ok, ...patch })).toThrow(message);
  });

  it('rejects an empty corpus and names a bad document by index', () => {
    expect(() => fitLda([], ok)).toThrow(/need at least one document/);
    const bad = [...docs];
    bad[7] = { terms: Int32Array.of(3, 250), counts: Float32Array.of(1, 1) };
    expect(() => fitLda(bad, ok)).toThrow(LdaInputError);
    expect(() => fitLda(bad, ok)).toThrow('docs[7]: term 250 at position 1 is outside [0, 200)');
  });
});

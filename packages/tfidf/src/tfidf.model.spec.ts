import { describe, expect, it } from 'vitest';
import { SeededRandom } from '@tunegraph/vectors';
import { TfidfInputError, TfidfModel, fitTfidf, type SparseDoc } from './index';

function doc(id: number, terms: number[], counts: number[]): SparseDoc {
  return { id, terms: Int32Array.from(terms), counts: Float32Array.from(counts) };
}

// df over a 4-term vocabulary: term 0 in all 3 docs, terms 1 and 2 in one doc each, term 3 in none.
const corpus = [doc(10, [0, 1], [1, 2]), doc(11, [0, 2], [3, 1]), doc(12, [0], [1])];
const LN2 = Math.log(2);

describe('fitTfidf', () => {
  it('computes smoothed idf = ln((1+N)/(1+df)) + 1 and drops never-seen terms', () => {
    const model = fitTfidf(corpus, { vocabularySize: 4 });
    expect(model.documents).toBe(3);
    expect(model.idf[0]).toBeCloseTo(1, 6);
    expect(model.idf[1]).toBeCloseTo(1 + LN2, 6);
    expect(model.idf[2]).toBeCloseTo(1 + LN2, 6);
    expect(model.idf[3]).toBe(0);
  });

  it('computes unsmoothed idf = ln(N/df) + 1', () => {
    const model = fitTfidf(corpus, { vocabularySize: 4, smoothIdf: false });
    expect(model.idf[0]).toBeCloseTo(1, 6);
    expect(model.idf[1]).toBeCloseTo(1 + Math.log(3), 6);
  });

  it('applies minDf and maxDfRatio', () => {
    expect(Array.from(fitTfidf(corpus, { vocabularySize: 4, minDf: 2 }).idf)).toEqual([1, 0, 0, 0]);
    const common = fitTfidf(corpus, { vocabularySize: 4, maxDfRatio: 0.5 });
    expect(common.idf[0]).toBe(0);
    expect(common.idf[1]).toBeCloseTo(1 + LN2, 6);
  });

  it('consumes the corpus in one pass (a one-shot generator works)', () => {
    function* once(): Generator<SparseDoc> {
      yield* corpus;
    }
    expect(fitTfidf(once(), { vocabularySize: 4 }).documents).toBe(3);
  });

  it('names the bad document and the reason', () => {
    const unsorted = [corpus[0], doc(99, [2, 1], [1, 1])];
    expect(() => fitTfidf(unsorted, { vocabularySize: 4 })).toThrow(
      /document 99 \(#1\): terms must be strictly ascending, but term 1 at position 1 follows 2/,
    );
    expect(() => fitTfidf([doc(5, [4], [1])], { vocabularySize: 4 })).toThrow(
      /document 5 .*term 4 .*\[0, 4\)/,
    );
    expect(() => fitTfidf([doc(6, [1], [-2])], { vocabularySize: 4 })).toThrow(/document 6 .*negative/);
    expect(() => fitTfidf([doc(7, [1], [NaN])], { vocabularySize: 4 })).toThrow(/document 7 .*not finite/);
    expect(() => fitTfidf([], { vocabularySize: 4 })).toThrow(/empty corpus/);
    expect(() => fitTfidf(corpus, { vocabularySize: 0 })).toThrow(TfidfInputError);
    expect(() => fitTfidf(corpus, { vocabularySize: 4, maxDfRatio: 0 })).toThrow(/maxDfRatio/);
  });
});

describe('TfidfModel.transform', () => {
  const model = fitTfidf(corpus, { vocabularySize: 4 });

  it('weights an unseen document without refitting (sublinear tf, l2 norm, unseen term dropped)', () => {
    // tf 2 on term 0: (1 + ln 2) * 1; tf 1 on term 1: 1 * (1 + ln 2); equal weights, so 1/sqrt(2) each.
    const out = model.transform({ terms: [0, 1, 3], counts: [2, 1, 5] });
    expect(Array.from(out.terms)).toEqual([0, 1]);
    expect(out.weights[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(out.weights[1]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(model.documents).toBe(3);
  });

  it('uses raw tf and no normalisation when asked', () => {
    const raw = fitTfidf(corpus, { vocabularySize: 4, sublinearTf: false, norm: 'none' });
    const out = raw.transform({ terms: [0, 1], counts: [2, 3] });
    expect(out.weights[0]).toBeCloseTo(2, 6);
    expect(out.weights[1]).toBeCloseTo(3 * (1 + LN2), 5);
  });

  it('omits zero counts and returns an empty vector when nothing is kept', () => {
    expect(Array.from(model.transform({ terms: [0, 2], counts: [0, 1] }).terms)).toEqual([2]);
    const empty = model.transform({ terms: [3], counts: [4] });
    expect(empty.terms.length).toBe(0);
    expect(empty.weights.length).toBe(0);
  });

  it('produces unit-length vectors for random documents', () => {
    const vocabularySize = 300;
    const rng = new SeededRandom(7);
    const docs: SparseDoc[] = [];
    for (let d = 0; d < 200; d++) {
      const terms = new Set<number>();
      const length = 1 + rng.nextInt(40);
      while (terms.size < length) terms.add(rng.nextInt(vocabularySize));
      const sorted = [...terms].sort((a, b) => a - b);
      docs.push(
        doc(
          d,
          sorted,
          sorted.map(() => 1 + rng.nextInt(20)),
        ),
      );
    }
    const fitted = fitTfidf(docs, { vocabularySize });
    for (const d of docs) {
      const { weights } = fitted.transform(d);
      expect(weights.length).toBe(d.terms.length);
      expect(Math.hypot(...weights)).toBeCloseTo(1, 5);
    }
  });

  it('rejects malformed input with a reason', () => {
    expect(() => model.transform({ terms: [1, 0], counts: [1, 1] })).toThrow(/strictly ascending/);
    expect(() => model.transform({ terms: [0, 1], counts: [1] })).toThrow(/2 terms but 1 values/);
    expect(() => model.transform({ terms: [1.5], counts: [1] })).toThrow(/not an integer/);
    expect(() => model.transform({ terms: [1], counts: [-1] })).toThrow(/negative/);
  });
});

describe('TfidfModel serialization', () => {
  it('round-trips idf, settings and transform output', () => {
    const model = fitTfidf(corpus, {
      vocabularySize: 4,
      sublinearTf: false,
      smoothIdf: false,
      maxDfRatio: 0.9,
    });
    const copy = TfidfModel.fromBuffer(model.toBuffer());
    expect(Array.from(copy.idf)).toEqual(Array.from(model.idf));
    expect(copy).toMatchObject({
      vocabularySize: 4,
      documents: 3,
      sublinearTf: false,
      smoothIdf: false,
      minDf: 1,
      maxDfRatio: 0.9,
      norm: 'l2',
    });
    const input = { terms: [0, 1, 2], counts: [3, 1, 2] };
    expect(copy.transform(input)).toEqual(model.transform(input));
  });

  it('rejects foreign, truncated or future-version buffers', () => {
    const bytes = fitTfidf(corpus, { vocabularySize: 4 }).toBuffer();
    expect(() => TfidfModel.fromBuffer(Buffer.from('hello world, not a model at all!'))).toThrow(/magic/);
    expect(() => TfidfModel.fromBuffer(bytes.subarray(0, bytes.length - 1))).toThrow(/expected 48/);
    const future = Buffer.from(bytes);
    future.writeUInt32LE(2, 4);
    expect(() => TfidfModel.fromBuffer(future)).toThrow(/version 2/);
  });
});

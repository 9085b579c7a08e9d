import { describe, expect, it } from 'vitest';
import { LdaInputError, LdaModel, fitLda, type LdaDocument } from './index';
import { plantedCorpus } from './planted-corpus.test-helpers';

const doc = (terms: number[], counts: number[]): LdaDocument => ({
  terms: Int32Array.from(terms),
  counts: Float32Array.from(counts),
});

/** A fixed 3-topic model over 6 terms; expected values below come from scikit-learn 1.5.2 given this lambda. */
const fixed = new LdaModel({
  topics: 3,
  vocabularySize: 6,
  alpha: 0.2,
  eta: 0.1,
  maxDocIterations: 100,
  meanChangeTolerance: 1e-3,
  lambda: Float32Array.of(40, 30, 5, 1, 0.5, 0.2, 0.3, 2, 50, 45, 1, 0.4, 3, 0.1, 0.2, 4, 60, 30),
});
const fixedDocs = [
  doc([0, 1, 4], [5, 3, 1]),
  doc([2, 3], [4, 6]),
  doc([0, 4, 5], [1, 7, 2]),
  doc([0, 1, 2, 3, 4, 5], [2, 2, 2, 2, 2, 2]),
];

describe('LdaModel', () => {
  it("matches scikit-learn's transform and perplexity on a fixed model", () => {
    const expected = [
      [0.8547855008, 0.0208481729, 0.1243663263],
      [0.0188960959, 0.9622121763, 0.0188917279],
      [0.020283819, 0.0188719532, 0.9608442278],
      [0.3417691699, 0.3057115716, 0.3525192584],
    ];
    fixedDocs.forEach((d, i) => {
      const mixture = fixed.transform(d);
      expect(mixture.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      mixture.forEach((p, k) => expect(p).toBeCloseTo(expected[i][k], 6));
    });
    expect(fixed.perplexity(fixedDocs)).toBeCloseTo(7.90948277080524, 7);
  });

  it('gives an empty document the uniform mixture', () => {
    expect(Array.from(fixed.transform(doc([], [])))).toEqual([1 / 3, 1 / 3, 1 / 3].map(Math.fround));
  });

  it('lists top terms by probability under the topic', () => {
    const top = fixed.topTerms(1, 3);
    expect(top.map((t) => t.term)).toEqual([2, 3, 1]);
    [50, 45, 2].forEach((lambda, i) => expect(top[i].weight).toBeCloseTo(lambda / 98.7, 7));
    expect(fixed.topTerms(0, 100)).toHaveLength(6);
    expect(() => fixed.topTerms(3, 1)).toThrow('topic must be an integer in [0, 3), got 3');
    expect(() => fixed.topTerms(0, 0)).toThrow('n must be a positive integer, got 0');
  });

  it('round-trips through a buffer with identical topics, mixtures and perplexity', () => {
    const { docs } = plantedCorpus(5, 300);
    const model = fitLda(docs, { topics: 5, vocabularySize: 200, passes: 2, batchSize: 64, seed: 3 });
    const copy = LdaModel.fromBuffer(model.toBuffer());
    expect(copy.lambda).toEqual(model.lambda);
    expect([copy.topics, copy.vocabularySize, copy.alpha, copy.eta]).toEqual([5, 200, 0.2, 0.2]);
    expect([copy.maxDocIterations, copy.meanChangeTolerance]).toEqual([100, 1e-3]);
    expect(copy.transform(docs[0])).toEqual(model.transform(docs[0]));
    expect(copy.perplexity(docs.slice(0, 50))).toBe(model.perplexity(docs.slice(0, 50)));
  });

  it('rejects corrupt, truncated or foreign buffers', () => {
    const buf = fixed.toBuffer();
    expect(() => LdaModel.fromBuffer(buf.subarray(0, 20))).toThrow(/shorter than the 56-byte header/);
    expect(() => LdaModel.fromBuffer(buf.subarray(0, buf.length - 4))).toThrow(/expected 128 .*truncated/);
    const flipped = Buffer.from(buf);
    flipped[70] ^= 1;
    expect(() => LdaModel.fromBuffer(flipped)).toThrow(/checksum mismatch/);
    const foreign = Buffer.from(buf);
    foreign.write('XXXX', 0);
    expect(() => LdaModel.fromBuffer(foreign)).toThrow(/bad magic bytes/);
    const future = Buffer.from(buf);
    future.writeUInt32LE(2, 8);
    expect(() => LdaModel.fromBuffer(future)).toThrow(/unsupported format version 2/);
  });

  it.each([
    [doc([2, 1], [1, 1]), 'document: terms must be strictly ascending, but term 1 at position 1 follows 2'],
    [doc([1, 1], [1, 1]), 'document: terms must be strictly ascending, but term 1 at position 1 follows 1'],
    [doc([-1], [1]), 'document: term -1 at position 0 is outside [0, 6)'],
    [doc([6], [1]), 'document: term 6 at position 0 is outside [0, 6)'],
    [doc([0, 1], [1]), 'document: 2 terms but 1 counts'],
    [doc([0], [NaN]), 'document: count NaN for term 0 is not a finite number >= 0'],
    [doc([0], [-2]), 'document: count -2 for term 0 is not a finite number >= 0'],
    [doc([0], [Infinity]), 'document: count Infinity for term 0 is not a finite number >= 0'],
    [
      { terms: [0], counts: Float32Array.of(1) } as unknown as LdaDocument,
      'document: terms must be an Int32Array',
    ],
    [
      { terms: Int32Array.of(0), counts: [1] } as unknown as LdaDocument,
      'document: counts must be a Float32Array',
    ],
  ])('rejects a malformed document (%#)', (bad, message) => {
    expect(() => fixed.transform(bad)).toThrow(LdaInputError);
    expect(() => fixed.transform(bad)).toThrow(message);
  });

  it('names the bad document in perplexity and refuses documents without words', () => {
    expect(() => fixed.perplexity([fixedDocs[0], doc([9], [1])])).toThrow('docs[1]: term 9 at position 0');
    expect(() => fixed.perplexity([doc([], []), doc([0], [0])])).toThrow(/needs at least one word/);
  });

  it('rejects a lambda that does not fit or is not positive', () => {
    const settings = {
      topics: 2,
      vocabularySize: 2,
      alpha: 0.5,
      eta: 0.5,
      maxDocIterations: 10,
      meanChangeTolerance: 1e-3,
    };
    expect(() => new LdaModel({ ...settings, lambda: new Float32Array(3).fill(1) })).toThrow(
      /Float32Array of topics x vocabularySize = 4 values/,
    );
    expect(() => new LdaModel({ ...settings, lambda: Float32Array.of(1, 1, 0, 1) })).toThrow(
      'lambda[1, 0] = 0 is not a finite number > 0',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { Word2VecModel, lyricsSequences, songVector } from './index';

describe('lyricsSequences', () => {
  const docs = [
    { terms: Int32Array.of(0, 3, 7), counts: Int32Array.of(5, 1, 4) },
    { terms: Int32Array.of(2), counts: Int32Array.of(3) },
    { terms: new Int32Array(0), counts: new Int32Array(0) },
  ];

  it('expands every count once, in a seeded shuffled order', () => {
    const [first, second, empty] = lyricsSequences(docs, 42);
    expect(Array.from(first).sort((a, b) => a - b)).toEqual([0, 0, 0, 0, 0, 3, 7, 7, 7, 7]);
    expect(Array.from(second)).toEqual([2, 2, 2]);
    expect(empty).toHaveLength(0);
    expect(lyricsSequences(docs, 42)).toEqual(lyricsSequences(docs, 42));
    expect(lyricsSequences(docs, 42)[0]).not.toEqual(lyricsSequences(docs, 43)[0]);
    expect(Array.from(first)).not.toEqual([0, 0, 0, 0, 0, 3, 7, 7, 7, 7]);
  });

  it('names the document and position of a bad term or count', () => {
    expect(() => lyricsSequences([docs[0], { terms: [1, -2], counts: [1, 1] }], 1)).toThrow(
      /docs\[1\]: term -2 at position 1/,
    );
    expect(() => lyricsSequences([{ terms: [1], counts: [1.5] }], 1)).toThrow(
      /docs\[0\]: count 1.5 of term 1/,
    );
    expect(() => lyricsSequences([{ terms: [1, 2], counts: [1] }], 1)).toThrow(/2 terms but 1 counts/);
  });
});

describe('songVector', () => {
  // Token 0 = (1, 0), token 1 = (0, 1), token 2 untrained.
  const model = new Word2VecModel(2, 3, Float32Array.of(1, 0, 0, 1, 0, 0));

  it('is the count-weighted mean of word vectors without idf', () => {
    expect(songVector(model, { terms: [0, 1], counts: [3, 1] })).toEqual(Float32Array.of(0.75, 0.25));
  });

  it('weights by count × idf and ignores words without a vector', () => {
    const idf = Float32Array.of(1, 3, 5);
    expect(songVector(model, { terms: [0, 1, 2], counts: [1, 1, 9] }, idf)).toEqual(
      Float32Array.of(0.25, 0.75),
    );
  });

  it('is all zeros when no word has a vector', () => {
    expect(songVector(model, { terms: [2], counts: [4] })).toEqual(new Float32Array(2));
  });

  it('rejects terms outside the vocabulary and a mis-sized or negative idf', () => {
    expect(() => songVector(model, { terms: [3], counts: [1] })).toThrow(
      /term 3 at position 0 is outside \[0, 3\)/,
    );
    expect(() => songVector(model, { terms: [0], counts: [1] }, new Float32Array(2))).toThrow(
      /length vocabularySize=3/,
    );
    expect(() => songVector(model, { terms: [0], counts: [1] }, Float32Array.of(-1, 1, 1))).toThrow(
      /weight -1/,
    );
  });
});

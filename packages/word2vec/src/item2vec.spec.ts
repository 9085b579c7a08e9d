import { describe, expect, it } from 'vitest';
import { Word2VecModel, item2vec, recommendFromHistory, userHistories } from './index';

describe('userHistories', () => {
  it('groups items by user in row order; users without rows get empty histories', () => {
    const histories = userHistories(Int32Array.of(2, 0, 2, 2), Int32Array.of(5, 1, 3, 5));
    expect(histories).toEqual([Int32Array.of(1), new Int32Array(0), Int32Array.of(5, 3, 5)]);
  });

  it('names the entry with a negative index and rejects mismatched lengths', () => {
    expect(() => userHistories(Int32Array.of(0, -1), Int32Array.of(1, 2))).toThrow(
      /entry 1 has a negative index/,
    );
    expect(() => userHistories(Int32Array.of(0), Int32Array.of(1, 2))).toThrow(/equal length/);
  });
});

describe('item2vec', () => {
  it('pairs every two items of each history, whatever their distance', () => {
    const histories = [
      Int32Array.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11),
      Int32Array.of(3, 2, 1),
      Int32Array.of(7),
    ];
    const pairs: number[] = [];
    item2vec(histories, {
      vocabularySize: 12,
      dim: 4,
      epochs: 2,
      subsample: 0,
      onProgress: (p) => pairs.push(p.pairs),
    });
    expect(pairs).toEqual([12 * 11 + 3 * 2, 12 * 11 + 3 * 2]);
    expect(() => item2vec('x' as unknown as Int32Array[], { vocabularySize: 1 })).toThrow(
      /histories: expected an array/,
    );
  });
});

describe('recommendFromHistory', () => {
  // Unit-length items: 0 = (1, 0), 1 = (0.6, 0.8), 2 = (0, 1), 3 = (-1, 0); 4 untrained.
  const model = new Word2VecModel(2, 5, Float32Array.of(1, 0, 0.6, 0.8, 0, 1, -1, 0, 0, 0));

  it('ranks by the sum of cosines to the history, leaving the history and untrained items out', () => {
    const { tokens, scores } = recommendFromHistory(model, [0, 2, 4], 5);
    expect(Array.from(tokens)).toEqual([1, 3]);
    expect(scores[0]).toBeCloseTo(0.6 + 0.8, 6);
    expect(scores[1]).toBeCloseTo(-1, 6);
  });

  it('is empty when no history item has a vector', () => {
    expect(recommendFromHistory(model, [4], 3).tokens).toHaveLength(0);
  });
});

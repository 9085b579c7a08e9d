import { describe, expect, it } from 'vitest';
import { WORD2VEC_FORMAT_VERSION, Word2VecInputError, Word2VecModel, trainWord2Vec } from './index';
import { plantedSequences } from './planted-groups.test-helpers';

const model = trainWord2Vec(plantedSequences(3, 10, 200, 20, 1), {
  vocabularySize: 32,
  dim: 8,
  epochs: 2,
  seed: 9,
});

describe('Word2VecModel', () => {
  it('round-trips through a buffer bit for bit, untrained rows included', () => {
    const restored = Word2VecModel.fromBuffer(model.toBuffer());
    expect(restored.dim).toBe(8);
    expect(restored.vocabularySize).toBe(32);
    expect(restored.vectors).toEqual(model.vectors);
    expect(restored.hasVector(31)).toBe(false);
    expect(restored.similar(0, 5)).toEqual(model.similar(0, 5));
  });

  it('rejects corrupted, truncated, foreign and future-version buffers', () => {
    const buf = model.toBuffer();
    const flipped = Buffer.from(buf);
    flipped[buf.length - 3] ^= 0x10;
    expect(() => Word2VecModel.fromBuffer(flipped)).toThrow(/checksum mismatch/);
    expect(() => Word2VecModel.fromBuffer(buf.subarray(0, buf.length - 4))).toThrow(/needs/);
    expect(() => Word2VecModel.fromBuffer(buf.subarray(0, 10))).toThrow(/shorter than the 24-byte header/);
    expect(() => Word2VecModel.fromBuffer(Buffer.from('TGALSMDL'.padEnd(40, '\0')))).toThrow(/bad magic/);
    const future = Buffer.from(buf);
    future.writeUInt32LE(WORD2VEC_FORMAT_VERSION + 1, 8);
    expect(() => Word2VecModel.fromBuffer(future)).toThrow(/unsupported model format version 2/);
  });

  it('returns copies of vectors and ranks neighbours by cosine, best first', () => {
    const v = model.vector(0);
    v[0] = 1e6;
    expect(model.vector(0)[0]).not.toBe(1e6);
    const { tokens, scores } = model.similar(0, 29);
    expect(tokens).toHaveLength(29); // 30 trained tokens minus itself
    for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeLessThanOrEqual(scores[i - 1]);
    const a = model.vector(0);
    const b = model.vector(tokens[0]);
    const cos = a.reduce((s, x, i) => s + x * b[i], 0) / Math.hypot(...a) / Math.hypot(...b);
    expect(scores[0]).toBeCloseTo(cos, 5);
  });

  it('nearest() skips excluded tokens and answers nothing for a zero query', () => {
    const { tokens } = model.nearest(model.vector(0), 3, [0, 1]);
    expect(tokens).not.toContain(0);
    expect(tokens).not.toContain(1);
    expect(model.nearest(new Float32Array(8), 3).tokens).toHaveLength(0);
  });

  it('rejects bad tokens, k, queries and shapes', () => {
    expect(() => model.vector(32)).toThrow(/token: 32 is not an integer in \[0, 32\)/);
    expect(() => model.similar(1.5, 3)).toThrow(Word2VecInputError);
    expect(() => model.similar(0, 0)).toThrow(/k: must be a positive integer/);
    expect(() => model.nearest(new Float32Array(7), 3)).toThrow(/length 8/);
    expect(() => new Word2VecModel(8, 2, new Float32Array(15))).toThrow(/16 floats/);
    expect(() => new Word2VecModel(1, 1, Float32Array.of(NaN))).toThrow(/token 0 has a non-finite component/);
  });
});

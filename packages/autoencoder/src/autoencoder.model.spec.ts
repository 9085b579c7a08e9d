import { beforeAll, describe, expect, it } from 'vitest';
import { AutoencoderInputError } from './autoencoder.errors';
import { AutoencoderModel } from './autoencoder.model';
import { trainAutoencoder } from './autoencoder.trainer';
import { plantedBlocks } from './planted-blocks.test-helpers';

const data = plantedBlocks(11, 3, 90, 20, 6);
const history = (r: number): Int32Array => data.indices.subarray(data.indptr[r], data.indptr[r + 1]);
const fold = (m: AutoencoderModel, items: number[]) =>
  m.foldIn({ items: Int32Array.from(items), counts: new Float32Array(items.length).fill(1) });
const itemIds = Array.from({ length: data.cols }, (_, i) => `SONG${i}`);

describe('AutoencoderModel', () => {
  let model: AutoencoderModel;

  beforeAll(async () => {
    ({ model } = await trainAutoencoder(data, {
      variant: 'dae',
      hidden: [16, 8],
      epochs: 10,
      batchSize: 16,
      learningRate: 0.01,
      seed: 2,
      itemIds,
    }));
  });

  it('round-trips through bytes with its item index', async () => {
    const bytes = model.toBuffer();
    const loaded = AutoencoderModel.fromBuffer(bytes);
    expect(loaded.itemIds).toEqual(itemIds);
    expect(loaded.variant).toBe('dae');
    expect(loaded.hidden).toEqual([16, 8]);
    expect(Array.from(loaded.vocab)).toEqual(Array.from(model.vocab));
    const h = history(4);
    expect(loaded.recommendMany([h], 10)).toEqual(model.recommendMany([h], 10));
    expect(loaded.toBuffer().equals(bytes)).toBe(true);
    loaded.dispose();
  });

  it('rejects corrupt, truncated and foreign bytes', () => {
    const bytes = model.toBuffer();
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 3] ^= 0x10;
    expect(() => AutoencoderModel.fromBuffer(flipped)).toThrow(/checksum/);
    expect(() => AutoencoderModel.fromBuffer(bytes.subarray(0, bytes.length - 8))).toThrow(
      AutoencoderInputError,
    );
    expect(() => AutoencoderModel.fromBuffer(Buffer.from('TGALSMDL....................'))).toThrow(/magic/);
  });

  it('folds in a new user: recommends from a history alone, with exclusions and filters', () => {
    // A history the model never saw: three items of block 1.
    const fresh = [20, 25, 31];
    const user = fold(model, fresh);
    const all = model.recommend(user, 10);
    expect(model.recommendMany([fresh], 10)[0]).toEqual(all);
    expect(all.ids.length).toBe(10);
    expect(Array.from(all.ids).filter((i) => data.blockOfItem(i) === 1).length).toBeGreaterThanOrEqual(8);
    for (let i = 1; i < 10; i++) expect(all.scores[i]).toBeLessThanOrEqual(all.scores[i - 1]);
    expect(Array.from(all.ids).some((i) => fresh.includes(i))).toBe(false);
    expect(Array.from(model.recommend(user, 10, [all.ids[0]]).ids)).not.toContain(all.ids[0]);
    const [even] = model.recommendMany([fresh], 10, { exclude: [all.ids[0]], filter: (i) => i % 2 === 0 });
    expect(Array.from(even.ids)).not.toContain(all.ids[0]);
    expect(Array.from(even.ids).every((i) => i % 2 === 0)).toBe(true);
    // An empty history still ranks (the decoder's prior); no error.
    expect(model.recommend(fold(model, []), 3).ids.length).toBe(3);
  });

  it('explains a recommendation by the history item whose removal costs it most', () => {
    // Two blocks in the history: the in-block history item must explain an in-block recommendation.
    const mixed = [0, 3, 5, 41];
    const user = fold(model, mixed);
    const top = model.recommend(user, 1).ids[0];
    const [explanation] = model.contributions(mixed, [top]);
    expect(explanation.item).toBe(top);
    expect(explanation.contributions.map((c) => c.item).sort((a, b) => a - b)).toEqual(mixed);
    const best = explanation.contributions[0];
    expect(data.blockOfItem(best.item)).toBe(data.blockOfItem(top));
    expect(best.contribution).toBeGreaterThan(0);
    expect(model.explain(user, top)).toEqual(best);
    const c = explanation.contributions.map((x) => x.contribution);
    expect([...c].sort((a, b) => b - a)).toEqual(c);
  });

  it('rejects unknown items', () => {
    expect(() => model.recommendMany([[data.cols]], 5)).toThrow(AutoencoderInputError);
    expect(() => model.recommendMany([[1.5]], 5)).toThrow(/outside/);
    expect(() => fold(model, [data.cols])).toThrow(/outside/);
    expect(() => model.recommend(fold(model, [1]), -1)).toThrow(/k/);
    expect(() => model.contributions([1], [data.cols + 3])).toThrow(/targets\[0\]/);
  });
});

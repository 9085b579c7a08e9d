import { SeededRandom } from '@tunegraph/vectors';
import { describe, expect, it } from 'vitest';
import { autoencoderKind } from './autoencoder.kind';
import { ModelRegistry, type TrainingData } from './model-kind';

/** Two disjoint taste groups of 40 users and 12 songs; each user plays 6 songs of their group. */
function plantedData(): TrainingData {
  const rng = new SeededRandom(3);
  const users: number[] = [];
  const items: number[] = [];
  for (let u = 0; u < 80; u++) {
    const group = u % 2;
    const order = Int32Array.from({ length: 12 }, (_, i) => group * 12 + i);
    rng.shuffle(order);
    for (const song of order.subarray(0, 6)) {
      users.push(u);
      items.push(song);
    }
  }
  return {
    numUsers: 80,
    numItems: 24,
    users: Int32Array.from(users),
    items: Int32Array.from(items),
    counts: Float32Array.from(users, () => 1 + rng.nextInt(4)),
  };
}

const registry = new ModelRegistry([autoencoderKind]);
const log = () => undefined;

describe('the autoencoder model kind', () => {
  it('fills the defaults and lists every bad hyperparameter', () => {
    expect(registry.params('autoencoder', {})).toMatchObject({
      variant: 'vae',
      hidden: [100, 32],
      earlyStopping: true,
    });
    expect(() => registry.params('autoencoder', { variant: 'gan', dropout: 1, hidden: [] })).toThrow(
      /variant.*hidden|hidden.*variant/s,
    );
    expect(() => registry.params('autoencoder', { dropout: 1, learningRate: 0 })).toThrow(
      expect.objectContaining({
        code: 'BAD_USER_INPUT',
        details: [expect.stringMatching(/^learningRate/), expect.stringMatching(/^dropout/)],
      }),
    );
  });

  it('fits a Recommender that folds in any history, excludes it, explains, and survives its bytes', async () => {
    const params = registry.params('autoencoder', {
      hidden: [12, 6],
      epochs: 15,
      batchSize: 16,
      learningRate: 0.02,
      earlyStopping: false,
      minItemUsers: 1,
    }) as Parameters<typeof autoencoderKind.fit>[1];
    const model = await autoencoderKind.fit(plantedData(), params, log);
    expect(model.kind).toBe('autoencoder');
    expect(model.numItems).toBe(24);
    // A new listener of three group-1 songs.
    const history = { items: Int32Array.of(12, 15, 20), counts: Float32Array.of(1, 2, 1) };
    const user = model.foldIn(history);
    const top = model.recommend(user, 5, history.items);
    expect(Array.from(top.ids).every((i) => i >= 12 && !history.items.includes(i))).toBe(true);
    const why = model.explain(user, top.ids[0]);
    expect(why === undefined || history.items.includes(why.item)).toBe(true);
    const loaded = autoencoderKind.load(model.toBuffer());
    expect(loaded.recommend(loaded.foldIn(history), 5, history.items)).toEqual(top);
    expect(() => model.foldIn({ items: Int32Array.of(99), counts: Float32Array.of(1) })).toThrow(/outside/);
  });

  it('stops early on a validation holdout when asked', async () => {
    const logged: Record<string, unknown>[] = [];
    const params = registry.params('autoencoder', {
      hidden: [12, 6],
      epochs: 6,
      batchSize: 16,
      minItemUsers: 1,
      patience: 2,
    }) as Parameters<typeof autoencoderKind.fit>[1];
    await autoencoderKind.fit(plantedData(), params, (fields) => logged.push(fields));
    const epochs = logged.filter((f) => 'epoch' in f);
    expect(epochs.length).toBeGreaterThan(0);
    expect(epochs.every((f) => typeof f.validationNdcg === 'number')).toBe(true);
    expect(logged.at(-1)).toMatchObject({ bestEpoch: expect.any(Number) });
  });
});

import { ndcgAtK } from '@tunegraph/metrics';
import { beforeAll, describe, expect, it } from 'vitest';
import { AutoencoderInputError } from './autoencoder.errors';
import type { AutoencoderOptions } from './autoencoder.options';
import { EarlyStopping, klWeight, trainAutoencoder, type TrainResult } from './autoencoder.trainer';
import { plantedBlocks } from './planted-blocks.test-helpers';
import type { SparseRows } from './sparse.rows';

const data = plantedBlocks(3);
const history = (m: SparseRows, r: number): Int32Array => m.indices.subarray(m.indptr[r], m.indptr[r + 1]);
const small: AutoencoderOptions = {
  variant: 'vae',
  hidden: [16, 8],
  epochs: 12,
  batchSize: 32,
  learningRate: 0.01,
  annealSteps: 50,
  seed: 5,
};

describe('KL annealing', () => {
  it('ramps beta linearly per update up to the cap, and is 0 for the DAE', () => {
    expect(klWeight('vae', 0, 0.2, 100)).toBe(0);
    expect(klWeight('vae', 50, 0.2, 100)).toBe(0.2);
    expect(klWeight('vae', 10, 0.2, 100)).toBeCloseTo(0.1, 10);
    expect(klWeight('vae', 1_000, 0.2, 100)).toBe(0.2);
    expect(klWeight('vae', 0, 0.3, 0)).toBe(0.3);
    expect(klWeight('dae', 500, 0.2, 100)).toBe(0);
  });
});

describe('early stopping', () => {
  it('stops after `patience` epochs without a better score and remembers the best epoch', () => {
    const stopping = new EarlyStopping(2);
    const verdicts = [0.1, 0.3, 0.2, 0.3, 0.25].map((score, i) => stopping.update(i + 1, score));
    expect(verdicts.map((v) => v.improved)).toEqual([true, true, false, false, false]);
    expect(verdicts.map((v) => v.stop)).toEqual([false, false, false, true, true]);
    expect(stopping.bestEpoch).toBe(2);
    expect(stopping.best).toBe(0.3);
  });
});

describe('training on planted blocks', () => {
  let vae: TrainResult;
  let again: TrainResult;
  let dae: TrainResult;
  const heldOut = new Map<number, Set<number>>();
  let fit: SparseRows;

  beforeAll(async () => {
    // Validation: each of the first 40 users hides their last 2 items from the fitted rows.
    const indices: number[] = [];
    const indptr = [0];
    for (let u = 0; u < data.rows; u++) {
      const h = Array.from(history(data, u));
      const keep = u < 40 ? h.slice(0, -2) : h;
      if (u < 40) heldOut.set(u, new Set(h.slice(-2)));
      indices.push(...keep);
      indptr.push(indices.length);
    }
    fit = {
      rows: data.rows,
      cols: data.cols,
      indptr: Int32Array.from(indptr),
      indices: Int32Array.from(indices),
    };
    const validation = { history: fit, heldOut, k: 10 };
    vae = await trainAutoencoder(fit, { ...small, validation, patience: 3 });
    again = await trainAutoencoder(fit, { ...small, validation, patience: 3 });
    dae = await trainAutoencoder(data, { ...small, variant: 'dae', epochs: 8 });
  });

  it('lowers the loss and reports every epoch', () => {
    const losses = dae.epochs.map((e) => e.negLogLikelihood);
    expect(dae.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(losses.at(-1)).toBeLessThan(losses[0] * 0.9);
    expect(dae.epochs.every((e) => e.kl === 0 && e.beta === 0)).toBe(true);
    // The VAE's KL weight follows the annealing schedule: 7 updates per epoch, 1/50 each, capped at 0.2.
    expect(vae.epochs[0].beta).toBeCloseTo(7 / 50, 6);
    expect(vae.epochs.at(-1)?.beta).toBe(0.2);
  });

  it('is deterministic for a seed', () => {
    expect(again.epochs.map((e) => e.loss)).toEqual(vae.epochs.map((e) => e.loss));
    expect(again.model.toBuffer().equals(vae.model.toBuffer())).toBe(true);
  });

  it('keeps the weights of the best validation epoch', () => {
    const scores = vae.epochs.map((e) => e.validationNdcg as number);
    expect(vae.bestEpoch).toBe(scores.indexOf(Math.max(...scores)) + 1);
    if (vae.stoppedEarly) expect(vae.epochs.length - vae.bestEpoch).toBe(3);
    const users = [...heldOut.keys()];
    const recs = vae.model.recommendMany(
      users.map((u) => history(fit, u)),
      10,
    );
    const ndcg =
      users.reduce((s, u, i) => s + ndcgAtK(recs[i].ids, heldOut.get(u) as Set<number>, 10), 0) /
      users.length;
    expect(ndcg).toBeCloseTo(vae.bestValidationNdcg as number, 5);
    // Items are uniform within a block, so the best possible ranking is any in-block one (about 0.3); a random
    // ranking over the catalog scores about 0.06.
    expect(ndcg).toBeGreaterThan(0.1);
  });

  it('recommends inside the user’s block, history excluded', () => {
    for (const result of [vae, dae]) {
      let inBlock = 0;
      for (let u = 0; u < data.rows; u++) {
        const seen = history(data, u);
        const [{ ids }] = result.model.recommendMany([seen], 5);
        expect(ids.some((i) => seen.includes(i))).toBe(false);
        inBlock += ids.filter((i) => data.blockOfItem(i) === data.blockOfUser(u)).length;
      }
      expect(inBlock / (5 * data.rows)).toBeGreaterThan(0.9);
    }
  });
});

describe('bad input', () => {
  it('names the bad option', async () => {
    await expect(trainAutoencoder(data, { ...small, hidden: [] })).rejects.toThrow(/hidden/);
    await expect(trainAutoencoder(data, { ...small, dropout: 1 })).rejects.toThrow(/dropout/);
    await expect(trainAutoencoder(data, { ...small, learningRate: -1 })).rejects.toThrow(
      AutoencoderInputError,
    );
    await expect(trainAutoencoder(data, { ...small, variant: 'gan' as 'vae' })).rejects.toThrow(/variant/);
  });

  it('rejects an empty or malformed matrix', async () => {
    const empty = { rows: 3, cols: 4, indptr: new Int32Array(4), indices: new Int32Array(0) };
    await expect(trainAutoencoder(empty, small)).rejects.toThrow(/nothing to learn/);
    const broken = { rows: 1, cols: 2, indptr: Int32Array.of(0, 1), indices: Int32Array.of(5) };
    await expect(trainAutoencoder(broken, small)).rejects.toThrow(/outside/);
  });
});

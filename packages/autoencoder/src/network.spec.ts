import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initialParameters, layerShapes, matMul, Network, sparseInputLayer } from './network';
import { buildBatch } from './sparse.rows';
import { ensureBackend } from './tf.backend';

beforeAll(async () => {
  expect(['tensorflow', 'wasm']).toContain(await ensureBackend());
});

describe('layer shapes (Liang et al. 2018)', () => {
  it('mirrors a tanh encoder for the DAE', () => {
    expect(layerShapes({ variant: 'dae', vocabSize: 1000, hidden: [600, 200] })).toEqual([
      { rows: 1000, cols: 600, tanh: true },
      { rows: 600, cols: 200, tanh: true },
      { rows: 200, cols: 600, tanh: true },
      { rows: 600, cols: 1000, tanh: false },
    ]);
  });

  it('ends the VAE encoder in a linear mean and log-variance layer', () => {
    expect(layerShapes({ variant: 'vae', vocabSize: 1000, hidden: [600, 200] })).toEqual([
      { rows: 1000, cols: 600, tanh: true },
      { rows: 600, cols: 400, tanh: false },
      { rows: 200, cols: 600, tanh: true },
      { rows: 600, cols: 1000, tanh: false },
    ]);
  });

  it('initialises deterministically from the seed', () => {
    const arch = { variant: 'vae' as const, vocabSize: 50, hidden: [8, 4] };
    expect(initialParameters(arch, 3)).toEqual(initialParameters(arch, 3));
    expect(initialParameters(arch, 3)[0]).not.toEqual(initialParameters(arch, 4)[0]);
    expect(initialParameters(arch, 3).map((p) => p.length)).toEqual([400, 8, 64, 8, 32, 8, 400, 50]);
  });
});

describe('batches from sparse rows', () => {
  it('L2-normalises the binary input and rescales the kept entries by the keep probability', () => {
    const flips = [true, false, true, true, true];
    const batch = buildBatch(
      [Int32Array.of(0, 3), Int32Array.of(), Int32Array.of(1, 2, 4)],
      5,
      () => flips.shift() as boolean,
      0.5,
    );
    expect(batch.size).toBe(3);
    expect(Array.from(batch.segments)).toEqual([0, 2, 2, 2]);
    expect(Array.from(batch.items)).toEqual([0, 1, 2, 4]);
    expect(batch.scales[0]).toBeCloseTo(1 / Math.SQRT2 / 0.5, 6);
    expect(batch.scales[1]).toBe(0);
    expect(batch.scales[2]).toBeCloseTo(1 / Math.sqrt(3) / 0.5, 6);
    // The target is the whole history, dropped entries included.
    expect(Array.from(batch.target)).toEqual([1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1]);
  });
});

describe('custom-gradient layers', () => {
  it('the sparse input layer equals the dense product, forward and backward', () => {
    const histories = [Int32Array.of(1, 4), Int32Array.of(0, 1, 2), Int32Array.of()];
    const batch = buildBatch(histories, 6);
    const w = tf.randomNormal([6, 3], 0, 1, 'float32', 5) as tf.Tensor2D;
    const dense = tf.tensor2d(
      histories.flatMap((h, b) => Array.from({ length: 6 }, (_, j) => (h.includes(j) ? batch.scales[b] : 0))),
      [3, 6],
    );
    const upstream = tf.randomNormal([3, 3], 0, 1, 'float32', 6);
    const sparse = tf.grad((v: tf.Tensor) =>
      sparseInputLayer(batch, v as tf.Tensor2D)
        .mul(upstream)
        .sum(),
    );
    const reference = tf.grad((v: tf.Tensor) =>
      tf
        .matMul(dense, v as tf.Tensor2D)
        .mul(upstream)
        .sum(),
    );
    expectClose(sparseInputLayer(batch, w), tf.matMul(dense, w));
    expectClose(sparse(w), reference(w));
  });

  it('matMul with transposed-copy gradients equals the built-in gradients', () => {
    const x = tf.randomNormal([4, 5], 0, 1, 'float32', 1) as tf.Tensor2D;
    const w = tf.randomNormal([5, 3], 0, 1, 'float32', 2) as tf.Tensor2D;
    const upstream = tf.randomNormal([4, 3], 0, 1, 'float32', 3);
    const ours = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      matMul(a as tf.Tensor2D, b as tf.Tensor2D)
        .mul(upstream)
        .sum(),
    );
    const builtIn = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf
        .matMul(a as tf.Tensor2D, b as tf.Tensor2D)
        .mul(upstream)
        .sum(),
    );
    const [dx, dw] = ours([x, w]);
    const [rx, rw] = builtIn([x, w]);
    expectClose(dx, rx);
    expectClose(dw, rw);
  });
});

describe('forward pass', () => {
  it('gives batch × vocabulary logits, and the VAE a latent mean and log-variance', () => {
    const arch = { variant: 'vae' as const, vocabSize: 20, hidden: [8, 4] };
    const network = new Network(arch, initialParameters(arch, 1), false);
    const batch = buildBatch([Int32Array.of(1, 2), Int32Array.of(3)], 20);
    const shapes = tf.tidy(() => {
      const out = network.forward(batch);
      return [out.logits.shape, out.mu?.shape, out.logVariance?.shape];
    });
    expect(shapes).toEqual([
      [2, 20],
      [2, 4],
      [2, 4],
    ]);
    const logp = network.logProbabilities(batch);
    // log-softmax rows are normalised distributions.
    for (const b of [0, 1]) {
      const total = logp.subarray(b * 20, (b + 1) * 20).reduce((s, v) => s + Math.exp(v), 0);
      expect(total).toBeCloseTo(1, 4);
    }
    network.dispose();
  });
});

function expectClose(a: tf.Tensor, b: tf.Tensor): void {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  for (let i = 0; i < x.length; i++) expect(x[i]).toBeCloseTo(y[i], 4);
}

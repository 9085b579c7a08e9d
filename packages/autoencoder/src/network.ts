import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from '@tunegraph/vectors';
import type { SparseBatch } from './sparse.rows';

export type Variant = 'dae' | 'vae';

export interface Architecture {
  variant: Variant;
  /** Items the network reads and scores (its vocabulary). */
  vocabSize: number;
  /** Encoder widths, the last one being the latent size, e.g. [600, 200]. The decoder mirrors them. */
  hidden: number[];
}

interface LayerShape {
  rows: number;
  cols: number;
  tanh: boolean;
}

/**
 * Liang et al. 2018: tanh on every layer but the output. The DAE's encoder ends in a tanh code of the latent width;
 * the VAE's ends in a linear layer giving the mean and log-variance (twice the latent width).
 */
export function layerShapes(arch: Architecture): LayerShape[] {
  const { variant, vocabSize, hidden } = arch;
  const latent = hidden[hidden.length - 1];
  const encoderOut = variant === 'vae' ? [...hidden.slice(0, -1), 2 * latent] : hidden;
  const dims = [vocabSize, ...encoderOut];
  const shapes: LayerShape[] = [];
  for (let l = 0; l + 1 < dims.length; l++) {
    shapes.push({ rows: dims[l], cols: dims[l + 1], tanh: variant === 'dae' || l + 2 < dims.length });
  }
  const decoder = [latent, ...hidden.slice(0, -1).reverse(), vocabSize];
  for (let l = 0; l + 1 < decoder.length; l++) {
    shapes.push({ rows: decoder[l], cols: decoder[l + 1], tanh: l + 2 < decoder.length });
  }
  return shapes;
}

/** Parameters in layer order: weight (rows × cols) then bias (cols) of each layer. */
export function initialParameters(arch: Architecture, seed: number): Float32Array[] {
  const rng = new SeededRandom(seed);
  const params: Float32Array[] = [];
  for (const { rows, cols } of layerShapes(arch)) {
    // Xavier/Glorot uniform weights and tiny normal biases, as in the paper's code.
    const limit = Math.sqrt(6 / (rows + cols));
    const w = new Float32Array(rows * cols);
    for (let i = 0; i < w.length; i++) w[i] = (2 * rng.nextFloat() - 1) * limit;
    const b = new Float32Array(cols);
    for (let i = 0; i < b.length; i++) b[i] = 0.001 * rng.nextGaussian();
    params.push(w, b);
  }
  return params;
}

export interface ForwardResult {
  logits: tf.Tensor2D;
  mu?: tf.Tensor2D;
  logVariance?: tf.Tensor2D;
}

/** The network's tensors; call inside tf.tidy (or the optimizer) since every op allocates. */
export class Network {
  readonly shapes: LayerShape[];
  readonly params: tf.Variable[];
  readonly latent: number;

  constructor(
    readonly arch: Architecture,
    values: Float32Array[],
    trainable: boolean,
  ) {
    this.shapes = layerShapes(arch);
    this.latent = arch.hidden[arch.hidden.length - 1];
    this.params = this.shapes.flatMap(({ rows, cols }, l) => [
      tf.variable(tf.tensor2d(values[2 * l], [rows, cols]), trainable),
      tf.variable(tf.tensor1d(values[2 * l + 1]), trainable),
    ]);
  }

  /**
   * Input dropout is already applied to `batch`; `noise` (batch × latent standard normals) makes the VAE sample
   * z = μ + ε·σ, without it z = μ (the deterministic pass used for recommending).
   */
  forward(batch: SparseBatch, noise?: Float32Array): ForwardResult {
    const [w0, b0] = this.params;
    let x: tf.Tensor2D = sparseInputLayer(batch, w0 as tf.Tensor2D).add(b0);
    const encoderLayers = this.arch.hidden.length;
    if (this.shapes[0].tanh) x = tf.tanh(x);
    let mu: tf.Tensor2D | undefined;
    let logVariance: tf.Tensor2D | undefined;
    for (let l = 0; l < this.shapes.length; l++) {
      if (l > 0) {
        x = matMul(x, this.params[2 * l] as tf.Tensor2D).add(this.params[2 * l + 1]);
        if (this.shapes[l].tanh) x = tf.tanh(x);
      }
      if (l === encoderLayers - 1 && this.arch.variant === 'vae') {
        mu = x.slice([0, 0], [batch.size, this.latent]);
        logVariance = x.slice([0, this.latent], [batch.size, this.latent]);
        x =
          noise === undefined
            ? mu
            : mu.add(tf.tensor2d(noise, [batch.size, this.latent]).mul(tf.exp(logVariance.mul(0.5))));
      }
    }
    return { logits: x, mu, logVariance };
  }

  /** log softmax over the vocabulary: the multinomial log-probabilities. */
  logProbabilities(batch: SparseBatch): Float32Array {
    return tf.tidy(() => tf.logSoftmax(this.forward(batch).logits)).dataSync() as Float32Array;
  }

  /** Copies of the current parameter values (for the best epoch and for saving). */
  snapshot(): Float32Array[] {
    return this.params.map((p) => Float32Array.from(p.dataSync() as Float32Array));
  }

  assign(values: Float32Array[]): void {
    this.params.forEach((p, i) => p.assign(tf.tensor(values[i], p.shape)));
  }

  /** Σ‖W‖² over the weight matrices (biases are not regularised). */
  weightSquares(): tf.Scalar {
    return tf.addN(this.params.filter((_, i) => i % 2 === 0).map((w) => tf.sum(tf.square(w)))) as tf.Scalar;
  }

  dispose(): void {
    for (const p of this.params) p.dispose();
  }
}

/**
 * x·W with gradients computed on explicit transposes: the wasm backend's matMul with a transposed operand (what the
 * default gradient uses) runs about 8× slower than on a transposed copy.
 */
export const matMul = tf.customGrad((x, w, save) => {
  const a = x as tf.Tensor2D;
  const b = w as tf.Tensor2D;
  (save as tf.GradSaveFunc)([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sw] = saved as tf.Tensor2D[];
      return [tf.matMul(dy as tf.Tensor2D, tf.transpose(sw)), tf.matMul(tf.transpose(sx), dy as tf.Tensor2D)];
    },
  };
}) as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

/**
 * The first layer on the sparse binary input: row b of the result is scale_b · Σ W[j] over the row's kept items,
 * so its cost is (kept entries × width), not (batch × vocabulary × width). The gradient scatters back into W.
 */
export function sparseInputLayer(batch: SparseBatch, w: tf.Tensor2D): tf.Tensor2D {
  const { size, segments, items, scales } = batch;
  const cols = w.shape[1];
  const layer = tf.customGrad((weights) => {
    const wt = weights as tf.Tensor2D;
    return {
      value: tf.tidy(() => {
        let sums: tf.Tensor2D = tf.zeros([0, cols]);
        if (items.length > 0) {
          sums = tf.sparse.sparseSegmentSum(
            wt,
            tf.tensor1d(items, 'int32'),
            tf.tensor1d(segments, 'int32'),
          ) as tf.Tensor2D;
        }
        // Trailing rows whose every item was dropped get no segment: pad them with zeros.
        if (sums.shape[0] < size) sums = tf.concat([sums, tf.zeros([size - sums.shape[0], cols])]);
        return sums.mul(tf.tensor2d(scales, [size, 1]));
      }),
      gradFunc: (dy: tf.Tensor) => {
        if (items.length === 0) return [tf.zerosLike(wt)];
        const perEntry = tf.gather(dy.mul(tf.tensor2d(scales, [size, 1])), tf.tensor1d(segments, 'int32'));
        return [tf.scatterND(tf.tensor2d(items, [items.length, 1], 'int32'), perEntry, wt.shape)];
      },
    };
  }) as (weights: tf.Tensor2D) => tf.Tensor2D;
  return layer(w);
}

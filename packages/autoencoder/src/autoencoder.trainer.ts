import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import { ndcgAtK } from '@tunegraph/metrics';
import { SeededRandom } from '@tunegraph/vectors';
import { AutoencoderInputError } from './autoencoder.errors';
import { AutoencoderModel } from './autoencoder.model';
import {
  resolveOptions,
  type AutoencoderOptions,
  type EpochProgress,
  type ResolvedOptions,
} from './autoencoder.options';
import { initialParameters, Network, type Architecture } from './network';
import { rankRow } from './slot.ranking';
import { buildBatch, checkSparseRows, type SparseRows } from './sparse.rows';
import { ensureBackend } from './tf.backend';

const VALIDATION_BATCH = 256;

export interface TrainResult {
  model: AutoencoderModel;
  epochs: EpochProgress[];
  /** Epoch whose weights the model holds: the best on validation, else the last. */
  bestEpoch: number;
  bestValidationNdcg?: number;
  stoppedEarly: boolean;
  backend: string;
}

/** KL weight after `step` updates: linear warm-up to the cap (Liang et al. 2018 §2.2.2); 0 for the DAE. */
export function klWeight(variant: 'dae' | 'vae', step: number, betaCap: number, annealSteps: number): number {
  if (variant === 'dae') return 0;
  return annealSteps === 0 ? betaCap : Math.min(betaCap, step / annealSteps);
}

/**
 * Tracks the best validation score; `improved` says whether the new score is the best so far and `stop` whether
 * `patience` epochs have now passed without an improvement.
 */
export class EarlyStopping {
  best = -Infinity;
  bestEpoch = 0;
  constructor(private readonly patience: number) {}

  update(epoch: number, score: number): { improved: boolean; stop: boolean } {
    const improved = score > this.best;
    if (improved) {
      this.best = score;
      this.bestEpoch = epoch;
    }
    return { improved, stop: epoch - this.bestEpoch >= this.patience };
  }
}

/**
 * Trains a Mult-DAE or Mult-VAE (Liang et al. 2018) on binary user × item interactions: L2-normalised input with
 * dropout, tanh layers, softmax output with the multinomial log-likelihood, Adam. Each mini-batch holds
 * `batchSize` user rows, built from the sparse rows (the only dense arrays are batch × vocabulary).
 */
export async function trainAutoencoder(
  matrix: SparseRows,
  options: AutoencoderOptions,
): Promise<TrainResult> {
  const opts = resolveOptions(options);
  checkSparseRows('matrix', matrix);
  if (opts.validation !== undefined)
    checkValidation(matrix, opts.validation.history, opts.validation.heldOut);
  if (opts.itemIds !== undefined && opts.itemIds.length !== matrix.cols) {
    throw new AutoencoderInputError('itemIds', `${opts.itemIds.length} ids for ${matrix.cols} items`);
  }
  const backend = await ensureBackend();

  const vocab = vocabulary(matrix, opts.minItemUsers);
  if (vocab.length === 0) {
    throw new AutoencoderInputError(
      'matrix',
      `no item has ${opts.minItemUsers} or more users: nothing to learn`,
    );
  }
  const slot = new Int32Array(matrix.cols).fill(-1);
  vocab.forEach((item, v) => (slot[item] = v));
  const toSlots = (m: SparseRows, row: number): Int32Array => {
    const out: number[] = [];
    for (let p = m.indptr[row]; p < m.indptr[row + 1]; p++)
      if (slot[m.indices[p]] >= 0) out.push(slot[m.indices[p]]);
    return Int32Array.from(new Set(out));
  };
  const users = Int32Array.from({ length: matrix.rows }, (_, r) => r).filter(
    (r) => toSlots(matrix, r).length > 0,
  );
  if (users.length === 0) throw new AutoencoderInputError('matrix', 'no user has a play of a learnable item');

  const arch: Architecture = { variant: opts.variant, vocabSize: vocab.length, hidden: opts.hidden };
  const rng = new SeededRandom(opts.seed);
  const network = new Network(arch, initialParameters(arch, rng.nextUint32()), true);
  const optimizer = tf.train.adam(opts.learningRate);
  const keep = 1 - opts.dropout;
  const stopping = new EarlyStopping(opts.patience);
  const epochs: EpochProgress[] = [];
  let best: Float32Array[] | undefined;
  let step = 0;
  let stoppedEarly = false;

  try {
    for (let epoch = 1; epoch <= opts.epochs; epoch++) {
      const started = performance.now();
      rng.shuffle(users);
      const sums = { loss: 0, nll: 0, kl: 0 };
      for (let start = 0; start < users.length; start += opts.batchSize) {
        const rows = Array.from(users.subarray(start, start + opts.batchSize), (r) => toSlots(matrix, r));
        const batch = buildBatch(rows, vocab.length, () => rng.nextFloat() < keep, keep);
        const noise =
          opts.variant === 'vae'
            ? Float32Array.from({ length: batch.size * network.latent }, () => rng.nextGaussian())
            : undefined;
        const beta = klWeight(opts.variant, step, opts.betaCap, opts.annealSteps);
        const parts = trainStep(network, optimizer, opts, batch, noise, beta);
        sums.loss += parts.loss * batch.size;
        sums.nll += parts.nll * batch.size;
        sums.kl += parts.kl * batch.size;
        step++;
      }
      const validationNdcg =
        opts.validation === undefined ? undefined : validate(network, opts, vocab, toSlots);
      let stop = false;
      if (validationNdcg !== undefined) {
        const verdict = stopping.update(epoch, validationNdcg);
        if (verdict.improved) best = network.snapshot();
        stop = verdict.stop;
      }
      const progress: EpochProgress = {
        epoch,
        maxEpochs: opts.epochs,
        loss: sums.loss / users.length,
        negLogLikelihood: sums.nll / users.length,
        kl: sums.kl / users.length,
        beta: klWeight(opts.variant, step, opts.betaCap, opts.annealSteps),
        validationNdcg,
        bestEpoch: validationNdcg === undefined ? epoch : stopping.bestEpoch,
        seconds: (performance.now() - started) / 1000,
      };
      epochs.push(progress);
      opts.onEpoch?.(progress);
      if (!Number.isFinite(progress.loss)) {
        throw new AutoencoderInputError(
          'learningRate',
          `training diverged at epoch ${epoch} (loss ${progress.loss})`,
        );
      }
      if (stop && epoch < opts.epochs) {
        stoppedEarly = true;
        break;
      }
    }
    const model = AutoencoderModel.fromState({
      variant: opts.variant,
      hidden: opts.hidden,
      numItems: matrix.cols,
      vocab,
      parameters: best ?? network.snapshot(),
      itemIds: opts.itemIds,
    });
    return {
      model,
      epochs,
      bestEpoch: best === undefined ? epochs.length : stopping.bestEpoch,
      bestValidationNdcg: best === undefined ? undefined : stopping.best,
      stoppedEarly,
      backend,
    };
  } finally {
    network.dispose();
    optimizer.dispose();
  }
}

/** One Adam update; returns the batch's mean loss and its parts per user. */
function trainStep(
  network: Network,
  optimizer: tf.Optimizer,
  opts: ResolvedOptions,
  batch: ReturnType<typeof buildBatch>,
  noise: Float32Array | undefined,
  beta: number,
): { loss: number; nll: number; kl: number } {
  let parts: tf.Tensor1D | undefined;
  const cost = optimizer.minimize(
    () => {
      const { logits, mu, logVariance } = network.forward(batch, noise);
      const target = tf.tensor2d(batch.target, [batch.size, network.arch.vocabSize]);
      const nll = tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), target))).div(batch.size) as tf.Scalar;
      let loss = nll;
      let kl: tf.Scalar = tf.scalar(0);
      if (mu !== undefined && logVariance !== undefined) {
        // KL(N(μ, σ²) ‖ N(0, I)) per user, averaged over the batch.
        kl = tf
          .sum(tf.exp(logVariance).add(tf.square(mu)).sub(logVariance).sub(1))
          .mul(0.5)
          .div(batch.size);
        loss = loss.add(kl.mul(beta));
      }
      if (opts.regularization > 0) loss = loss.add(network.weightSquares().mul(opts.regularization));
      parts = tf.keep(tf.stack([loss, nll, kl]) as tf.Tensor1D);
      return loss;
    },
    false,
    network.params,
  );
  cost?.dispose();
  const values = (parts as unknown as tf.Tensor1D).dataSync();
  (parts as unknown as tf.Tensor1D).dispose();
  return { loss: values[0], nll: values[1], kl: values[2] };
}

/** Mean NDCG@k over the validation users, recommending from their histories without dropout, history excluded. */
function validate(
  network: Network,
  opts: ResolvedOptions,
  vocab: Int32Array,
  toSlots: (m: SparseRows, row: number) => Int32Array,
): number {
  const { history, heldOut } = opts.validation as NonNullable<ResolvedOptions['validation']>;
  const k = opts.validation?.k ?? 100;
  const users = [...heldOut.keys()].filter((r) => heldOut.get(r)?.size).sort((a, b) => a - b);
  let sum = 0;
  for (let start = 0; start < users.length; start += VALIDATION_BATCH) {
    const rows = users.slice(start, start + VALIDATION_BATCH).map((r) => toSlots(history, r));
    const logp = network.logProbabilities(buildBatch(rows, vocab.length));
    rows.forEach((slots, b) => {
      const ranked = rankRow(logp, b, vocab, slots, k).ids;
      sum += ndcgAtK(ranked, heldOut.get(users[start + b]) as Set<number>, k);
    });
  }
  return users.length === 0 ? 0 : sum / users.length;
}

/** Items with at least `minUsers` distinct users, in increasing order: the network's input and output units. */
function vocabulary(matrix: SparseRows, minUsers: number): Int32Array {
  const users = new Int32Array(matrix.cols);
  for (let r = 0; r < matrix.rows; r++) {
    const row = new Set(matrix.indices.subarray(matrix.indptr[r], matrix.indptr[r + 1]));
    for (const item of row) users[item]++;
  }
  const out: number[] = [];
  for (let item = 0; item < matrix.cols; item++) if (users[item] >= minUsers) out.push(item);
  return Int32Array.from(out);
}

function checkValidation(matrix: SparseRows, history: SparseRows, heldOut: Map<number, Set<number>>): void {
  checkSparseRows('validation.history', history);
  if (history.cols !== matrix.cols) {
    throw new AutoencoderInputError(
      'validation.history',
      `has ${history.cols} items, the matrix ${matrix.cols}`,
    );
  }
  for (const [row, items] of heldOut) {
    if (!Number.isInteger(row) || row < 0 || row >= history.rows) {
      throw new AutoencoderInputError('validation.heldOut', `row ${row} outside [0, ${history.rows})`);
    }
    for (const item of items) {
      if (!Number.isInteger(item) || item < 0 || item >= matrix.cols) {
        throw new AutoencoderInputError(
          'validation.heldOut',
          `row ${row}: item ${item} outside [0, ${matrix.cols})`,
        );
      }
    }
  }
}

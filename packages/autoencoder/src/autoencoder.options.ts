import { AutoencoderInputError } from './autoencoder.errors';
import type { Variant } from './network';
import type { SparseRows } from './sparse.rows';

export interface EpochProgress {
  epoch: number;
  maxEpochs: number;
  /** Mean training loss per user over the epoch: negLogLikelihood + beta · kl + the L2 term. */
  loss: number;
  negLogLikelihood: number;
  /** Mean KL divergence per user (0 for the DAE). */
  kl: number;
  /** The KL weight at the end of the epoch (0 for the DAE). */
  beta: number;
  /** NDCG@validation.k on the validation users, when validation is given. */
  validationNdcg?: number;
  bestEpoch: number;
  seconds: number;
}

export interface Validation {
  /** Fold-in histories, one row per validation user. */
  history: SparseRows;
  /** Row of `history` → that user's held-out items: what the model should rank highly. */
  heldOut: Map<number, Set<number>>;
  /** Cut-off of the NDCG used for early stopping; default 100 (the paper's). */
  k?: number;
}

export interface AutoencoderOptions {
  variant: Variant;
  /** Encoder widths ending with the latent size; default [600, 200] (the paper's). */
  hidden?: number[];
  /** Maximum epochs; default 50. */
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** Share of input entries dropped during training; default 0.5. */
  dropout?: number;
  /** λ of λ·Σ‖W‖²; default 0.01 for the DAE, 0 for the VAE (the paper's settings). */
  regularization?: number;
  /** VAE: the KL weight grows linearly by 1/annealSteps per update up to betaCap; defaults 0.2 and 200,000. */
  betaCap?: number;
  annealSteps?: number;
  /** Items with fewer distinct training users are left out of the network (never recommended); default 1. */
  minItemUsers?: number;
  seed?: number;
  /** Enables early stopping: the epoch with the best validation NDCG is kept. */
  validation?: Validation;
  /** Epochs without a better validation NDCG before stopping; default 5. */
  patience?: number;
  /** Catalog ids of the matrix columns, saved with the model. */
  itemIds?: string[];
  onEpoch?: (progress: EpochProgress) => void;
}

export type ResolvedOptions = Required<Omit<AutoencoderOptions, 'validation' | 'itemIds' | 'onEpoch'>> &
  Pick<AutoencoderOptions, 'validation' | 'itemIds' | 'onEpoch'>;

/** Fills the defaults and rejects values that cannot train, naming the option. */
export function resolveOptions(opts: AutoencoderOptions): ResolvedOptions {
  if (opts.variant !== 'dae' && opts.variant !== 'vae') {
    throw new AutoencoderInputError('variant', `must be 'dae' or 'vae', got ${String(opts.variant)}`);
  }
  const r: ResolvedOptions = {
    variant: opts.variant,
    hidden: [600, 200],
    epochs: 50,
    batchSize: 500,
    learningRate: 1e-3,
    dropout: 0.5,
    regularization: opts.variant === 'dae' ? 0.01 : 0,
    betaCap: 0.2,
    annealSteps: 200_000,
    minItemUsers: 1,
    seed: 0,
    patience: 5,
    ...stripUndefined(opts),
  } as ResolvedOptions;
  if (!Array.isArray(r.hidden) || r.hidden.length === 0 || r.hidden.length > 4) {
    throw new AutoencoderInputError('hidden', 'must list 1 to 4 layer widths');
  }
  for (const h of r.hidden) integer('hidden', h, 1, 8192);
  integer('epochs', r.epochs, 1, 10_000);
  integer('batchSize', r.batchSize, 1, 65_536);
  integer('minItemUsers', r.minItemUsers, 1, 1e9);
  integer('patience', r.patience, 1, 10_000);
  integer('annealSteps', r.annealSteps, 0, 1e12);
  if (!Number.isFinite(r.seed)) throw new AutoencoderInputError('seed', `must be finite, got ${r.seed}`);
  between('learningRate', r.learningRate, 0, 10, false);
  between('dropout', r.dropout, 0, 1, true);
  if (r.dropout >= 1) throw new AutoencoderInputError('dropout', `must be below 1, got ${r.dropout}`);
  between('regularization', r.regularization, 0, 1e3, true);
  between('betaCap', r.betaCap, 0, 1e3, true);
  if (r.validation?.k !== undefined) integer('validation.k', r.validation.k, 1, 100_000);
  return r;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function integer(name: string, v: number, lo: number, hi: number): void {
  if (!Number.isInteger(v) || v < lo || v > hi) {
    throw new AutoencoderInputError(name, `must be an integer in [${lo}, ${hi}], got ${v}`);
  }
}

function between(name: string, v: number, lo: number, hi: number, loInclusive: boolean): void {
  if (!Number.isFinite(v) || v > hi || (loInclusive ? v < lo : v <= lo)) {
    throw new AutoencoderInputError(name, `must be in ${loInclusive ? '[' : '('}${lo}, ${hi}], got ${v}`);
  }
}

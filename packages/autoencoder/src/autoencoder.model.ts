import {
  toHistory,
  type Explanation,
  type FoldedUser,
  type History,
  type Ranking,
  type Recommender,
} from '@tunegraph/metrics';
import { AutoencoderInputError } from './autoencoder.errors';
import { decodeModel, encodeModel, type AutoencoderState } from './model.codec';
import { layerShapes, Network, type Variant } from './network';
import { rankRow } from './slot.ranking';
import { buildBatch } from './sparse.rows';
import { readyBackend } from './tf.backend';

/** A user folded in: their history and the network's log-probability of every vocabulary slot. */
export interface FoldedAutoencoderUser extends FoldedUser {
  readonly slots: Int32Array;
  readonly logProbabilities: Float32Array;
}

export interface RecommendOptions {
  /** Items never returned, besides the history itself. */
  exclude?: ArrayLike<number> | Set<number>;
  /** Only items for which this returns true are returned. */
  filter?: (item: number) => boolean;
}

export interface Attribution {
  item: number;
  /** History items with how much each raised the item's log-probability, largest first. */
  contributions: { item: number; contribution: number }[];
}

/** How many histories go through the network at once when scoring many users. */
const SCORING_BATCH = 256;

/**
 * A trained Mult-DAE or Mult-VAE. Any user is scored from their history by one forward pass (fold-in without
 * retraining); rankings carry multinomial log-probabilities. Call dispose() to free its tensors.
 */
export class AutoencoderModel implements Recommender<FoldedAutoencoderUser> {
  readonly kind = 'autoencoder';
  readonly variant: Variant;
  readonly hidden: number[];
  readonly numItems: number;
  readonly vocab: Int32Array;
  readonly itemIds: string[] | undefined;
  private readonly slot: Int32Array;
  private readonly network: Network;

  private constructor(state: AutoencoderState) {
    checkState(state);
    this.variant = state.variant;
    this.hidden = [...state.hidden];
    this.numItems = state.numItems;
    this.vocab = state.vocab;
    this.itemIds = state.itemIds;
    this.slot = new Int32Array(state.numItems).fill(-1);
    state.vocab.forEach((item, v) => (this.slot[item] = v));
    this.network = new Network(
      { variant: state.variant, vocabSize: state.vocab.length, hidden: state.hidden },
      state.parameters,
      false,
    );
  }

  /**
   * Validates the state and builds the model on the process's TensorFlow.js backend, which must be ready
   * (`await ensureBackend()` once at start-up): loading is synchronous so a service can swap models in one step.
   */
  static fromState(state: AutoencoderState): AutoencoderModel {
    readyBackend();
    return new AutoencoderModel(state);
  }

  static fromBuffer(buffer: Buffer): AutoencoderModel {
    return AutoencoderModel.fromState(decodeModel(buffer));
  }

  toBuffer(): Buffer {
    return encodeModel(this.state());
  }

  state(): AutoencoderState {
    return {
      variant: this.variant,
      hidden: [...this.hidden],
      numItems: this.numItems,
      vocab: this.vocab,
      parameters: this.network.snapshot(),
      itemIds: this.itemIds,
    };
  }

  /** One forward pass over the history (play counts are not used: the input is binary, as in the paper). */
  foldIn(history: History): FoldedAutoencoderUser {
    const checked = toHistory(history.items, history.counts, this.numItems);
    const slots = this.toSlots(checked.items, 'history');
    const logProbabilities = this.network.logProbabilities(buildBatch([slots], this.vocab.length));
    return { history: checked, slots, logProbabilities };
  }

  /** The k most probable items for a folded-in user, never one of their history nor of `exclude`. */
  recommend(user: FoldedAutoencoderUser, k: number, exclude?: ArrayLike<number>): Ranking {
    return rankRow(user.logProbabilities, 0, this.vocab, user.slots, checkK(k), this.skipper({ exclude }));
  }

  /** The history item whose removal lowers `item`'s log-probability most (see contributions()). */
  explain(user: FoldedAutoencoderUser, item: number): Explanation | undefined {
    if (this.slot[this.checkItem(item, 'item')] < 0 || user.slots.length === 0) return undefined;
    const best = this.contributions(user.history.items, [item])[0].contributions[0];
    return best.contribution > 0 ? best : undefined;
  }

  /** Rankings for many histories (catalog item indexes), through the network in batches: for evaluation. */
  recommendMany(histories: ArrayLike<number>[], k: number, opts: RecommendOptions = {}): Ranking[] {
    checkK(k);
    const skip = this.skipper(opts);
    const mapped = histories.map((h, u) => this.toSlots(h, `histories[${u}]`));
    const V = this.vocab.length;
    const out: Ranking[] = [];
    for (let start = 0; start < mapped.length; start += SCORING_BATCH) {
      const chunk = mapped.slice(start, start + SCORING_BATCH);
      const logp = this.network.logProbabilities(buildBatch(chunk, V));
      for (let b = 0; b < chunk.length; b++) out.push(rankRow(logp, b, this.vocab, chunk[b], k, skip));
    }
    return out;
  }

  /**
   * Drop-one attribution (gradient-free): the contribution of history item j to target t is
   * log p(t | history) − log p(t | history without j), from one batched forward pass of the history and its
   * |history| leave-one-out copies. It answers "would t still be recommended had the user not played j", which an
   * encoder-weight reading cannot, through the tanh layers. History items outside the vocabulary contribute 0 and
   * are not listed.
   */
  contributions(history: ArrayLike<number>, targets: ArrayLike<number>): Attribution[] {
    const slots = this.toSlots(history, 'history');
    const targetSlots = Array.from(targets, (t, i) => {
      const v = this.slot[this.checkItem(t, `targets[${i}]`)];
      if (v < 0) throw new AutoencoderInputError(`targets[${i}]`, `item ${t} is not scored by this model`);
      return v;
    });
    const V = this.vocab.length;
    const rows = [slots, ...Array.from(slots, (_, j) => Int32Array.from(slots.filter((_, q) => q !== j)))];
    const logp = new Float32Array(rows.length * V);
    for (let start = 0; start < rows.length; start += SCORING_BATCH) {
      logp.set(
        this.network.logProbabilities(buildBatch(rows.slice(start, start + SCORING_BATCH), V)),
        start * V,
      );
    }
    return targetSlots.map((t) => ({
      item: this.vocab[t],
      contributions: Array.from(slots, (v, j) => ({
        item: this.vocab[v],
        contribution: logp[t] - logp[(j + 1) * V + t],
      })).sort((a, b) => b.contribution - a.contribution || a.item - b.item),
    }));
  }

  dispose(): void {
    this.network.dispose();
  }

  private skipper(opts: RecommendOptions): (item: number) => boolean {
    const excluded = new Uint8Array(this.numItems);
    if (opts.exclude !== undefined) {
      for (const item of opts.exclude instanceof Set ? opts.exclude : Array.from(opts.exclude)) {
        excluded[this.checkItem(item, 'exclude')] = 1;
      }
    }
    const filter = opts.filter;
    return (item) => excluded[item] === 1 || (filter !== undefined && !filter(item));
  }

  /** Distinct vocabulary slots of a history; unknown-to-the-network items are skipped, bad indexes rejected. */
  private toSlots(history: ArrayLike<number>, name: string): Int32Array {
    const seen = new Set<number>();
    for (let q = 0; q < history.length; q++) {
      const v = this.slot[this.checkItem(history[q], `${name}[${q}]`)];
      if (v >= 0) seen.add(v);
    }
    return Int32Array.from(seen);
  }

  private checkItem(item: number, parameter: string): number {
    if (!Number.isInteger(item) || item < 0 || item >= this.numItems) {
      throw new AutoencoderInputError(parameter, `item ${item} outside [0, ${this.numItems})`);
    }
    return item;
  }
}

function checkK(k: number): number {
  if (!Number.isInteger(k) || k < 0)
    throw new AutoencoderInputError('k', `must be a non-negative integer, got ${k}`);
  return k;
}

function checkState(state: AutoencoderState): void {
  const { numItems, vocab, hidden, parameters, itemIds } = state;
  if (!Number.isInteger(numItems) || numItems < 1) {
    throw new AutoencoderInputError('numItems', `must be a positive integer, got ${numItems}`);
  }
  if (vocab.length === 0) throw new AutoencoderInputError('vocab', 'is empty: no item to score');
  for (let v = 0; v < vocab.length; v++) {
    if (!(vocab[v] >= 0 && vocab[v] < numItems) || (v > 0 && vocab[v] <= vocab[v - 1])) {
      throw new AutoencoderInputError(
        'vocab',
        `must be increasing item indexes in [0, ${numItems}), see slot ${v}`,
      );
    }
  }
  if (itemIds !== undefined && itemIds.length !== numItems) {
    throw new AutoencoderInputError('itemIds', `${itemIds.length} ids for ${numItems} items`);
  }
  const shapes = layerShapes({ variant: state.variant, vocabSize: vocab.length, hidden });
  if (parameters.length !== 2 * shapes.length) {
    throw new AutoencoderInputError(
      'parameters',
      `${parameters.length} arrays, expected ${2 * shapes.length}`,
    );
  }
  shapes.forEach(({ rows, cols }, l) => {
    for (const [p, size] of [
      [2 * l, rows * cols],
      [2 * l + 1, cols],
    ]) {
      const values = parameters[p];
      if (values.length !== size) {
        throw new AutoencoderInputError(
          'parameters',
          `array ${p} has ${values.length} values, expected ${size}`,
        );
      }
      if (!values.every(Number.isFinite))
        throw new AutoencoderInputError('parameters', `array ${p} is not finite`);
    }
  });
}

import { VectorTable } from '@tunegraph/vectors';
import { AlsInputError } from './als.errors';
import { confidenceWeight, resolveConfidence, type ConfidenceScheme } from './als.options';
import { choleskySolve, solveRowExact } from './exact.solver';
import { computeGram } from './gram.matrix';
import { decodeModel, encodeModel, type AlsModelState } from './model.codec';

export interface RecommendOptions {
  /** Items never returned (typically the user's history). */
  exclude?: ArrayLike<number> | Set<number>;
  /** Only items for which this returns true are returned. */
  filter?: (item: number) => boolean;
}

export type Ranking = { ids: Int32Array; scores: Float32Array };

/** A trained implicit-feedback factorisation: score(u, i) = x_uᵀ y_i. */
export class AlsModel {
  readonly factors: number;
  readonly numUsers: number;
  readonly numItems: number;
  readonly userFactors: Float32Array;
  readonly itemFactors: Float32Array;
  readonly regularization: number;
  readonly confidence: ConfidenceScheme;
  private gramCache: Float64Array | undefined;
  private itemTable: VectorTable | undefined;

  /** Validates the state (it may come from storage): shapes, finite factors, a usable confidence scheme. */
  constructor(state: AlsModelState) {
    const { factors, numUsers, numItems, regularization } = state;
    if (!Number.isInteger(factors) || factors < 1 || factors > 1024) {
      throw new AlsInputError('factors', `must be an integer in [1, 1024], got ${factors}`);
    }
    for (const [name, value] of [
      ['numUsers', numUsers],
      ['numItems', numItems],
    ] as const) {
      if (!Number.isInteger(value) || value < 0) {
        throw new AlsInputError(name, `must be a non-negative integer, got ${value}`);
      }
    }
    checkFactors('userFactors', state.userFactors, numUsers, factors);
    checkFactors('itemFactors', state.itemFactors, numItems, factors);
    if (!(regularization >= 0) || !Number.isFinite(regularization)) {
      throw new AlsInputError('regularization', `must be a finite number >= 0, got ${regularization}`);
    }
    this.factors = factors;
    this.numUsers = numUsers;
    this.numItems = numItems;
    this.userFactors = state.userFactors;
    this.itemFactors = state.itemFactors;
    this.regularization = regularization;
    const { mode, alpha, epsilon } = state.confidence;
    this.confidence = resolveConfidence(mode, alpha, epsilon);
  }

  /** Top-k items by x_uᵀ y_i for a trained user index or a user vector (e.g. from foldIn). */
  recommend(user: number | Float32Array, k: number, opts: RecommendOptions = {}): Ranking {
    const query = this.userVector(user);
    const excluded = new Uint8Array(this.numItems);
    if (opts.exclude !== undefined) {
      for (const item of iterate(opts.exclude)) excluded[this.checkItem(item, 'exclude')] = 1;
    }
    const filter = opts.filter;
    const [ranking] = this.items().knnBatch(query, k, {
      metric: 'dot',
      exclude: filter === undefined ? (i) => excluded[i] === 1 : (i) => excluded[i] === 1 || !filter(i),
    });
    return ranking;
  }

  /**
   * A new user's vector from their history (item indexes and raw counts, duplicates summed), solved exactly
   * against the fixed item factors: (YᵀY + λI + Σ (c-1) y yᵀ) x = Σ c y.
   */
  foldIn(items: ArrayLike<number>, counts: ArrayLike<number>): Float32Array {
    const history = this.history(items, counts);
    return Float32Array.from(
      solveRowExact(this.gram(), this.itemFactors, this.factors, history.items, history.weights).x,
    );
  }

  /**
   * Hu, Koren & Volinsky 2008 §5: with W = (YᵀC_uY + λI)⁻¹ the score is Σ_j s_ij c_uj with s_ij = y_iᵀ W y_j,
   * so each history item j contributes c_uj · y_iᵀ W y_j. The contributions sum to foldIn(history)ᵀ y_i.
   * Returned largest first.
   */
  explain(
    historyItems: ArrayLike<number>,
    historyCounts: ArrayLike<number>,
    item: number,
  ): { item: number; contribution: number }[] {
    const target = this.checkItem(item, 'item');
    const f = this.factors;
    const Y = this.itemFactors;
    const history = this.history(historyItems, historyCounts);
    const { factor } = solveRowExact(this.gram(), Y, f, history.items, history.weights);
    const z = Float64Array.from(Y.subarray(target * f, (target + 1) * f));
    choleskySolve(factor, f, z); // z = W y_i, so s_ij = zᵀ y_j
    const out: { item: number; contribution: number }[] = [];
    for (let q = 0; q < history.items.length; q++) {
      const yo = history.items[q] * f;
      let s = 0;
      for (let a = 0; a < f; a++) s += z[a] * Y[yo + a];
      out.push({ item: history.items[q], contribution: (1 + history.weights[q]) * s });
    }
    return out.sort((a, b) => b.contribution - a.contribution || a.item - b.item);
  }

  /** Items with the most similar factors by cosine, the item itself left out. */
  similarItems(item: number, k: number): Ranking {
    const f = this.factors;
    const i = this.checkItem(item, 'item');
    const [ranking] = this.items().knnBatch(this.itemFactors.subarray(i * f, (i + 1) * f), k, {
      metric: 'cosine',
      exclude: (id) => id === i,
    });
    return ranking;
  }

  /** The item factors in a scan table of their own, copied once per model (the model is never changed). */
  private items(): VectorTable {
    this.itemTable ??= VectorTable.from(this.itemFactors, this.factors);
    return this.itemTable;
  }

  toBuffer(): Buffer {
    return encodeModel(this);
  }

  static fromBuffer(b: Buffer): AlsModel {
    return new AlsModel(decodeModel(b));
  }

  /** YᵀY + λI for the item factors, computed once per model. */
  private gram(): Float64Array {
    if (this.gramCache === undefined) {
      this.gramCache = new Float64Array(this.factors * this.factors);
      computeGram(this.itemFactors, this.numItems, this.factors, this.regularization, this.gramCache);
    }
    return this.gramCache;
  }

  private userVector(user: number | Float32Array): Float32Array {
    const f = this.factors;
    if (user instanceof Float32Array) {
      if (user.length !== f) throw new AlsInputError('user', `vector length ${user.length}, expected ${f}`);
      return user;
    }
    if (!Number.isInteger(user) || user < 0 || user >= this.numUsers) {
      throw new AlsInputError('user', `${user} outside [0, ${this.numUsers})`);
    }
    return this.userFactors.subarray(user * f, (user + 1) * f);
  }

  private checkItem(item: number, parameter: string): number {
    if (!Number.isInteger(item) || item < 0 || item >= this.numItems) {
      throw new AlsInputError(parameter, `item ${item} outside [0, ${this.numItems})`);
    }
    return item;
  }

  /** Validated history with duplicate items merged, as confidence weights (c - 1). */
  private history(
    items: ArrayLike<number>,
    counts: ArrayLike<number>,
  ): { items: Int32Array; weights: Float32Array } {
    if (items.length !== counts.length) {
      throw new AlsInputError('counts', `${counts.length} counts for ${items.length} items`);
    }
    const merged = new Map<number, number>();
    for (let q = 0; q < items.length; q++) {
      const item = this.checkItem(items[q], `items[${q}]`);
      const count = counts[q];
      if (!(count > 0) || !Number.isFinite(count)) {
        throw new AlsInputError(`counts[${q}]`, `count ${count} for item ${item} must be finite and > 0`);
      }
      merged.set(item, (merged.get(item) ?? 0) + count);
    }
    const out = { items: new Int32Array(merged.size), weights: new Float32Array(merged.size) };
    let q = 0;
    for (const [item, count] of merged) {
      out.items[q] = item;
      out.weights[q++] = confidenceWeight(count, this.confidence);
    }
    return out;
  }
}

function checkFactors(name: string, values: Float32Array, rows: number, factors: number): void {
  if (!(values instanceof Float32Array)) throw new AlsInputError(name, 'must be a Float32Array');
  if (values.length !== rows * factors) {
    throw new AlsInputError(name, `length ${values.length}, expected ${rows} x ${factors}`);
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new AlsInputError(name, `value at index ${i} is not finite`);
  }
}

function iterate(values: ArrayLike<number> | Set<number>): Iterable<number> {
  return values instanceof Set ? values : Array.from(values);
}

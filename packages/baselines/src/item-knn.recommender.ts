import {
  toHistory,
  topKOfScores,
  type Explanation,
  type FoldedUser,
  type History,
  type Interactions,
  type Ranking,
  type Recommender,
} from '@tunegraph/metrics';
import { TopK } from '@tunegraph/vectors';
import { checkTrainingInput, itemUserRows, userItemRows, type MatrixShape } from './interaction.lists';
import { decodeModelBuffer, encodeModelBuffer } from './model.buffer';

const KIND = 'itemknn';

export interface ItemKnnOptions {
  /**
   * Aiolli's asymmetric cosine: w(i, j) = |U_i ∩ U_j| / (|U_i|^alpha · |U_j|^(1 - alpha)) for a candidate i and a
   * played item j. 0.5 is the plain cosine.
   */
  alpha: number;
  /** Locality exponent: a play of j adds w(i, j)^q to i's score, so strong neighbours dominate (1 = plain sum). */
  q: number;
  /** Candidates kept per played item (the strongest), bounding memory and scoring time. */
  neighbours: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Item-based kNN over binary plays (Aiolli 2013, the MSD Challenge winner): score(u, i) = Σ_{j ∈ I(u)} w(i, j)^q.
 * Stored as CSR rows per played item j: its candidates i and their w(i, j)^q.
 */
export class ItemKnnRecommender implements Recommender {
  readonly kind = KIND;

  constructor(
    readonly numItems: number,
    readonly indptr: Int32Array,
    readonly neighbours: Int32Array,
    readonly weights: Float32Array,
  ) {
    if (
      indptr.length !== numItems + 1 ||
      indptr[numItems] !== neighbours.length ||
      weights.length !== neighbours.length
    ) {
      throw new RangeError(`itemknn: inconsistent neighbour lists for ${numItems} items`);
    }
  }

  foldIn(history: History): FoldedUser {
    return { history: toHistory(history.items, history.counts, this.numItems) };
  }

  recommend(user: FoldedUser, k: number, exclude?: ArrayLike<number>): Ranking {
    const scores = new Float32Array(this.numItems);
    for (const j of user.history.items) {
      for (let p = this.indptr[j]; p < this.indptr[j + 1]; p++) scores[this.neighbours[p]] += this.weights[p];
    }
    return topKOfScores(scores, k, exclude);
  }

  /** The played item whose w(i, j)^q adds most to i's score. */
  explain(user: FoldedUser, item: number): Explanation | undefined {
    let best: Explanation | undefined;
    for (const j of user.history.items) {
      for (let p = this.indptr[j]; p < this.indptr[j + 1]; p++) {
        if (this.neighbours[p] === item && this.weights[p] > (best?.contribution ?? 0))
          best = { item: j, contribution: this.weights[p] };
      }
    }
    return best;
  }

  toBuffer(): Buffer {
    return encodeModelBuffer(
      KIND,
      { numItems: this.numItems },
      { indptr: this.indptr, neighbours: this.neighbours, weights: this.weights },
    );
  }

  static fromBuffer(buf: Buffer): ItemKnnRecommender {
    const { scalars, arrays } = decodeModelBuffer(buf, KIND);
    return new ItemKnnRecommender(
      scalars.numItems,
      arrays.indptr as Int32Array,
      arrays.neighbours as Int32Array,
      arrays.weights as Float32Array,
    );
  }
}

export function fitItemKnn(data: Interactions, shape: MatrixShape, opts: ItemKnnOptions): ItemKnnRecommender {
  checkTrainingInput(data, shape, 'itemknn');
  const { alpha, q, neighbours: keep } = opts;
  if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(`itemknn: alpha must be in [0, 1], got ${alpha}`);
  if (!(q >= 1 && q <= 20)) throw new RangeError(`itemknn: q must be in [1, 20], got ${q}`);
  if (!Number.isInteger(keep) || keep < 1)
    throw new RangeError(`itemknn: neighbours must be a positive integer, got ${keep}`);
  const { numItems } = shape;
  const byUser = userItemRows(data, shape);
  const byItem = itemUserRows(data, shape);
  const size = (i: number) => byItem.indptr[i + 1] - byItem.indptr[i];

  const co = new Float64Array(numItems);
  const touched = new Int32Array(numItems);
  const indptr = new Int32Array(numItems + 1);
  const rows: { ids: Int32Array; scores: Float32Array }[] = [];
  for (let j = 0; j < numItems; j++) {
    let nTouched = 0;
    for (let p = byItem.indptr[j]; p < byItem.indptr[j + 1]; p++) {
      const u = byItem.indices[p];
      for (let r = byUser.indptr[u]; r < byUser.indptr[u + 1]; r++) {
        const i = byUser.indices[r];
        if (i === j) continue;
        if (co[i] === 0) touched[nTouched++] = i;
        co[i]++;
      }
    }
    const top = new TopK(Math.min(keep, nTouched));
    const denomJ = Math.pow(size(j), 1 - alpha);
    for (let t = 0; t < nTouched; t++) {
      const i = touched[t];
      top.push(i, Math.pow(co[i] / (Math.pow(size(i), alpha) * denomJ), q));
      co[i] = 0;
    }
    const row = top.result();
    rows.push(row);
    indptr[j + 1] = indptr[j] + row.ids.length;
    if (opts.onProgress && (j % 1000 === 999 || j === numItems - 1)) opts.onProgress(j + 1, numItems);
  }
  const ids = new Int32Array(indptr[numItems]);
  const weights = new Float32Array(indptr[numItems]);
  rows.forEach((row, j) => {
    ids.set(row.ids, indptr[j]);
    weights.set(row.scores, indptr[j]);
  });
  return new ItemKnnRecommender(numItems, indptr, ids, weights);
}

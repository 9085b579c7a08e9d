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
import { invertSpd } from './dense.inverse';
import { checkTrainingInput, userItemRows, type MatrixShape } from './interaction.lists';
import { decodeModelBuffer, encodeModelBuffer } from './model.buffer';

const KIND = 'ease';

/** Above this many items the dense Gram matrix (8n² bytes, twice) and its O(n³) inversion are out of reach. */
export const EASE_MAX_ITEMS_LIMIT = 8_000;

export interface EaseOptions {
  /** L2 regularisation λ added to the Gram diagonal (Steck used a few hundred on ML-20M/MSD). */
  lambda: number;
  /** Refuse catalogs larger than this (at most EASE_MAX_ITEMS_LIMIT). */
  maxItems: number;
  onProgress?: (phase: string, done: number, total: number) => void;
}

/**
 * EASE (Steck 2019): a dense item-item weight matrix B with a zero diagonal, in closed form
 * B = I − P · diag(1 / diag(P)) with P = (XᵀX + λI)⁻¹; score(u) = x_u B. Row j of `weights` holds B[j][·].
 */
export class EaseRecommender implements Recommender {
  readonly kind = KIND;

  constructor(
    readonly numItems: number,
    readonly weights: Float32Array,
  ) {
    if (weights.length !== numItems * numItems)
      throw new RangeError(`ease: weights must be ${numItems} x ${numItems}`);
  }

  foldIn(history: History): FoldedUser {
    return { history: toHistory(history.items, history.counts, this.numItems) };
  }

  recommend(user: FoldedUser, k: number, exclude?: ArrayLike<number>): Ranking {
    const n = this.numItems;
    const scores = new Float32Array(n);
    for (const j of user.history.items) {
      const row = this.weights.subarray(j * n, (j + 1) * n);
      for (let i = 0; i < n; i++) scores[i] += row[i];
    }
    return topKOfScores(scores, k, exclude);
  }

  explain(user: FoldedUser, item: number): Explanation | undefined {
    let best: Explanation | undefined;
    for (const j of user.history.items) {
      const w = this.weights[j * this.numItems + item];
      if (w > (best?.contribution ?? 0)) best = { item: j, contribution: w };
    }
    return best;
  }

  toBuffer(): Buffer {
    return encodeModelBuffer(KIND, { numItems: this.numItems }, { weights: this.weights });
  }

  static fromBuffer(buf: Buffer): EaseRecommender {
    const { scalars, arrays } = decodeModelBuffer(buf, KIND);
    return new EaseRecommender(scalars.numItems, arrays.weights as Float32Array);
  }
}

export function fitEase(data: Interactions, shape: MatrixShape, opts: EaseOptions): EaseRecommender {
  checkTrainingInput(data, shape, 'ease');
  const { lambda, maxItems } = opts;
  const n = shape.numItems;
  if (!(lambda > 0) || !Number.isFinite(lambda))
    throw new RangeError(`ease: lambda must be a finite number > 0, got ${lambda}`);
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > EASE_MAX_ITEMS_LIMIT) {
    throw new RangeError(
      `ease: maxItems must be an integer in [1, ${EASE_MAX_ITEMS_LIMIT}], got ${maxItems}`,
    );
  }
  if (n > maxItems) {
    throw new RangeError(
      `ease: the catalog has ${n} songs, above maxItems ${maxItems}; EASE inverts a dense ${n} x ${n} matrix ` +
        `(${((16 * n * n) / 2 ** 30).toFixed(1)} GiB, O(n³) time): use itemknn or als for catalogs this large`,
    );
  }
  const rows = userItemRows(data, shape);
  const gram = new Float64Array(n * n);
  for (let u = 0; u < shape.numUsers; u++) {
    for (let p = rows.indptr[u]; p < rows.indptr[u + 1]; p++) {
      const a = rows.indices[p] * n;
      for (let r = rows.indptr[u]; r < rows.indptr[u + 1]; r++) gram[a + rows.indices[r]]++;
    }
  }
  for (let i = 0; i < n; i++) gram[i * n + i] += lambda;
  const p = invertSpd(gram, n, opts.onProgress);
  const weights = new Float32Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) weights[j * n + i] = i === j ? 0 : -p[j * n + i] / p[i * n + i];
  }
  return new EaseRecommender(n, weights);
}

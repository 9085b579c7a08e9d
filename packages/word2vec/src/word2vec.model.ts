import { TopK, dot } from '@tunegraph/vectors';
import { decodeModel, encodeModel } from './model.codec';
import { Word2VecInputError } from './word2vec.errors';

/** Best tokens first; `scores` are cosines to the query. */
export interface Neighbours {
  tokens: Int32Array;
  scores: Float32Array;
}

/**
 * Trained input embeddings, row-major: token t owns vectors[t*dim, (t+1)*dim). A token left out of training
 * (below minCount, or never seen) has an all-zero row: it has no direction, so it is never a neighbour.
 */
export class Word2VecModel {
  private unit: Float32Array | undefined;

  /** `vectors` is taken over, not copied; do not change it afterwards (neighbour search caches unit rows). */
  constructor(
    readonly dim: number,
    readonly vocabularySize: number,
    readonly vectors: Float32Array,
  ) {
    if (!Number.isInteger(dim) || dim < 1)
      throw new Word2VecInputError('dim', `must be a positive integer, got ${dim}`);
    if (!Number.isInteger(vocabularySize) || vocabularySize < 1) {
      throw new Word2VecInputError('vocabularySize', `must be a positive integer, got ${vocabularySize}`);
    }
    if (!(vectors instanceof Float32Array) || vectors.length !== dim * vocabularySize) {
      throw new Word2VecInputError(
        'vectors',
        `expected a Float32Array of dim ${dim} x vocabularySize ${vocabularySize} = ${dim * vocabularySize} floats`,
      );
    }
    for (let i = 0; i < vectors.length; i++) {
      if (!Number.isFinite(vectors[i])) {
        throw new Word2VecInputError('vectors', `token ${Math.floor(i / dim)} has a non-finite component`);
      }
    }
  }

  static fromBuffer(buf: Buffer): Word2VecModel {
    const state = decodeModel(buf);
    return new Word2VecModel(state.dim, state.vocabularySize, state.vectors);
  }

  toBuffer(): Buffer {
    return encodeModel(this);
  }

  /** A copy of the token's vector (all zeros when the token was not trained). */
  vector(token: number): Float32Array {
    this.checkToken(token);
    return this.vectors.slice(token * this.dim, (token + 1) * this.dim);
  }

  /** False for a token left out of training, whose vector is all zeros. */
  hasVector(token: number): boolean {
    this.checkToken(token);
    return this.norm(token) > 0;
  }

  /** The k tokens of highest cosine to `token`, excluding itself and untrained tokens. */
  similar(token: number, k: number): Neighbours {
    if (!this.hasVector(token)) {
      throw new Word2VecInputError(
        'token',
        `${token} has no vector (it was not trained: below minCount or unseen)`,
      );
    }
    return this.nearest(this.vectors.subarray(token * this.dim, (token + 1) * this.dim), k, [token]);
  }

  /** The k tokens of highest cosine to any query vector, skipping `exclude` and untrained tokens. */
  nearest(query: Float32Array, k: number, exclude: Iterable<number> = []): Neighbours {
    if (!(query instanceof Float32Array) || query.length !== this.dim) {
      throw new Word2VecInputError('query', `expected a Float32Array of length ${this.dim}`);
    }
    if (!Number.isInteger(k) || k < 1)
      throw new Word2VecInputError('k', `must be a positive integer, got ${k}`);
    const queryNorm = Math.sqrt(dot(query, 0, query, 0, this.dim));
    if (queryNorm === 0) return { tokens: new Int32Array(0), scores: new Float32Array(0) };
    const skip = new Uint8Array(this.vocabularySize);
    for (const token of exclude) {
      this.checkToken(token);
      skip[token] = 1;
    }
    const unit = this.unitRows();
    const dim = this.dim;
    const heap = new TopK(k);
    for (let t = 0; t < this.vocabularySize; t++) {
      if (skip[t] === 1 || unit[t * dim] !== unit[t * dim]) continue; // NaN marks an untrained row
      heap.push(t, dot(query, 0, unit, t * dim, dim) / queryNorm);
    }
    const { ids, scores } = heap.result();
    return { tokens: ids, scores };
  }

  /** Rows scaled to unit length; an all-zero row becomes NaN so the scan can skip it with one comparison. */
  private unitRows(): Float32Array {
    if (this.unit === undefined) {
      const unit = new Float32Array(this.vectors.length);
      for (let t = 0; t < this.vocabularySize; t++) {
        const norm = this.norm(t);
        const scale = norm === 0 ? NaN : 1 / norm;
        for (let i = t * this.dim; i < (t + 1) * this.dim; i++) unit[i] = this.vectors[i] * scale;
      }
      this.unit = unit;
    }
    return this.unit;
  }

  private norm(token: number): number {
    const at = token * this.dim;
    return Math.sqrt(dot(this.vectors, at, this.vectors, at, this.dim));
  }

  private checkToken(token: number): void {
    if (!Number.isInteger(token) || token < 0 || token >= this.vocabularySize) {
      throw new Word2VecInputError('token', `${token} is not an integer in [0, ${this.vocabularySize})`);
    }
  }
}

import { crc32 } from 'node:zlib';
import { dot } from '@tunegraph/vectors';
import { fitCommonComponent, removeCommonComponent, type CommonComponent } from './common-component';
import { songVector, type BagOfWords } from './lyrics.sequences';
import { Word2VecInputError } from './word2vec.errors';
import { Word2VecModel } from './word2vec.model';

/** One pair of words (one from each song) and its share of the two songs' cosine. */
export interface WordPairContribution {
  a: number;
  b: number;
  /** The pair's term of the cosine; the terms of all pairs add up to it. */
  weight: number;
}

// Layout (little-endian): magic[8] version:u32 modelBytes:u32 crc32:u32 pad:u32, the Word2VecModel buffer, one
// float32 weight per term, then (version 2) the common component's mean and direction, dim float32 each. The CRC
// covers everything after it. Version 1 (no common component) still loads.
const MAGIC = Buffer.from('TGLYREMB', 'ascii');
const FORMAT_VERSION = 2;
const HEADER_BYTES = 24;

/**
 * Lyric word vectors plus the per-term weights (idf) that turn a bag of words into a song vector: the weighted
 * mean of its words' vectors, less the training songs' common component (see common-component.ts). Weights and
 * common component travel with the vectors, so a song ingested later is embedded exactly as the training songs
 * were (cold start), whatever other models are retrained meanwhile.
 */
export class LyricEmbedding {
  constructor(
    readonly model: Word2VecModel,
    readonly weights: Float32Array,
    /** Absent: song vectors are the plain weighted means. */
    readonly common?: CommonComponent,
  ) {
    if (!(weights instanceof Float32Array) || weights.length !== model.vocabularySize) {
      throw new Word2VecInputError('weights', `expected a Float32Array of length ${model.vocabularySize}`);
    }
    if (common && (common.mean.length !== model.dim || common.direction.length !== model.dim)) {
      throw new Word2VecInputError('common', `mean and direction must have length ${model.dim}`);
    }
  }

  /** The embedding with the common component of `docs`' song vectors fitted. */
  static fit(model: Word2VecModel, weights: Float32Array, docs: readonly BagOfWords[]): LyricEmbedding {
    const plain = new LyricEmbedding(model, weights);
    return new LyricEmbedding(
      model,
      weights,
      fitCommonComponent(
        docs.map((doc) => plain.songVector(doc)),
        model.dim,
      ),
    );
  }

  get dim(): number {
    return this.model.dim;
  }

  /** All zeros when none of the song's words has a vector. */
  songVector(doc: BagOfWords): Float32Array {
    const v = songVector(this.model, doc, this.weights);
    if (this.common && v.some((x) => x !== 0)) removeCommonComponent(v, this.common);
    return v;
  }

  /**
   * The word pairs that drive the cosine of two songs' vectors. With s = Σ wᵢuᵢ / Σ wᵢ, where uᵢ is word i's vector
   * less the common component (removing it is affine, and the weights sum to one, so it moves each word's vector
   * alike), cos(s, t) is a sum over pairs (i from one song, j from the other) of wᵢ wⱼ (uᵢ · uⱼ) / (Σw Σw′ |s| |t|):
   * the n largest terms are returned, largest first (a word shared by both songs appears as a pair of itself).
   */
  topPairs(a: BagOfWords, b: BagOfWords, n: number): WordPairContribution[] {
    if (!Number.isInteger(n) || n < 1)
      throw new Word2VecInputError('n', `must be a positive integer, got ${n}`);
    const sa = this.weighted(a);
    const sb = this.weighted(b);
    const va = this.songVector(a);
    const vb = this.songVector(b);
    const norms = Math.sqrt(dot(va, 0, va, 0, this.dim) * dot(vb, 0, vb, 0, this.dim));
    if (norms === 0) return [];
    const scale = 1 / (sa.total * sb.total * norms);
    const dim = this.dim;
    const ua = this.wordVectors(sa.terms);
    const ub = this.wordVectors(sb.terms);
    const pairs: WordPairContribution[] = [];
    for (let i = 0; i < sa.terms.length; i++) {
      for (let j = 0; j < sb.terms.length; j++) {
        const similarity = dot(ua, i * dim, ub, j * dim, dim);
        pairs.push({
          a: sa.terms[i],
          b: sb.terms[j],
          weight: sa.weights[i] * sb.weights[j] * similarity * scale,
        });
      }
    }
    return pairs.sort((x, y) => y.weight - x.weight).slice(0, n);
  }

  /** The vectors of `terms`, one row each, with the common component removed. */
  private wordVectors(terms: readonly number[]): Float32Array {
    const { vectors, dim } = this.model;
    const rows = new Float32Array(terms.length * dim);
    terms.forEach((term, row) => {
      const u = rows.subarray(row * dim, (row + 1) * dim);
      u.set(vectors.subarray(term * dim, (term + 1) * dim));
      if (this.common) removeCommonComponent(u, this.common);
    });
    return rows;
  }

  /** The song's words that have a vector, with weight count × idf, and the weights' sum. */
  private weighted(doc: BagOfWords): { terms: number[]; weights: number[]; total: number } {
    const terms: number[] = [];
    const weights: number[] = [];
    let total = 0;
    for (let i = 0; i < doc.terms.length; i++) {
      const term = doc.terms[i];
      const w = doc.counts[i] * this.weights[term];
      if (!(w > 0) || !this.model.hasVector(term)) continue;
      terms.push(term);
      weights.push(w);
      total += w;
    }
    return { terms, weights, total };
  }

  toBuffer(): Buffer {
    const model = this.model.toBuffer();
    const dim = this.dim;
    const at = HEADER_BYTES + model.length + this.weights.length * 4;
    const buf = Buffer.alloc(at + 8 * dim);
    MAGIC.copy(buf, 0);
    buf.writeUInt32LE(FORMAT_VERSION, 8);
    buf.writeUInt32LE(model.length, 12);
    model.copy(buf, HEADER_BYTES);
    this.weights.forEach((w, t) => buf.writeFloatLE(w, HEADER_BYTES + model.length + 4 * t));
    // Without a common component: zero mean and direction, which remove nothing.
    this.common?.mean.forEach((x, i) => buf.writeFloatLE(x, at + 4 * i));
    this.common?.direction.forEach((x, i) => buf.writeFloatLE(x, at + 4 * (dim + i)));
    buf.writeUInt32LE(crc32(buf.subarray(HEADER_BYTES)), 16);
    return buf;
  }

  static fromBuffer(buf: Buffer): LyricEmbedding {
    if (!Buffer.isBuffer(buf) || buf.length < HEADER_BYTES || !buf.subarray(0, 8).equals(MAGIC)) {
      throw new Word2VecInputError('buffer', 'not a lyric embedding (bad magic bytes or too short)');
    }
    const version = buf.readUInt32LE(8);
    if (version !== 1 && version !== FORMAT_VERSION) {
      throw new Word2VecInputError(
        'buffer',
        `unsupported lyric embedding format version ${version} (expected ${FORMAT_VERSION})`,
      );
    }
    if (crc32(buf.subarray(HEADER_BYTES)) !== buf.readUInt32LE(16)) {
      throw new Word2VecInputError('buffer', 'checksum mismatch (corrupted lyric embedding)');
    }
    const modelBytes = buf.readUInt32LE(12);
    const model = Word2VecModel.fromBuffer(buf.subarray(HEADER_BYTES, HEADER_BYTES + modelBytes));
    const at = HEADER_BYTES + modelBytes;
    const commonAt = at + model.vocabularySize * 4;
    const expected = commonAt + (version === 1 ? 0 : 8 * model.dim);
    if (buf.length !== expected) {
      throw new Word2VecInputError('buffer', `${buf.length} bytes, expected ${expected}`);
    }
    const weights = new Float32Array(model.vocabularySize);
    for (let t = 0; t < weights.length; t++) weights[t] = buf.readFloatLE(at + 4 * t);
    if (version === 1) return new LyricEmbedding(model, weights);
    const floats = (from: number) =>
      Float32Array.from({ length: model.dim }, (_, i) => buf.readFloatLE(from + 4 * i));
    const common = { mean: floats(commonAt), direction: floats(commonAt + 4 * model.dim) };
    return new LyricEmbedding(model, weights, common);
  }
}

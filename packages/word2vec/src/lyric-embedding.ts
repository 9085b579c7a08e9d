import { crc32 } from 'node:zlib';
import { dot } from '@tunegraph/vectors';
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

// Layout (little-endian): magic[8] version:u32 modelBytes:u32 crc32:u32 pad:u32, the Word2VecModel buffer, then
// one float32 weight per term. The CRC covers everything after it.
const MAGIC = Buffer.from('TGLYREMB', 'ascii');
const FORMAT_VERSION = 1;
const HEADER_BYTES = 24;

/**
 * Lyric word vectors plus the per-term weights (idf) that turn a bag of words into a song vector: the weighted
 * mean of its words' vectors. The weights travel with the vectors, so a song ingested later is embedded exactly
 * as the training songs were (cold start), whatever other models are retrained meanwhile.
 */
export class LyricEmbedding {
  constructor(
    readonly model: Word2VecModel,
    readonly weights: Float32Array,
  ) {
    if (!(weights instanceof Float32Array) || weights.length !== model.vocabularySize) {
      throw new Word2VecInputError('weights', `expected a Float32Array of length ${model.vocabularySize}`);
    }
  }

  get dim(): number {
    return this.model.dim;
  }

  /** All zeros when none of the song's words has a vector. */
  songVector(doc: BagOfWords): Float32Array {
    return songVector(this.model, doc, this.weights);
  }

  /**
   * The word pairs that drive the cosine of two songs' vectors. With s = Σ wᵢvᵢ / Σ wᵢ, cos(s, t) is a sum over
   * pairs (i from one song, j from the other) of wᵢ wⱼ (vᵢ · vⱼ) / (Σw Σw′ |s| |t|): the n largest terms are
   * returned, largest first (a word shared by both songs appears as a pair of itself).
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
    const { vectors, dim } = this.model;
    const pairs: WordPairContribution[] = [];
    for (let i = 0; i < sa.terms.length; i++) {
      for (let j = 0; j < sb.terms.length; j++) {
        const similarity = dot(vectors, sa.terms[i] * dim, vectors, sb.terms[j] * dim, dim);
        pairs.push({
          a: sa.terms[i],
          b: sb.terms[j],
          weight: sa.weights[i] * sb.weights[j] * similarity * scale,
        });
      }
    }
    return pairs.sort((x, y) => y.weight - x.weight).slice(0, n);
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
    const buf = Buffer.alloc(HEADER_BYTES + model.length + this.weights.length * 4);
    MAGIC.copy(buf, 0);
    buf.writeUInt32LE(FORMAT_VERSION, 8);
    buf.writeUInt32LE(model.length, 12);
    model.copy(buf, HEADER_BYTES);
    this.weights.forEach((w, t) => buf.writeFloatLE(w, HEADER_BYTES + model.length + 4 * t));
    buf.writeUInt32LE(crc32(buf.subarray(HEADER_BYTES)), 16);
    return buf;
  }

  static fromBuffer(buf: Buffer): LyricEmbedding {
    if (!Buffer.isBuffer(buf) || buf.length < HEADER_BYTES || !buf.subarray(0, 8).equals(MAGIC)) {
      throw new Word2VecInputError('buffer', 'not a lyric embedding (bad magic bytes or too short)');
    }
    const version = buf.readUInt32LE(8);
    if (version !== FORMAT_VERSION) {
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
    if (buf.length !== at + model.vocabularySize * 4) {
      throw new Word2VecInputError(
        'buffer',
        `${buf.length} bytes, expected ${at + model.vocabularySize * 4}`,
      );
    }
    const weights = new Float32Array(model.vocabularySize);
    for (let t = 0; t < weights.length; t++) weights[t] = buf.readFloatLE(at + 4 * t);
    return new LyricEmbedding(model, weights);
  }
}

import { TfidfInputError } from './tfidf.errors';
import { assertPositiveInteger, assertSparseVector } from './sparse.validation';

/** One bag-of-words document; `terms` strictly ascending, `counts[i]` is the count of `terms[i]`. */
export interface SparseDoc {
  id: number;
  terms: Int32Array;
  counts: Float32Array;
}

export interface SparseVector {
  terms: Int32Array;
  weights: Float32Array;
}

export interface TfidfOptions {
  vocabularySize: number;
  /** Weight a count tf as 1 + ln(tf) instead of tf, so a chorus repeated 20 times does not dominate. Default true. */
  sublinearTf?: boolean;
  /** idf = ln((1 + N) / (1 + df)) + 1 when true (default); ln(N / df) + 1 when false (as scikit-learn). */
  smoothIdf?: boolean;
  /**
   * Terms seen in fewer documents are dropped by transform. Default 1, so a term never seen while
   * fitting is ignored for new documents too (its idf would be a guess, and infinite without smoothing).
   */
  minDf?: number;
  /** Terms seen in more than this fraction of the documents are dropped by transform. Default 1 (keep all). */
  maxDfRatio?: number;
  /** Default 'l2': unit-length output, so a dot product is a cosine. */
  norm?: 'l2' | 'none';
}

/** TfidfOptions with every default filled in, as a fitted model records them. */
export type TfidfSettings = Required<TfidfOptions>;

const MAGIC = 0x46544754; // "TGTF" read as a little-endian uint32
const FORMAT_VERSION = 1;
const HEADER_BYTES = 32;
const FLAG_SUBLINEAR = 1;
const FLAG_SMOOTH = 2;
const FLAG_L2 = 4;

/**
 * A fitted TF-IDF weighting. Immutable: `transform` only reads `idf`, so one model can weight any number
 * of new documents (cold start) without refitting. A term dropped by minDf/maxDfRatio has idf 0 here,
 * which is never a kept term's value (every kept idf is at least 1).
 */
export class TfidfModel {
  readonly vocabularySize: number;
  readonly documents: number;
  readonly sublinearTf: boolean;
  readonly smoothIdf: boolean;
  readonly minDf: number;
  readonly maxDfRatio: number;
  readonly norm: 'l2' | 'none';

  /** Use fitTfidf or TfidfModel.fromBuffer; `idf` is taken over, not copied. */
  constructor(
    readonly idf: Float32Array,
    documents: number,
    options: TfidfSettings,
  ) {
    if (idf.length !== options.vocabularySize) {
      throw new TfidfInputError(
        `idf has ${idf.length} entries but vocabularySize is ${options.vocabularySize}`,
      );
    }
    this.vocabularySize = options.vocabularySize;
    this.documents = documents;
    this.sublinearTf = options.sublinearTf;
    this.smoothIdf = options.smoothIdf;
    this.minDf = options.minDf;
    this.maxDfRatio = options.maxDfRatio;
    this.norm = options.norm;
  }

  /**
   * Weights one document's raw counts. Terms must be strictly ascending integer ids below vocabularySize
   * and counts finite and non-negative (else TfidfInputError). The output keeps the input order and omits
   * zero counts and dropped terms; with norm 'l2' it has unit length unless it is empty.
   */
  transform(doc: { terms: ArrayLike<number>; counts: ArrayLike<number> }): SparseVector {
    const { terms, counts } = doc;
    assertSparseVector(terms, counts, this.vocabularySize, 'document');
    const n = terms.length;
    const outTerms = new Int32Array(n);
    const outWeights = new Float32Array(n);
    let kept = 0;
    let sumSquares = 0;
    for (let i = 0; i < n; i++) {
      const count = counts[i];
      if (count < 0) throw new TfidfInputError(`document: count ${count} for term ${terms[i]} is negative`);
      const idf = this.idf[terms[i]];
      if (count === 0 || idf === 0) continue;
      const weight = (this.sublinearTf ? 1 + Math.log(count) : count) * idf;
      outTerms[kept] = terms[i];
      outWeights[kept] = weight;
      sumSquares += weight * weight;
      kept++;
    }
    const weights = outWeights.slice(0, kept);
    if (this.norm === 'l2' && sumSquares > 0) {
      const inv = 1 / Math.sqrt(sumSquares);
      for (let i = 0; i < kept; i++) weights[i] *= inv;
    }
    return { terms: outTerms.slice(0, kept), weights };
  }

  /** Little-endian binary: 32-byte header (magic, version, sizes, flags, minDf, maxDfRatio) then idf as float32. */
  toBuffer(): Buffer {
    const buffer = Buffer.alloc(HEADER_BYTES + 4 * this.vocabularySize);
    buffer.writeUInt32LE(MAGIC, 0);
    buffer.writeUInt32LE(FORMAT_VERSION, 4);
    buffer.writeUInt32LE(this.vocabularySize, 8);
    buffer.writeUInt32LE(this.documents, 12);
    const flags =
      (this.sublinearTf ? FLAG_SUBLINEAR : 0) |
      (this.smoothIdf ? FLAG_SMOOTH : 0) |
      (this.norm === 'l2' ? FLAG_L2 : 0);
    buffer.writeUInt32LE(flags, 16);
    buffer.writeUInt32LE(this.minDf, 20);
    buffer.writeDoubleLE(this.maxDfRatio, 24);
    for (let t = 0; t < this.vocabularySize; t++) buffer.writeFloatLE(this.idf[t], HEADER_BYTES + 4 * t);
    return buffer;
  }

  static fromBuffer(buffer: Buffer): TfidfModel {
    if (buffer.length < HEADER_BYTES || buffer.readUInt32LE(0) !== MAGIC) {
      throw new TfidfInputError('not a serialized TfidfModel (bad magic number or too short)');
    }
    const version = buffer.readUInt32LE(4);
    if (version !== FORMAT_VERSION) {
      throw new TfidfInputError(
        `unsupported TfidfModel format version ${version}, expected ${FORMAT_VERSION}`,
      );
    }
    const vocabularySize = buffer.readUInt32LE(8);
    const expected = HEADER_BYTES + 4 * vocabularySize;
    if (buffer.length !== expected) {
      throw new TfidfInputError(`TfidfModel buffer has ${buffer.length} bytes, expected ${expected}`);
    }
    const flags = buffer.readUInt32LE(16);
    const idf = new Float32Array(vocabularySize);
    for (let t = 0; t < vocabularySize; t++) idf[t] = buffer.readFloatLE(HEADER_BYTES + 4 * t);
    return new TfidfModel(idf, buffer.readUInt32LE(12), {
      vocabularySize,
      sublinearTf: (flags & FLAG_SUBLINEAR) !== 0,
      smoothIdf: (flags & FLAG_SMOOTH) !== 0,
      norm: (flags & FLAG_L2) !== 0 ? 'l2' : 'none',
      minDf: buffer.readUInt32LE(20),
      maxDfRatio: buffer.readDoubleLE(24),
    });
  }
}

/**
 * Learns idf from a corpus in a single pass (the iterable may be a stream that cannot be replayed).
 * Every document is validated; the first bad one aborts the fit with its id and position in the message.
 */
export function fitTfidf(docs: Iterable<SparseDoc>, opts: TfidfOptions): TfidfModel {
  const options = resolveOptions(opts);
  const vocabularySize = options.vocabularySize;
  const df = new Int32Array(vocabularySize);
  let documents = 0;
  for (const doc of docs) {
    const what = `document ${doc.id} (#${documents})`;
    assertSparseVector(doc.terms, doc.counts, vocabularySize, what);
    const { terms, counts } = doc;
    for (let i = 0; i < terms.length; i++) {
      if (counts[i] < 0)
        throw new TfidfInputError(`${what}: count ${counts[i]} for term ${terms[i]} is negative`);
      if (counts[i] > 0) df[terms[i]]++;
    }
    documents++;
  }
  if (documents === 0) throw new TfidfInputError('cannot fit TF-IDF on an empty corpus');

  const idf = new Float32Array(vocabularySize);
  const maxDf = options.maxDfRatio * documents;
  for (let t = 0; t < vocabularySize; t++) {
    const d = df[t];
    if (d < options.minDf || d > maxDf) continue;
    idf[t] = options.smoothIdf ? Math.log((1 + documents) / (1 + d)) + 1 : Math.log(documents / d) + 1;
  }
  return new TfidfModel(idf, documents, options);
}

function resolveOptions(opts: TfidfOptions): TfidfSettings {
  assertPositiveInteger(opts.vocabularySize, 'vocabularySize');
  const resolved: TfidfSettings = {
    vocabularySize: opts.vocabularySize,
    sublinearTf: opts.sublinearTf ?? true,
    smoothIdf: opts.smoothIdf ?? true,
    minDf: opts.minDf ?? 1,
    maxDfRatio: opts.maxDfRatio ?? 1,
    norm: opts.norm ?? 'l2',
  };
  if (!Number.isInteger(resolved.minDf) || resolved.minDf < 1) {
    throw new TfidfInputError(`minDf must be an integer >= 1, got ${resolved.minDf}`);
  }
  if (!(resolved.maxDfRatio > 0 && resolved.maxDfRatio <= 1)) {
    throw new TfidfInputError(`maxDfRatio must be in (0, 1], got ${resolved.maxDfRatio}`);
  }
  if (resolved.norm !== 'l2' && resolved.norm !== 'none') {
    throw new TfidfInputError(`norm must be 'l2' or 'none', got ${String(resolved.norm)}`);
  }
  return resolved;
}

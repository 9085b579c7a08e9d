import { SeededRandom } from '@tunegraph/vectors';
import { Word2VecInputError } from './word2vec.errors';
import type { Word2VecModel } from './word2vec.model';

/** A bag of words such as a musiXmatch record or a TF-IDF SparseDoc: `counts[i]` occurrences of `terms[i]`. */
export interface BagOfWords {
  terms: ArrayLike<number>;
  counts: ArrayLike<number>;
}

/**
 * One pseudo-sentence per document: every term repeated `count` times, then shuffled (seeded), since a
 * musiXmatch bag of words has lost the word order. A window then pairs words that share a song, at random distances.
 */
export function lyricsSequences(docs: readonly BagOfWords[], seed: number): Int32Array[] {
  if (!Array.isArray(docs)) throw new Word2VecInputError('docs', 'expected an array of bags of words');
  const rng = new SeededRandom(seed);
  return docs.map((doc, d) => {
    const total = checkedTotal(doc, `docs[${d}]`);
    const seq = new Int32Array(total);
    let at = 0;
    for (let i = 0; i < doc.terms.length; i++) {
      seq.fill(doc.terms[i], at, at + doc.counts[i]);
      at += doc.counts[i];
    }
    rng.shuffle(seq);
    return seq;
  });
}

/**
 * A song's vector as the weighted mean of its words' vectors, weight = count × idf[term] (count alone without
 * idf; pass TfidfModel.idf for TF-IDF weights). Words the model has no vector for add nothing to the sum or to the
 * total weight. All zeros when no word has a vector, which nearest() treats as "no direction".
 */
export function songVector(model: Word2VecModel, doc: BagOfWords, idf?: Float32Array): Float32Array {
  checkedTotal(doc, 'doc');
  if (idf !== undefined && (!(idf instanceof Float32Array) || idf.length !== model.vocabularySize)) {
    throw new Word2VecInputError(
      'idf',
      `expected a Float32Array of length vocabularySize=${model.vocabularySize}`,
    );
  }
  const { dim, vectors } = model;
  const out = new Float32Array(dim);
  let totalWeight = 0;
  for (let i = 0; i < doc.terms.length; i++) {
    const term = doc.terms[i];
    if (term >= model.vocabularySize) {
      throw new Word2VecInputError(
        'doc',
        `term ${term} at position ${i} is outside [0, ${model.vocabularySize})`,
      );
    }
    const w = doc.counts[i] * (idf === undefined ? 1 : idf[term]);
    if (!(Number.isFinite(w) && w >= 0)) {
      throw new Word2VecInputError('idf', `term ${term} has weight ${w}; idf must be finite and >= 0`);
    }
    if (w === 0 || !model.hasVector(term)) continue;
    for (let j = 0; j < dim; j++) out[j] += w * vectors[term * dim + j];
    totalWeight += w;
  }
  if (totalWeight > 0) for (let j = 0; j < dim; j++) out[j] /= totalWeight;
  return out;
}

/** Validates the shape of a bag of words and returns its total count. */
function checkedTotal(doc: BagOfWords, name: string): number {
  if (doc === null || typeof doc !== 'object' || doc.terms === undefined || doc.counts === undefined) {
    throw new Word2VecInputError(name, 'expected { terms, counts }');
  }
  if (doc.terms.length !== doc.counts.length) {
    throw new Word2VecInputError(name, `${doc.terms.length} terms but ${doc.counts.length} counts`);
  }
  let total = 0;
  for (let i = 0; i < doc.terms.length; i++) {
    const term = doc.terms[i];
    const count = doc.counts[i];
    if (!Number.isInteger(term) || term < 0) {
      throw new Word2VecInputError(name, `term ${term} at position ${i} is not a non-negative integer`);
    }
    if (!Number.isInteger(count) || count < 0) {
      throw new Word2VecInputError(
        name,
        `count ${count} of term ${term} at position ${i} is not a non-negative integer`,
      );
    }
    total += count;
  }
  return total;
}

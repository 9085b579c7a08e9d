import { LdaInputError } from './lda.errors';

/** A bag of words: strictly ascending term ids below the vocabulary size, with a finite count >= 0 each. */
export interface LdaDocument {
  readonly terms: Int32Array;
  readonly counts: Float32Array;
}

/** Checks every document up front so a bad one fails the call before any work, named by its index. */
export function assertDocuments(docs: readonly LdaDocument[], vocabularySize: number, what: string): void {
  if (!Array.isArray(docs)) throw new LdaInputError(`${what}: expected an array of documents`);
  for (let d = 0; d < docs.length; d++) assertDocument(docs[d], vocabularySize, `${what}[${d}]`);
}

export function assertDocument(doc: LdaDocument, vocabularySize: number, what: string): void {
  if (doc === null || typeof doc !== 'object') throw new LdaInputError(`${what}: not a document object`);
  const { terms, counts } = doc;
  if (!(terms instanceof Int32Array)) throw new LdaInputError(`${what}: terms must be an Int32Array`);
  if (!(counts instanceof Float32Array)) throw new LdaInputError(`${what}: counts must be a Float32Array`);
  if (terms.length !== counts.length) {
    throw new LdaInputError(`${what}: ${terms.length} terms but ${counts.length} counts`);
  }
  let previous = -1;
  for (let i = 0; i < terms.length; i++) {
    const term = terms[i];
    if (term < 0 || term >= vocabularySize) {
      throw new LdaInputError(`${what}: term ${term} at position ${i} is outside [0, ${vocabularySize})`);
    }
    if (term <= previous) {
      throw new LdaInputError(
        `${what}: terms must be strictly ascending, but term ${term} at position ${i} follows ${previous}`,
      );
    }
    previous = term;
    const count = counts[i];
    if (!(count >= 0) || count === Infinity) {
      throw new LdaInputError(`${what}: count ${count} for term ${term} is not a finite number >= 0`);
    }
  }
}

export function assertPositiveInteger(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new LdaInputError(`${name} must be a positive integer, got ${String(value)}`);
  }
}

export function assertPositive(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number' || !(value > 0) || value === Infinity) {
    throw new LdaInputError(`${name} must be a finite number > 0, got ${String(value)}`);
  }
}

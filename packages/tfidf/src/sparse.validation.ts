import { TfidfInputError } from './tfidf.errors';

/**
 * Checks the sparse-vector contract shared by documents, index entries and queries: equal lengths,
 * integer term ids in [0, vocabularySize), strictly ascending (so merges and dot products can walk
 * both vectors once), finite values. `what` prefixes every message so the caller's record is named.
 */
export function assertSparseVector(
  terms: ArrayLike<number>,
  values: ArrayLike<number>,
  vocabularySize: number,
  what: string,
): void {
  if (terms.length !== values.length) {
    throw new TfidfInputError(`${what}: ${terms.length} terms but ${values.length} values`);
  }
  let previous = -1;
  for (let i = 0; i < terms.length; i++) {
    const term = terms[i];
    if (!Number.isInteger(term) || term < 0 || term >= vocabularySize) {
      throw new TfidfInputError(
        `${what}: term ${term} at position ${i} is not an integer in [0, ${vocabularySize})`,
      );
    }
    if (term <= previous) {
      throw new TfidfInputError(
        `${what}: terms must be strictly ascending, but term ${term} at position ${i} follows ${previous}`,
      );
    }
    previous = term;
    if (!Number.isFinite(values[i])) {
      throw new TfidfInputError(`${what}: value ${values[i]} for term ${term} is not finite`);
    }
  }
}

export function assertPositiveInteger(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new TfidfInputError(`${name} must be a positive integer, got ${value}`);
  }
}

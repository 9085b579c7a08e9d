import { TfidfInputError } from './tfidf.errors';
import type { SparseVector } from './tfidf.model';

/**
 * Why two documents are content neighbours: the n shared terms with the largest product of weights,
 * i.e. the largest contributions to their dot product (the cosine, for L2-normalised vectors).
 * Only positive contributions are reasons; ties go to the smaller term id. Both vectors must have
 * strictly ascending terms (as produced by TfidfModel.transform) so they can be merged in one walk.
 */
export function sharedTopTerms(
  a: SparseVector,
  b: SparseVector,
  n: number,
): { term: number; weight: number }[] {
  if (!Number.isInteger(n) || n < 0) throw new TfidfInputError(`n must be a non-negative integer, got ${n}`);
  assertMergeable(a, 'a');
  assertMergeable(b, 'b');
  const shared: { term: number; weight: number }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.terms.length && j < b.terms.length) {
    const termA = a.terms[i];
    const termB = b.terms[j];
    if (termA < termB) i++;
    else if (termA > termB) j++;
    else {
      const weight = a.weights[i] * b.weights[j];
      if (weight > 0) shared.push({ term: termA, weight });
      i++;
      j++;
    }
  }
  shared.sort((x, y) => y.weight - x.weight || x.term - y.term);
  return shared.slice(0, n);
}

function assertMergeable({ terms, weights }: SparseVector, name: string): void {
  if (terms.length !== weights.length) {
    throw new TfidfInputError(`${name}: ${terms.length} terms but ${weights.length} weights`);
  }
  for (let i = 1; i < terms.length; i++) {
    if (terms[i] <= terms[i - 1]) {
      throw new TfidfInputError(
        `${name}: terms must be strictly ascending, but ${terms[i]} follows ${terms[i - 1]}`,
      );
    }
  }
}

export {
  TfidfModel,
  fitTfidf,
  type SparseDoc,
  type SparseVector,
  type TfidfOptions,
  type TfidfSettings,
} from './tfidf.model';
export { SparseIndex } from './sparse.index';
export { sharedTopTerms } from './shared-terms.explain';
export { TfidfInputError } from './tfidf.errors';

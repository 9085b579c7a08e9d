export { CosineLsh, type LshOptions, type LshQueryResult } from './cosine.lsh';
export { LshEmptyIndexError, LshInputError } from './lsh.errors';

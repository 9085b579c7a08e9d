export { CosineLsh, type CosineFamily, type LshOptions, type LshQueryResult } from './cosine.lsh';
export {
  BucketedRandomProjectionLsh,
  type BucketedRandomProjectionOptions,
  type EuclideanQueryResult,
} from './bucketed-random-projection.lsh';
export { LshEmptyIndexError, LshInputError } from './lsh.errors';
export {
  tuneCosineLsh,
  defaultTables,
  defaultSettings,
  type CosineSetting,
  type CosineTuneOptions,
  type CosineTuning,
} from './cosine.tune';
export { buildCosineIndex, type CosineIndexSpec } from './cosine.build';
export { buildCosineIndexOffThread } from './cosine.build.async';

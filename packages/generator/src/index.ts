export {
  generateDataset,
  DATASET_FILES,
  type GenerateOptions,
  type GenerateSummary,
} from './dataset.generator';
export { PRESETS, STRUCTURE, type Preset, type PresetShape } from './presets.config';
export {
  readTruth,
  TRUTH_FILE,
  type Truth,
  type TruthFile,
  type SongTruth,
  type UserTruth,
} from './truth.io';
export { Sfc32 } from './sfc32.prng';
export { AliasTable } from './alias.sampler';

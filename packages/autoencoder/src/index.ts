export { AutoencoderInputError } from './autoencoder.errors';
export type { SparseRows } from './sparse.rows';
export type { Variant } from './network';
export type { AutoencoderOptions, EpochProgress, Validation } from './autoencoder.options';
export {
  AutoencoderModel,
  type Attribution,
  type FoldedAutoencoderUser,
  type RecommendOptions,
} from './autoencoder.model';
export { AUTOENCODER_FORMAT_VERSION, type AutoencoderState } from './model.codec';
export { trainAutoencoder, klWeight, EarlyStopping, type TrainResult } from './autoencoder.trainer';
export { ensureBackend, readyBackend, type BackendName } from './tf.backend';

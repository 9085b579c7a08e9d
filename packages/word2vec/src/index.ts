export { Word2VecInputError } from './word2vec.errors';
export type { Word2VecOptions, Word2VecProgress } from './word2vec.options';
export { Word2VecModel, type Neighbours } from './word2vec.model';
export { WORD2VEC_FORMAT_VERSION } from './model.codec';
export { trainWord2Vec, type SequenceSource } from './word2vec.trainer';
export { trainWord2VecParallel, type ParallelWord2VecOptions } from './word2vec.parallel';
export { lyricsSequences, songVector, type BagOfWords } from './lyrics.sequences';
export {
  item2vec,
  item2vecParallel,
  userHistories,
  recommendFromHistory,
  type Item2VecOptions,
} from './item2vec';
export { LyricEmbedding, type WordPairContribution } from './lyric-embedding';

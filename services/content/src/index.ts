export { trainTfidfJob, type TrainTfidfDeps, type TrainTfidfSummary } from './jobs/train-tfidf.job';
export {
  trainLdaJob,
  DEFAULT_LDA_OPTIONS,
  type TrainLdaOptions,
  type TrainLdaSummary,
} from './jobs/train-lda.job';
export {
  trainWord2VecJob,
  DEFAULT_WORD2VEC_OPTIONS,
  type TrainWord2VecOptions,
  type TrainWord2VecSummary,
} from './jobs/train-word2vec.job';

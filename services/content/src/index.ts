export { trainTfidfJob, type TrainTfidfDeps, type TrainTfidfSummary } from './jobs/train-tfidf.job';
export { trainLdaJob, DEFAULT_LDA_OPTIONS, type TrainLdaOptions, type TrainLdaSummary } from './jobs/train-lda.job';

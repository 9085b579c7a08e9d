export { trainTfidfJob, type TrainTfidfDeps, type TrainTfidfSummary } from './jobs/train-tfidf.job';

export {
  trainAlsJob,
  DEFAULT_ALS_JOB_OPTIONS,
  type TrainAlsJobDeps,
  type TrainAlsJobOptions,
  type TrainAlsSummary,
  type AlsHoldoutMetrics,
} from './jobs/train-als.job';
export { AppModule } from './app.module';
export {
  trainItem2VecJob,
  DEFAULT_ITEM2VEC_OPTIONS,
  type TrainItem2VecOptions,
  type TrainItem2VecSummary,
} from './jobs/train-item2vec.job';

export {
  trainAlsJob,
  DEFAULT_ALS_JOB_OPTIONS,
  type TrainAlsJobDeps,
  type TrainAlsJobOptions,
  type TrainAlsSummary,
  type AlsHoldoutMetrics,
} from './jobs/train-als.job';
export { AppModule } from './app.module';

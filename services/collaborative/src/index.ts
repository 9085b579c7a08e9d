export {
  trainModelJob,
  DEFAULT_HOLDOUT,
  type HoldoutSettings,
  type HoldoutMetrics,
  type TrainModelHooks,
  type TrainModelSummary,
} from './jobs/train-model.job';
export { evaluateModels, type EvaluateModelsOptions } from './jobs/evaluate-models.job';
export { collaborativeModels, COLLABORATIVE_MODEL_KINDS, DEFAULT_MODEL } from './models/model-kinds';
export type { ModelKind, TrainingData, ProgressLog, VectorTarget } from './models/model-kind';
export { AppModule } from './app.module';
export {
  trainItem2VecJob,
  DEFAULT_ITEM2VEC_OPTIONS,
  type TrainItem2VecOptions,
  type TrainItem2VecSummary,
} from './jobs/train-item2vec.job';

export type { Interactions } from './interactions.types';
export { holdoutSplit, type HoldoutOptions } from './holdout.split';
export { precisionAtK, recallAtK, ndcgAtK, averagePrecisionAtK } from './ranking.metrics';
export { evaluateRanking, type EvaluationOptions, type EvaluationResult } from './ranking.evaluator';
export { popularityRanking } from './popularity.ranking';
export { labelAgreement, type LabelAgreement } from './label-agreement';

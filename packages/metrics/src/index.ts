export type { Interactions } from './interactions.types';
export { holdoutSplit, type HoldoutOptions } from './holdout.split';
export { precisionAtK, recallAtK, ndcgAtK, averagePrecisionAtK } from './ranking.metrics';
export { evaluateRanking, type EvaluationOptions, type EvaluationResult } from './ranking.evaluator';
export { popularityRanking } from './popularity.ranking';
export {
  toHistory,
  topKOfScores,
  type Recommender,
  type FoldedUser,
  type History,
  type Explanation,
  type Ranking,
} from './recommender.types';
export {
  msdChallengeSplit,
  strongGeneralizationSplit,
  holdoutEvaluationSplit,
  type EvaluationSplit,
  type StrongGeneralizationOptions,
} from './evaluation.splits';
export { evaluateRecommender, evenSample, type RecommenderEvaluation } from './recommender.evaluator';
export { reportMarkdown, reportSvg, type EvaluationReport } from './evaluation.report';

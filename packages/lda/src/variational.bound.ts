import {
  InferenceScratch,
  inferDocument,
  topicWordExpectation,
  type InferenceSettings,
} from './document.inference';
import type { LdaDocument } from './lda.validation';
import { digamma, logGamma } from './special.functions';

/** What the ELBO needs to know about a fitted model. */
export interface BoundModel {
  readonly topics: number;
  readonly vocabularySize: number;
  readonly lambda: Float32Array;
  readonly eta: number;
  readonly inference: InferenceSettings;
  readonly expElogbetaT: Float64Array;
}

/**
 * The evidence lower bound of `docs` under the model, term by term as scikit-learn's `_approx_bound` with
 * sub_sampling off: each document's gamma is inferred from a uniform start, then
 * E[log p(w | theta, beta)] + E[log p(theta | alpha) - log q(theta | gamma)] summed over the documents, plus
 * the topics' own E[log p(beta | eta) - log q(beta | lambda)] once (unless `withTopics` is false). Returns the
 * bound and the word count.
 */
export function evidenceLowerBound(
  model: BoundModel,
  docs: readonly LdaDocument[],
  withTopics = true,
): { bound: number; words: number } {
  const K = model.topics;
  const { alpha } = model.inference;
  const ElogbetaT = new Float64Array(model.vocabularySize * K);
  topicWordExpectation(model.lambda, K, model.vocabularySize, ElogbetaT, false);
  const scratch = new InferenceScratch(K);
  const gamma = new Float64Array(K);
  const Elogtheta = new Float64Array(K);
  const logAlphaTerms = logGamma(alpha * K) - K * logGamma(alpha);
  let bound = 0;
  let words = 0;
  for (const { terms, counts } of docs) {
    gamma.fill(1);
    inferDocument(terms, counts, model.expElogbetaT, gamma, model.inference, scratch);
    let gammaSum = 0;
    for (let k = 0; k < K; k++) gammaSum += gamma[k];
    const psiSum = digamma(gammaSum);
    for (let k = 0; k < K; k++) Elogtheta[k] = digamma(gamma[k]) - psiSum;
    for (let j = 0; j < terms.length; j++) {
      bound += counts[j] * logSumExpOfSum(Elogtheta, ElogbetaT, terms[j] * K, K);
      words += counts[j];
    }
    for (let k = 0; k < K; k++) bound += (alpha - gamma[k]) * Elogtheta[k] + logGamma(gamma[k]);
    bound += logAlphaTerms - logGamma(gammaSum);
  }
  return { bound: withTopics ? bound + topicsBound(model, ElogbetaT) : bound, words };
}

/** log sum_k exp(a[k] + b[offset + k]), shifted by the maximum so no term overflows or all underflow. */
function logSumExpOfSum(a: Float64Array, b: Float64Array, offset: number, K: number): number {
  let max = -Infinity;
  for (let k = 0; k < K; k++) max = Math.max(max, a[k] + b[offset + k]);
  let sum = 0;
  for (let k = 0; k < K; k++) sum += Math.exp(a[k] + b[offset + k] - max);
  return max + Math.log(sum);
}

function topicsBound(model: BoundModel, ElogbetaT: Float64Array): number {
  const { topics: K, vocabularySize: V, lambda, eta } = model;
  const logEta = logGamma(eta);
  let bound = K * logGamma(eta * V);
  for (let k = 0; k < K; k++) {
    let sum = 0;
    for (let v = 0; v < V; v++) {
      const value = lambda[k * V + v];
      sum += value;
      bound += (eta - value) * ElogbetaT[v * K + k] + logGamma(value) - logEta;
    }
    bound -= logGamma(sum);
  }
  return bound;
}

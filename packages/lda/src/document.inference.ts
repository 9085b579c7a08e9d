import { digamma } from './special.functions';

// Added to every word's normaliser so a word no topic can explain does not divide by zero (as scikit-learn).
const EPS = 2.220446049250313e-16;

/** Per-document work arrays, grown on demand and reused across documents so the E-step never allocates. */
export class InferenceScratch {
  /** exp(E[log beta]) of the document's words, word-major: K values per word. */
  wordTopics = new Float64Array(0);
  /** Per word: sum over topics of exp(E[log theta_k]) exp(E[log beta_kw]), filled when inference ends. */
  normalizers = new Float64Array(0);
  readonly expElogtheta: Float64Array;
  readonly totals: Float64Array;

  constructor(readonly topics: number) {
    this.expElogtheta = new Float64Array(topics);
    this.totals = new Float64Array(topics);
  }

  reserve(words: number): void {
    if (this.normalizers.length >= words) return;
    const capacity = Math.max(words, 2 * this.normalizers.length);
    this.normalizers = new Float64Array(capacity);
    this.wordTopics = new Float64Array(capacity * this.topics);
  }
}

/** out[k] = exp(E[log theta_k]) = exp(psi(gamma_k) - psi(sum gamma)) under Dirichlet(gamma). */
export function expDirichletExpectation(gamma: Float64Array, out: Float64Array): void {
  const K = gamma.length;
  let sum = 0;
  for (let k = 0; k < K; k++) sum += gamma[k];
  const psiSum = digamma(sum);
  for (let k = 0; k < K; k++) out[k] = Math.exp(digamma(gamma[k]) - psiSum);
}

export interface InferenceSettings {
  readonly alpha: number;
  readonly maxIterations: number;
  readonly meanChangeTolerance: number;
}

/**
 * Coordinate ascent on one document's variational Dirichlet `gamma` (updated in place from the caller's
 * start value) with the topics held fixed, as in Hoffman et al. (2010), Algorithm 2. It stops after
 * `maxIterations` or once the mean absolute change of gamma falls below the tolerance. On return the
 * scratch holds exp(E[log theta]) and the word normalisers of the final gamma, which the sufficient
 * statistics need. `expElogbetaT` is exp(E[log beta]) word-major (V x K).
 */
export function inferDocument(
  terms: Int32Array,
  counts: Float32Array,
  expElogbetaT: Float64Array,
  gamma: Float64Array,
  settings: InferenceSettings,
  scratch: InferenceScratch,
): void {
  const K = scratch.topics;
  const words = terms.length;
  scratch.reserve(words);
  const { wordTopics, expElogtheta, totals } = scratch;
  for (let j = 0; j < words; j++) {
    const from = terms[j] * K;
    const to = j * K;
    for (let k = 0; k < K; k++) wordTopics[to + k] = expElogbetaT[from + k];
  }
  expDirichletExpectation(gamma, expElogtheta);
  const { alpha, maxIterations, meanChangeTolerance } = settings;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    // One sweep per iteration: each word's normaliser under the current gamma, then its share of the totals.
    totals.fill(0);
    for (let j = 0; j < words; j++) {
      const row = j * K;
      let norm = EPS;
      for (let k = 0; k < K; k++) norm += expElogtheta[k] * wordTopics[row + k];
      const ratio = counts[j] / norm;
      for (let k = 0; k < K; k++) totals[k] += ratio * wordTopics[row + k];
    }
    let change = 0;
    for (let k = 0; k < K; k++) {
      const updated = alpha + expElogtheta[k] * totals[k];
      change += Math.abs(updated - gamma[k]);
      gamma[k] = updated;
    }
    expDirichletExpectation(gamma, expElogtheta);
    if (change / K < meanChangeTolerance) break;
  }
  const { normalizers } = scratch;
  for (let j = 0; j < words; j++) {
    const row = j * K;
    let norm = EPS;
    for (let k = 0; k < K; k++) norm += expElogtheta[k] * wordTopics[row + k];
    normalizers[j] = norm;
  }
}

/**
 * E[log beta] (or its exp) of every topic-word pair from lambda (K x V, topic-major), written word-major
 * (V x K) so that a document's words are gathered as contiguous rows.
 */
export function topicWordExpectation(
  lambda: ArrayLike<number>,
  topics: number,
  vocabularySize: number,
  out: Float64Array,
  exponentiate: boolean,
): void {
  for (let k = 0; k < topics; k++) {
    const row = k * vocabularySize;
    let sum = 0;
    for (let v = 0; v < vocabularySize; v++) sum += lambda[row + v];
    const psiSum = digamma(sum);
    for (let v = 0; v < vocabularySize; v++) {
      const value = digamma(lambda[row + v]) - psiSum;
      out[v * topics + k] = exponentiate ? Math.exp(value) : value;
    }
  }
}

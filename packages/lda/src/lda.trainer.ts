import { SeededRandom } from '@tunegraph/vectors';
import { InferenceScratch, inferDocument, topicWordExpectation } from './document.inference';
import { sampleGamma } from './gamma.sampler';
import { LdaInputError } from './lda.errors';
import { LdaModel } from './lda.model';
import { assertDocuments, assertPositive, assertPositiveInteger, type LdaDocument } from './lda.validation';

export interface LdaProgress {
  /** 1-based. */
  pass: number;
  /** 1-based within the pass. */
  batch: number;
  batchesPerPass: number;
  /** Mini-batch updates applied so far, over all passes. */
  updates: number;
  /** The weight rho = (tau0 + updates)^-kappa the latest update gave its batch. */
  learningRate: number;
}

export interface LdaOptions {
  topics: number;
  vocabularySize: number;
  /** Sweeps over the corpus; each visits every document once, in a fresh seeded order. */
  passes: number;
  /** Documents per mini-batch (the last batch of a pass may be smaller). */
  batchSize: number;
  seed: number;
  /** Document-topic Dirichlet prior; default 1 / topics. */
  alpha?: number;
  /** Topic-word Dirichlet prior; default 1 / topics. */
  eta?: number;
  /** Learning-rate offset; > 0, default 10. Larger values slow down the early updates. */
  tau0?: number;
  /** Learning-rate decay in (0.5, 1], default 0.7: the range where the online updates converge. */
  kappa?: number;
  /** E-step iteration cap per document; default 100. */
  maxDocIterations?: number;
  /** The E-step stops once gamma's mean absolute change is below this; default 1e-3. */
  meanChangeTolerance?: number;
  /** Called after every mini-batch update. */
  onProgress?: (progress: LdaProgress) => void;
}

// scikit-learn's defaults, so results can be compared with LatentDirichletAllocation(learning_method='online').
const DEFAULT_TAU0 = 10;
const DEFAULT_KAPPA = 0.7;
const DEFAULT_MAX_DOC_ITERATIONS = 100;
const DEFAULT_MEAN_CHANGE_TOLERANCE = 1e-3;
// Random starts for lambda and gamma are Gamma(100, 1/100): near 1 with a little noise to break symmetry.
const INIT_SHAPE = 100;

/**
 * Online variational Bayes for LDA (Hoffman, Blei, Bach 2010): for each mini-batch, an E-step fits every
 * document's gamma with the topics fixed, then lambda moves towards the estimate that batch implies as if
 * it were the whole corpus, lambda <- (1 - rho) lambda + rho (eta + D / |batch| * sstats), with
 * rho = (tau0 + t)^-kappa. Same updates and defaults as scikit-learn's online LatentDirichletAllocation;
 * unlike it, each pass visits the documents in a seeded random order. Throws LdaInputError on bad options
 * or documents before any work.
 */
export function fitLda(docs: readonly LdaDocument[], options: LdaOptions): LdaModel {
  const settings = resolveOptions(options);
  const { topics: K, vocabularySize: V, passes, batchSize, alpha, eta, tau0, kappa } = settings;
  assertDocuments(docs, V, 'docs');
  if (docs.length === 0) throw new LdaInputError('docs: need at least one document to fit');

  const rng = new SeededRandom(options.seed);
  const lambda = new Float64Array(K * V);
  for (let i = 0; i < lambda.length; i++) lambda[i] = sampleGamma(rng, INIT_SHAPE) / INIT_SHAPE;
  const expElogbetaT = new Float64Array(V * K);
  topicWordExpectation(lambda, K, V, expElogbetaT, true);

  const inference = {
    alpha,
    maxIterations: settings.maxDocIterations,
    meanChangeTolerance: settings.meanChangeTolerance,
  };
  const scratch = new InferenceScratch(K);
  const gamma = new Float64Array(K);
  const sstats = new Float64Array(V * K);
  const order = Int32Array.from({ length: docs.length }, (_, i) => i);
  const batchesPerPass = Math.ceil(docs.length / batchSize);
  let updates = 0;

  for (let pass = 1; pass <= passes; pass++) {
    rng.shuffle(order);
    for (let batch = 1; batch <= batchesPerPass; batch++) {
      const start = (batch - 1) * batchSize;
      const end = Math.min(start + batchSize, docs.length);
      sstats.fill(0);
      for (let i = start; i < end; i++) {
        const { terms, counts } = docs[order[i]];
        for (let k = 0; k < K; k++) gamma[k] = sampleGamma(rng, INIT_SHAPE) / INIT_SHAPE;
        inferDocument(terms, counts, expElogbetaT, gamma, inference, scratch);
        accumulate(sstats, terms, counts, scratch);
      }
      updates++;
      // scikit-learn counts from 1 (n_batch_iter_), so the first batch gets (tau0 + 1)^-kappa.
      const rho = Math.pow(tau0 + updates, -kappa);
      const scale = docs.length / (end - start);
      for (let k = 0; k < K; k++) {
        const row = k * V;
        for (let v = 0; v < V; v++) {
          const t = v * K + k;
          // The E-step's statistics still lack the exp(E[log beta]) factor of phi; applied here.
          const target = eta + scale * sstats[t] * expElogbetaT[t];
          lambda[row + v] = (1 - rho) * lambda[row + v] + rho * target;
        }
      }
      topicWordExpectation(lambda, K, V, expElogbetaT, true);
      options.onProgress?.({ pass, batch, batchesPerPass, updates, learningRate: rho });
    }
  }

  return new LdaModel({
    topics: K,
    vocabularySize: V,
    alpha,
    eta,
    maxDocIterations: settings.maxDocIterations,
    meanChangeTolerance: settings.meanChangeTolerance,
    lambda: Float32Array.from(lambda),
  });
}

/** sstats[w, k] += exp(E[log theta_k]) * count_w / normaliser_w for the document just inferred. */
function accumulate(
  sstats: Float64Array,
  terms: Int32Array,
  counts: Float32Array,
  scratch: InferenceScratch,
): void {
  const K = scratch.topics;
  const { expElogtheta, normalizers } = scratch;
  for (let j = 0; j < terms.length; j++) {
    const ratio = counts[j] / normalizers[j];
    const row = terms[j] * K;
    for (let k = 0; k < K; k++) sstats[row + k] += expElogtheta[k] * ratio;
  }
}

type ResolvedOptions = Required<Omit<LdaOptions, 'onProgress'>>;

function resolveOptions(options: LdaOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') throw new LdaInputError('options: expected an object');
  const { topics, vocabularySize, passes, batchSize, seed } = options;
  assertPositiveInteger(topics, 'topics');
  assertPositiveInteger(vocabularySize, 'vocabularySize');
  assertPositiveInteger(passes, 'passes');
  assertPositiveInteger(batchSize, 'batchSize');
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new LdaInputError(`seed must be a finite number, got ${String(seed)}`);
  }
  const resolved: ResolvedOptions = {
    topics,
    vocabularySize,
    passes,
    batchSize,
    seed,
    alpha: options.alpha ?? 1 / topics,
    eta: options.eta ?? 1 / topics,
    tau0: options.tau0 ?? DEFAULT_TAU0,
    kappa: options.kappa ?? DEFAULT_KAPPA,
    maxDocIterations: options.maxDocIterations ?? DEFAULT_MAX_DOC_ITERATIONS,
    meanChangeTolerance: options.meanChangeTolerance ?? DEFAULT_MEAN_CHANGE_TOLERANCE,
  };
  assertPositive(resolved.alpha, 'alpha');
  assertPositive(resolved.eta, 'eta');
  assertPositive(resolved.tau0, 'tau0');
  if (typeof resolved.kappa !== 'number' || !(resolved.kappa > 0.5 && resolved.kappa <= 1)) {
    throw new LdaInputError(
      `kappa must be in (0.5, 1] for the online updates to converge, got ${resolved.kappa}`,
    );
  }
  assertPositiveInteger(resolved.maxDocIterations, 'maxDocIterations');
  assertPositive(resolved.meanChangeTolerance, 'meanChangeTolerance');
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw new LdaInputError('onProgress must be a function');
  }
  return resolved;
}

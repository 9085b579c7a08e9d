import { TopK } from '@tunegraph/vectors';
import {
  InferenceScratch,
  inferDocument,
  topicWordExpectation,
  type InferenceSettings,
} from './document.inference';
import { LdaInputError } from './lda.errors';
import {
  assertDocument,
  assertDocuments,
  assertPositive,
  assertPositiveInteger,
  type LdaDocument,
} from './lda.validation';
import { decodeModel, encodeModel, type LdaModelState } from './model.codec';
import { evidenceLowerBound } from './variational.bound';

export interface TopicTerm {
  term: number;
  /** The term's probability under the topic, lambda normalised over the vocabulary. */
  weight: number;
}

/**
 * A fitted LDA model: the variational topic-word Dirichlets `lambda` (K x V, topic-major) and the settings
 * that inference on new documents reuses. Its arrays must not be modified; transform reuses
 * per-model scratch buffers, which is safe because it runs synchronously to the end.
 */
export class LdaModel {
  readonly topics: number;
  readonly vocabularySize: number;
  readonly lambda: Float32Array;
  /** Document-topic Dirichlet prior. */
  readonly alpha: number;
  /** Topic-word Dirichlet prior. */
  readonly eta: number;
  readonly maxDocIterations: number;
  readonly meanChangeTolerance: number;
  /** exp(E[log beta]) word-major (V x K), derived once from lambda. */
  readonly expElogbetaT: Float64Array;
  readonly inference: InferenceSettings;
  private readonly scratch: InferenceScratch;
  private readonly gamma: Float64Array;

  /** Use fitLda or LdaModel.fromBuffer; `state.lambda` is taken over, not copied. */
  constructor(state: LdaModelState) {
    assertPositiveInteger(state.topics, 'topics');
    assertPositiveInteger(state.vocabularySize, 'vocabularySize');
    assertPositive(state.alpha, 'alpha');
    assertPositive(state.eta, 'eta');
    assertPositiveInteger(state.maxDocIterations, 'maxDocIterations');
    assertPositive(state.meanChangeTolerance, 'meanChangeTolerance');
    const { topics, vocabularySize, lambda } = state;
    if (!(lambda instanceof Float32Array) || lambda.length !== topics * vocabularySize) {
      throw new LdaInputError(
        `lambda must be a Float32Array of topics x vocabularySize = ${topics * vocabularySize} values`,
      );
    }
    for (let i = 0; i < lambda.length; i++) {
      if (!(lambda[i] > 0) || lambda[i] === Infinity) {
        throw new LdaInputError(
          `lambda[${Math.floor(i / vocabularySize)}, ${i % vocabularySize}] = ${lambda[i]} is not a finite number > 0`,
        );
      }
    }
    this.topics = topics;
    this.vocabularySize = vocabularySize;
    this.lambda = lambda;
    this.alpha = state.alpha;
    this.eta = state.eta;
    this.maxDocIterations = state.maxDocIterations;
    this.meanChangeTolerance = state.meanChangeTolerance;
    this.inference = {
      alpha: state.alpha,
      maxIterations: state.maxDocIterations,
      meanChangeTolerance: state.meanChangeTolerance,
    };
    this.expElogbetaT = new Float64Array(vocabularySize * topics);
    topicWordExpectation(lambda, topics, vocabularySize, this.expElogbetaT, true);
    this.scratch = new InferenceScratch(topics);
    this.gamma = new Float64Array(topics);
  }

  /**
   * The document's topic mixture: its variational Dirichlet inferred from a uniform start with the topics
   * fixed, normalised to sum to 1 (scikit-learn's transform). Deterministic.
   */
  transform(doc: LdaDocument): Float32Array {
    assertDocument(doc, this.vocabularySize, 'document');
    const gamma = this.gamma;
    gamma.fill(1);
    inferDocument(doc.terms, doc.counts, this.expElogbetaT, gamma, this.inference, this.scratch);
    let sum = 0;
    for (let k = 0; k < this.topics; k++) sum += gamma[k];
    const mixture = new Float32Array(this.topics);
    for (let k = 0; k < this.topics; k++) mixture[k] = gamma[k] / sum;
    return mixture;
  }

  /** The topic's `n` most probable terms, most probable first (ties: smaller term id first). */
  topTerms(topic: number, n: number): TopicTerm[] {
    if (!Number.isInteger(topic) || topic < 0 || topic >= this.topics) {
      throw new LdaInputError(`topic must be an integer in [0, ${this.topics}), got ${topic}`);
    }
    assertPositiveInteger(n, 'n');
    const V = this.vocabularySize;
    const row = this.lambda.subarray(topic * V, (topic + 1) * V);
    let sum = 0;
    for (let v = 0; v < V; v++) sum += row[v];
    const best = new TopK(Math.min(n, V));
    for (let v = 0; v < V; v++) best.push(v, row[v]);
    const { ids } = best.result();
    return Array.from(ids, (term) => ({ term, weight: row[term] / sum }));
  }

  /**
   * exp(-bound / words) over `docs`, with the same evidence lower bound as scikit-learn's `perplexity`
   * (see evidenceLowerBound), so the numbers compare with its. Lower is better; a uniform distribution
   * over the vocabulary would score vocabularySize.
   */
  perplexity(docs: readonly LdaDocument[]): number {
    assertDocuments(docs, this.vocabularySize, 'docs');
    const { bound, words } = evidenceLowerBound(this, docs);
    if (!(words > 0)) throw new LdaInputError('docs: perplexity needs at least one word with a count > 0');
    return Math.exp(-bound / words);
  }

  /**
   * Held-out perplexity per word: exp(-bound / words) with the documents' own terms only. perplexity() adds the
   * topics' prior term, a property of the model of the size of K x V that does not shrink with the held-out set,
   * once per call: on a few hundred held-out words it swamps the documents' terms (and the figure depends on how
   * many documents are scored together). This is the figure to report for a held-out set of any size.
   */
  heldOutPerplexity(docs: readonly LdaDocument[]): number {
    assertDocuments(docs, this.vocabularySize, 'docs');
    const { bound, words } = evidenceLowerBound(this, docs, false);
    if (!(words > 0)) throw new LdaInputError('docs: perplexity needs at least one word with a count > 0');
    return Math.exp(-bound / words);
  }

  toBuffer(): Buffer {
    return encodeModel(this);
  }

  static fromBuffer(buf: Buffer): LdaModel {
    return new LdaModel(decodeModel(buf));
  }
}

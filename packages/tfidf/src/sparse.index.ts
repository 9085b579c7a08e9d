import { TopK } from '@tunegraph/vectors';
import { TfidfInputError } from './tfidf.errors';
import { assertPositiveInteger, assertSparseVector } from './sparse.validation';

const INITIAL_POSTINGS = 4;
const NORM_TOLERANCE = 1e-3;

/**
 * Exact cosine kNN over L2-normalised sparse vectors through an inverted index: a query only visits the
 * posting lists of its own terms (term-at-a-time accumulation), so cost follows the overlap, not the corpus.
 * Postings are per-term growable typed arrays of (slot, weight), so add() is O(terms) amortised.
 */
export class SparseIndex {
  private readonly postingSlots: (Int32Array | undefined)[];
  private readonly postingWeights: (Float32Array | undefined)[];
  private readonly postingLengths: Int32Array;
  private readonly knownIds = new Set<number>();
  private ids = new Int32Array(16);
  private count = 0;
  /** Reused between searches: score accumulator and the generation in which each slot was last touched. */
  private scores = new Float64Array(16);
  private touchedIn = new Uint32Array(16);
  private touched = new Int32Array(16);
  private generation = 0;

  constructor(readonly vocabularySize: number) {
    assertPositiveInteger(vocabularySize, 'vocabularySize');
    this.postingSlots = new Array<Int32Array | undefined>(vocabularySize);
    this.postingWeights = new Array<Float32Array | undefined>(vocabularySize);
    this.postingLengths = new Int32Array(vocabularySize);
  }

  get size(): number {
    return this.count;
  }

  /**
   * Indexes one vector. It must be L2-normalised (TfidfModel.transform with norm 'l2' does this) or empty;
   * an empty vector is counted in `size` but matches nothing. Ids must be unique integers.
   */
  add(id: number, terms: Int32Array, weights: Float32Array): void {
    if (!Number.isInteger(id) || id < -0x80000000 || id > 0x7fffffff) {
      throw new TfidfInputError(`id ${id} is not a 32-bit integer`);
    }
    if (this.knownIds.has(id)) throw new TfidfInputError(`id ${id} is already in the index`);
    assertSparseVector(terms, weights, this.vocabularySize, `vector ${id}`);
    const norm = l2Norm(weights);
    if (terms.length > 0 && Math.abs(norm - 1) > NORM_TOLERANCE) {
      throw new TfidfInputError(`vector ${id} has L2 norm ${norm}; index only L2-normalised vectors`);
    }
    const slot = this.count;
    this.ensureSlotCapacity(slot + 1);
    this.ids[slot] = id;
    for (let i = 0; i < terms.length; i++) this.appendPosting(terms[i], slot, weights[i]);
    this.knownIds.add(id);
    this.count++;
  }

  /**
   * The k indexed vectors with the highest cosine to the query, best first (ties: smaller id first).
   * Only vectors sharing at least one term with the query are candidates, so fewer than k may come back.
   * The query need not be normalised: scores are divided by its norm.
   */
  search(
    terms: Int32Array,
    weights: Float32Array,
    k: number,
    opts: { exclude?: (id: number) => boolean } = {},
  ): { ids: Int32Array; scores: Float32Array } {
    assertPositiveInteger(k, 'k');
    assertSparseVector(terms, weights, this.vocabularySize, 'query');
    const queryNorm = l2Norm(weights);
    if (queryNorm === 0) return { ids: new Int32Array(0), scores: new Float32Array(0) };

    const generation = this.nextGeneration();
    const { scores, touchedIn, touched } = this;
    let touchedCount = 0;
    for (let i = 0; i < terms.length; i++) {
      const term = terms[i];
      const slots = this.postingSlots[term];
      if (slots === undefined) continue;
      const postingWeights = this.postingWeights[term] as Float32Array;
      const length = this.postingLengths[term];
      const queryWeight = weights[i];
      for (let p = 0; p < length; p++) {
        const slot = slots[p];
        if (touchedIn[slot] !== generation) {
          touchedIn[slot] = generation;
          scores[slot] = 0;
          touched[touchedCount++] = slot;
        }
        scores[slot] += queryWeight * postingWeights[p];
      }
    }

    const top = new TopK(Math.min(k, this.count));
    const exclude = opts.exclude;
    const inverseNorm = 1 / queryNorm;
    for (let i = 0; i < touchedCount; i++) {
      const slot = touched[i];
      const id = this.ids[slot];
      if (exclude !== undefined && exclude(id)) continue;
      top.push(id, scores[slot] * inverseNorm);
    }
    return top.result();
  }

  private appendPosting(term: number, slot: number, weight: number): void {
    let slots = this.postingSlots[term];
    let postingWeights = this.postingWeights[term];
    const length = this.postingLengths[term];
    if (slots === undefined || postingWeights === undefined) {
      slots = new Int32Array(INITIAL_POSTINGS);
      postingWeights = new Float32Array(INITIAL_POSTINGS);
    } else if (length === slots.length) {
      slots = grow(slots, length * 2);
      postingWeights = grow(postingWeights, length * 2);
    }
    slots[length] = slot;
    postingWeights[length] = weight;
    this.postingSlots[term] = slots;
    this.postingWeights[term] = postingWeights;
    this.postingLengths[term] = length + 1;
  }

  private ensureSlotCapacity(needed: number): void {
    if (needed <= this.ids.length) return;
    const capacity = Math.max(needed, this.ids.length * 2);
    this.ids = grow(this.ids, capacity);
    this.scores = new Float64Array(capacity);
    this.touchedIn = new Uint32Array(capacity);
    this.touched = new Int32Array(capacity);
    this.generation = 0;
  }

  /** Generation stamps avoid clearing the accumulator per query; on wrap-around the stamps are reset once. */
  private nextGeneration(): number {
    if (this.generation === 0xffffffff) {
      this.touchedIn.fill(0);
      this.generation = 0;
    }
    return ++this.generation;
  }
}

function grow<T extends Int32Array | Float32Array>(array: T, capacity: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(capacity);
  bigger.set(array);
  return bigger;
}

function l2Norm(values: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] * values[i];
  return Math.sqrt(sum);
}

/**
 * Keeps the k best (id, score) pairs seen so far: a min-heap whose root is the worst kept entry,
 * so each push is O(1) when rejected and O(log k) when accepted, with no per-push allocation.
 * Ties on score are broken by the smaller id so results are deterministic whatever the push order.
 */
export class TopK {
  private readonly ids: Int32Array;
  private readonly scores: Float64Array;
  private size = 0;

  constructor(private readonly k: number) {
    if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a non-negative integer, got ${k}`);
    this.ids = new Int32Array(k);
    this.scores = new Float64Array(k);
  }

  get length(): number {
    return this.size;
  }

  get capacity(): number {
    return this.k;
  }

  /**
   * Once full, the worst kept score: a push must beat it to enter (scan loops test this before calling push,
   * so rejected rows cost one comparison). -Infinity while not full.
   */
  get threshold(): number {
    return this.size < this.k ? -Infinity : this.k === 0 ? Infinity : this.scores[0];
  }

  push(id: number, score: number): void {
    if (Number.isNaN(score)) throw new RangeError(`score for id ${id} is NaN`);
    if (this.size < this.k) {
      this.siftUp(this.size++, id, score);
    } else if (this.k > 0 && isBetter(score, id, this.scores[0], this.ids[0])) {
      this.siftDown(id, score);
    }
  }

  /** The kept entries, best first. Does not consume the heap. */
  result(): { ids: Int32Array; scores: Float32Array } {
    const n = this.size;
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => (isBetter(this.scores[a], this.ids[a], this.scores[b], this.ids[b]) ? -1 : 1));
    const ids = new Int32Array(n);
    const scores = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      ids[i] = this.ids[order[i]];
      scores[i] = this.scores[order[i]];
    }
    return { ids, scores };
  }

  private siftUp(pos: number, id: number, score: number): void {
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      if (!isBetter(this.scores[parent], this.ids[parent], score, id)) break;
      this.ids[pos] = this.ids[parent];
      this.scores[pos] = this.scores[parent];
      pos = parent;
    }
    this.ids[pos] = id;
    this.scores[pos] = score;
  }

  /** Replaces the root (the worst entry) and restores the heap order. */
  private siftDown(id: number, score: number): void {
    const n = this.size;
    let pos = 0;
    for (;;) {
      const left = 2 * pos + 1;
      if (left >= n) break;
      const right = left + 1;
      let worst = left;
      if (right < n && isBetter(this.scores[left], this.ids[left], this.scores[right], this.ids[right])) {
        worst = right;
      }
      if (!isBetter(score, id, this.scores[worst], this.ids[worst])) break;
      this.ids[pos] = this.ids[worst];
      this.scores[pos] = this.scores[worst];
      pos = worst;
    }
    this.ids[pos] = id;
    this.scores[pos] = score;
  }
}

function isBetter(scoreA: number, idA: number, scoreB: number, idB: number): boolean {
  return scoreA > scoreB || (scoreA === scoreB && idA < idB);
}

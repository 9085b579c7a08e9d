/**
 * Min-heap of multi-probe perturbation sets for the query-directed probing of Lv et al. (VLDB 2007): an entry
 * is (score, table, flip mask, position of its largest element). Typed arrays, grown on demand and reused
 * across queries, so probing allocates nothing per query.
 */
export class ProbeHeap {
  private scores = new Float64Array(64);
  private tables = new Int32Array(64);
  private flips = new Int32Array(64);
  private lasts = new Int32Array(64);
  size = 0;

  clear(): void {
    this.size = 0;
  }

  push(score: number, table: number, flip: number, last: number): void {
    if (this.size === this.scores.length) this.grow();
    let pos = this.size++;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      if (this.scores[parent] <= score) break;
      this.move(parent, pos);
      pos = parent;
    }
    this.set(pos, score, table, flip, last);
  }

  /** Removes the lowest-score entry into `out` = [score, table, flip, last]. */
  pop(out: Float64Array): void {
    out[0] = this.scores[0];
    out[1] = this.tables[0];
    out[2] = this.flips[0];
    out[3] = this.lasts[0];
    const n = --this.size;
    if (n === 0) return;
    const score = this.scores[n];
    const table = this.tables[n];
    const flip = this.flips[n];
    const last = this.lasts[n];
    let pos = 0;
    for (;;) {
      let child = 2 * pos + 1;
      if (child >= n) break;
      if (child + 1 < n && this.scores[child + 1] < this.scores[child]) child++;
      if (this.scores[child] >= score) break;
      this.move(child, pos);
      pos = child;
    }
    this.set(pos, score, table, flip, last);
  }

  private set(pos: number, score: number, table: number, flip: number, last: number): void {
    this.scores[pos] = score;
    this.tables[pos] = table;
    this.flips[pos] = flip;
    this.lasts[pos] = last;
  }

  private move(from: number, to: number): void {
    this.set(to, this.scores[from], this.tables[from], this.flips[from], this.lasts[from]);
  }

  private grow(): void {
    const length = 2 * this.scores.length;
    const grown = <T extends Float64Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(length);
      b.set(a);
      return b;
    };
    this.scores = grown(this.scores);
    this.tables = grown(this.tables);
    this.flips = grown(this.flips);
    this.lasts = grown(this.lasts);
  }
}

/**
 * One hash table in CSR form: the distinct codes in ascending order, `starts[b]..starts[b+1]` delimiting
 * bucket b's slots in `slots`. Three flat typed arrays, so a table costs 4 bytes per vector plus 8 per
 * non-empty bucket, and a lookup is a binary search.
 */
export class BucketTable {
  constructor(
    readonly codes: Uint32Array,
    readonly starts: Int32Array,
    readonly slots: Int32Array,
  ) {}

  static readonly empty = new BucketTable(new Uint32Array(0), new Int32Array(1), new Int32Array(0));

  /** Groups slots 0..keys.length-1 by key; a stable radix sort, so each bucket lists its slots ascending. */
  static fromKeys(keys: Uint32Array, bits: number): BucketTable {
    const slots = radixOrder(keys, bits);
    let buckets = 0;
    for (let i = 0; i < slots.length; i++) {
      if (i === 0 || keys[slots[i]] !== keys[slots[i - 1]]) buckets++;
    }
    const codes = new Uint32Array(buckets);
    const starts = new Int32Array(buckets + 1);
    let b = -1;
    for (let i = 0; i < slots.length; i++) {
      if (i === 0 || keys[slots[i]] !== keys[slots[i - 1]]) {
        codes[++b] = keys[slots[i]];
        starts[b] = i;
      }
    }
    starts[buckets] = slots.length;
    return new BucketTable(codes, starts, slots);
  }

  get byteLength(): number {
    return this.codes.byteLength + this.starts.byteLength + this.slots.byteLength;
  }

  /** Index of the bucket holding `code`, or -1. */
  find(code: number): number {
    const codes = this.codes;
    let lo = 0;
    let hi = codes.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const value = codes[mid];
      if (value < code) lo = mid + 1;
      else if (value > code) hi = mid - 1;
      else return mid;
    }
    return -1;
  }

  /** Writes every slot's code into `keys[remap[slot]]`, skipping slots whose remap is -1 (removed). */
  scatterCodes(remap: Int32Array, keys: Uint32Array): void {
    for (let b = 0; b < this.codes.length; b++) {
      const code = this.codes[b];
      for (let i = this.starts[b]; i < this.starts[b + 1]; i++) {
        const target = remap[this.slots[i]];
        if (target >= 0) keys[target] = code;
      }
    }
  }
}

/** Slot order sorting `keys` ascending: LSD radix sort on 8-bit digits, only as many passes as `bits` needs. */
function radixOrder(keys: Uint32Array, bits: number): Int32Array {
  const n = keys.length;
  let order = new Int32Array(n);
  let next = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const counts = new Int32Array(257);
  for (let shift = 0; shift < bits; shift += 8) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[((keys[i] >>> shift) & 0xff) + 1]++;
    for (let d = 0; d < 256; d++) counts[d + 1] += counts[d];
    for (let i = 0; i < n; i++) {
      const slot = order[i];
      next[counts[(keys[slot] >>> shift) & 0xff]++] = slot;
    }
    const swap = order;
    order = next;
    next = swap;
  }
  return order;
}

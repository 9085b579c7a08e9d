const EMPTY = -1;
const MIN_CAPACITY = 16;

/**
 * int32 id -> slot map with open addressing (linear probing, backward-shift deletion) in two Int32Arrays,
 * so its memory is exact and small (8 bytes per entry at load <= 1/2) instead of a Map's per-entry objects.
 */
export class IdSlotMap {
  private keys: Int32Array;
  private slots: Int32Array;
  private shift: number;
  private count = 0;

  constructor(expected = 0) {
    let capacity = MIN_CAPACITY;
    while (capacity < expected * 2) capacity *= 2;
    this.keys = new Int32Array(capacity);
    this.slots = new Int32Array(capacity).fill(EMPTY);
    this.shift = 32 - Math.log2(capacity);
  }

  get size(): number {
    return this.count;
  }

  get byteLength(): number {
    return this.keys.byteLength + this.slots.byteLength;
  }

  /** The slot of `id`, or -1. */
  get(id: number): number {
    const mask = this.keys.length - 1;
    for (let i = this.home(id); ; i = (i + 1) & mask) {
      const slot = this.slots[i];
      if (slot === EMPTY || this.keys[i] === id) return slot;
    }
  }

  /** Inserts or overwrites; `slot` must be >= 0. */
  set(id: number, slot: number): void {
    if ((this.count + 1) * 2 > this.keys.length) this.resize(this.keys.length * 2);
    const mask = this.keys.length - 1;
    let i = this.home(id);
    while (this.slots[i] !== EMPTY && this.keys[i] !== id) i = (i + 1) & mask;
    if (this.slots[i] === EMPTY) this.count++;
    this.keys[i] = id;
    this.slots[i] = slot;
  }

  delete(id: number): boolean {
    const mask = this.keys.length - 1;
    let hole = this.home(id);
    while (this.slots[hole] !== EMPTY && this.keys[hole] !== id) hole = (hole + 1) & mask;
    if (this.slots[hole] === EMPTY) return false;
    // Pull later entries of the probe run back into the hole when their home does not lie in (hole, j].
    for (let j = (hole + 1) & mask; this.slots[j] !== EMPTY; j = (j + 1) & mask) {
      const home = this.home(this.keys[j]);
      const reachable = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (reachable) continue;
      this.keys[hole] = this.keys[j];
      this.slots[hole] = this.slots[j];
      hole = j;
    }
    this.slots[hole] = EMPTY;
    this.count--;
    return true;
  }

  private home(id: number): number {
    return Math.imul(id, 0x9e3779b1) >>> this.shift;
  }

  private resize(capacity: number): void {
    const { keys, slots } = this;
    this.keys = new Int32Array(capacity);
    this.slots = new Int32Array(capacity).fill(EMPTY);
    this.shift = 32 - Math.log2(capacity);
    this.count = 0;
    for (let i = 0; i < keys.length; i++) if (slots[i] !== EMPTY) this.set(keys[i], slots[i]);
  }
}

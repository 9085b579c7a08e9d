import { describe, expect, it } from 'vitest';
import { SeededRandom } from '@tunegraph/vectors';
import { IdSlotMap } from './id-slot.map';

describe('IdSlotMap', () => {
  it('agrees with a Map under random inserts, overwrites and deletes (including colliding runs)', () => {
    const rng = new SeededRandom(11);
    const map = new IdSlotMap();
    const reference = new Map<number, number>();
    for (let step = 0; step < 20_000; step++) {
      const id = rng.nextInt(600) - 300;
      if (rng.nextFloat() < 0.55) {
        map.set(id, step);
        reference.set(id, step);
      } else {
        expect(map.delete(id)).toBe(reference.delete(id));
      }
      if (step % 97 === 0) {
        const ids = Array.from({ length: 600 }, (_, i) => i - 300);
        expect(ids.map((id) => map.get(id))).toEqual(ids.map((id) => reference.get(id) ?? -1));
      }
    }
    expect(map.size).toBe(reference.size);
  });
});

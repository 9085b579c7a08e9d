import { describe, expect, it } from 'vitest';
import { GrowthBudget, IdInterner } from './id.interner';

describe('IdInterner', () => {
  it('gives dense slots in first-seen order, the same slot to the same id, and the id back', () => {
    const ids = new IdInterner(4);
    const seen = ['b', 'a', 'b', 'SOAAAAA12A8C13C4D5', 'a', ''].map((id) => ids.slotOf(id));
    expect(ids.slotOf('a\u0000')).toBe(4);
    expect(seen).toEqual([0, 1, 0, 2, 1, 3]);
    expect(ids.size).toBe(5);
    expect([0, 1, 2, 3].map((s) => ids.idAt(s))).toEqual(['b', 'a', 'SOAAAAA12A8C13C4D5', '']);
    expect(ids.get('a')).toBe(1);
    expect(ids.get('missing')).toBe(-1);
    expect(() => ids.idAt(5)).toThrow(/no slot 5/);
  });

  it('keeps ids of any characters apart, Latin-1 in the arena and wider ones beside it', () => {
    const ids = new IdInterner();
    const odd = ['café', 'cafe', 'caf\u00e9', '名前', '名前2', 'emoji 🎵', 'tab\tid'];
    const slots = odd.map((id) => ids.slotOf(id));
    expect(slots).toEqual([0, 1, 0, 2, 3, 4, 5]);
    expect(slots.map((s) => ids.idAt(s))).toEqual([
      'café',
      'cafe',
      'café',
      '名前',
      '名前2',
      'emoji 🎵',
      'tab\tid',
    ]);
    expect(ids.get('名前2')).toBe(3);
    expect(ids.get('名')).toBe(-1);
  });

  it('stays exact past many growths, for ids that share prefixes and lengths', () => {
    const ids = new IdInterner(1);
    const n = 200_000;
    const id = (i: number) => `${(i * 2654435761) >>> 0}`.padStart(12, '0') + `u${i}`;
    for (let i = 0; i < n; i++) expect(ids.slotOf(id(i))).toBe(i);
    expect(ids.size).toBe(n);
    for (let i = n - 1; i >= 0; i -= 997) {
      expect(ids.get(id(i))).toBe(i);
      expect(ids.idAt(i)).toBe(id(i));
    }
    for (let i = 0; i < n; i += 1013) expect(ids.slotOf(id(i))).toBe(i);
    expect(ids.size).toBe(n);
  });

  it('grows only while its budget has room, then adds nothing and keeps what it knows', () => {
    const budget = new GrowthBudget(64 * 1024);
    const ids = new IdInterner(16, budget);
    const id = (i: number) => `user-${i}`.padEnd(40, 'x');
    const slots: number[] = [];
    for (let i = 0; i < 5000; i++) slots.push(ids.slotOf(id(i)));
    const known = ids.size;
    expect(ids.isFull).toBe(true);
    expect(known).toBeGreaterThan(100);
    expect(known).toBeLessThan(5000);
    expect(budget.usedBytes).toBeLessThanOrEqual(64 * 1024);
    expect(slots.slice(0, known)).toEqual([...Array(known).keys()]);
    expect(slots.slice(known).every((s) => s === -1)).toBe(true);
    // Full for good: a short id that would fit without growing is refused too, wide ones as well.
    expect(ids.slotOf('a')).toBe(-1);
    expect(ids.slotOf('名前')).toBe(-1);
    expect(ids.size).toBe(known);
    for (let i = 0; i < known; i += 7) expect(ids.slotOf(id(i))).toBe(i);
    expect(ids.get(id(known))).toBe(-1);
  });

  it('shares one budget between interners', () => {
    const budget = new GrowthBudget(40 * 1024);
    const users = new IdInterner(16, budget);
    const songs = new IdInterner(16, budget);
    for (let i = 0; i < 2000; i++) {
      users.slotOf(`u${i}`.padEnd(40, '-'));
      songs.slotOf(`SO${i}`.padEnd(18, '0'));
    }
    expect(budget.usedBytes).toBeLessThanOrEqual(40 * 1024);
    expect(users.isFull || songs.isFull).toBe(true);
    expect(users.size + songs.size).toBeLessThan(4000);
  });
});

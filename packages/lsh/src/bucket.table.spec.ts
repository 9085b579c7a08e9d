import { describe, expect, it } from 'vitest';
import { BucketTable } from './bucket.table';

describe('BucketTable', () => {
  it('groups slots by code in ascending code order, slots ascending within a bucket', () => {
    const keys = Uint32Array.from([0xffffffff, 5, 0x80000000, 5, 0, 0xffffffff]);
    const table = BucketTable.fromKeys(keys, 32);
    expect(Array.from(table.codes)).toEqual([0, 5, 0x80000000, 0xffffffff]);
    expect(Array.from(table.starts)).toEqual([0, 1, 3, 4, 6]);
    expect(Array.from(table.slots)).toEqual([4, 1, 3, 2, 0, 5]);
    expect(table.find(0x80000000)).toBe(2);
    expect(table.find(6)).toBe(-1);
  });

  it('scatters codes back through a slot remapping', () => {
    const table = BucketTable.fromKeys(Uint32Array.from([3, 1, 3]), 2);
    const keys = new Uint32Array(2);
    table.scatterCodes(Int32Array.from([0, -1, 1]), keys);
    expect(Array.from(keys)).toEqual([3, 3]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type TestDatabase } from '../testing';
import { integerArray, textArray } from './array-literal';

describe('array literals', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await startTestDatabase();
  }, 120_000);
  afterAll(async () => {
    await db?.stop();
  });

  it('quotes every element and escapes quotes and backslashes', () => {
    expect(textArray(['u1', 'SO0001'])).toBe('{"u1","SO0001"}');
    expect(textArray(['a"b', 'c\\d'])).toBe('{"a\\"b","c\\\\d"}');
    expect(textArray([])).toBe('{}');
    expect(integerArray([1, -2, 1795911876780])).toBe('{1,-2,1795911876780}');
  });

  it('reads back in PostgreSQL as the very values, however odd', async () => {
    const texts = ['u1', 'a"b', 'c\\d', 'e,f', '{g}', 'NULL', '', ' s p ', 'Björk – 夢', "it's"];
    const ints = [0, -2, 2 ** 31 - 1, 1795911876780];
    const [row] = await db.sql<{ t: string[]; i: string[] }[]>`
      SELECT ${textArray(texts)}::text[] AS t, ${integerArray(ints)}::bigint[]::text[] AS i`;
    expect(row.t).toEqual(texts);
    expect(row.i.map(Number)).toEqual(ints);
    const [empty] = await db.sql<{ n: number }[]>`SELECT cardinality(${textArray([])}::text[]) AS n`;
    expect(empty.n).toBe(0);
  });
});

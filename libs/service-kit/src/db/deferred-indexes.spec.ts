import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type TestDatabase } from '../testing';
import { withKeysDeferred } from './deferred-indexes';
import type { Sql } from './sql.client';

/** The table's keys, indexes and foreign keys, as the catalog describes them. */
async function shape(db: TestDatabase) {
  const constraints = await db.sql`
    SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'pairs'::regclass ORDER BY 1`;
  const indexes =
    await db.sql`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'pairs' ORDER BY 1`;
  return { constraints: [...constraints], indexes: [...indexes] };
}

describe('withKeysDeferred', () => {
  let db: TestDatabase;
  let before: Awaited<ReturnType<typeof shape>>;

  beforeAll(async () => {
    db = await startTestDatabase();
    await db.sql`CREATE TABLE owners (id text PRIMARY KEY, code int UNIQUE)`;
    await db.sql`CREATE INDEX owners_name_idx ON owners (id text_pattern_ops)`;
    await db.sql`INSERT INTO owners VALUES ('a'), ('b')`;
    await db.sql`CREATE TABLE pairs (owner text NOT NULL REFERENCES owners(id), item text NOT NULL, n int NOT NULL,
      PRIMARY KEY (owner, item))`;
    await db.sql`CREATE INDEX pairs_item_idx ON pairs (item)`;
    before = await shape(db);
  }, 120_000);

  afterAll(async () => {
    await db?.stop();
  });

  it('loads with the keys dropped, then restores every key, index and foreign key as it was', async () => {
    await db.sql.begin(async (tx) => {
      await withKeysDeferred(tx as unknown as Sql, 'pairs', async () => {
        await tx`INSERT INTO pairs VALUES ('a', 'x', 1), ('b', 'x', 2)`;
        const inside = await tx`SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'pairs'`;
        expect(inside[0].n).toBe(0);
      });
    });
    expect(await shape(db)).toEqual(before);
    expect(await db.sql`SELECT owner, item, n FROM pairs ORDER BY owner`).toEqual([
      { owner: 'a', item: 'x', n: 1 },
      { owner: 'b', item: 'x', n: 2 },
    ]);
  });

  it('merges duplicates when a unique key cannot come back, and fails on a missing foreign key', async () => {
    await db.sql`DELETE FROM pairs`;
    await db.sql.begin(async (tx) => {
      await withKeysDeferred(
        tx as unknown as Sql,
        'pairs',
        () => tx`INSERT INTO pairs VALUES ('a', 'y', 1), ('a', 'y', 4)`.then(() => undefined),
        {
          mergeDuplicates: async () => {
            await tx`CREATE TEMP TABLE merged ON COMMIT DROP AS SELECT owner, item, SUM(n)::int AS n FROM pairs GROUP BY 1, 2`;
            await tx`DELETE FROM pairs`;
            await tx`INSERT INTO pairs SELECT * FROM merged`;
          },
        },
      );
    });
    expect(await db.sql`SELECT owner, item, n FROM pairs`).toEqual([{ owner: 'a', item: 'y', n: 5 }]);
    expect(await shape(db)).toEqual(before);

    const orphan = db.sql.begin((tx) =>
      withKeysDeferred(tx as unknown as Sql, 'pairs', () =>
        tx`INSERT INTO pairs VALUES ('nobody', 'z', 1)`.then(() => undefined),
      ),
    );
    await expect(orphan).rejects.toThrow(/foreign key/);
    // Rolled back with the transaction: the old rows and the table's shape are intact.
    expect(await db.sql`SELECT owner, item, n FROM pairs`).toEqual([{ owner: 'a', item: 'y', n: 5 }]);
    expect(await shape(db)).toEqual(before);
  });

  it('adds the rows the foreign keys need between the restored indexes and the foreign keys', async () => {
    let indexesWhenAdding = -1;
    await db.sql.begin((tx) =>
      withKeysDeferred(
        tx as unknown as Sql,
        'pairs',
        () => tx`INSERT INTO pairs VALUES ('c', 'z', 1)`.then(() => undefined),
        {
          beforeForeignKeys: async () => {
            const [{ n }] = await tx`SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'pairs'`;
            indexesWhenAdding = n;
            await tx`INSERT INTO owners SELECT DISTINCT owner FROM pairs ON CONFLICT DO NOTHING`;
          },
        },
      ),
    );
    expect(indexesWhenAdding).toBe(before.indexes.length);
    expect(await db.sql`SELECT id FROM owners WHERE id = 'c'`).toEqual([{ id: 'c' }]);
    expect(await shape(db)).toEqual(before);
  });

  it("keeps the keys that other tables' foreign keys point at, deferring the rest", async () => {
    const ownersShape = () =>
      db.sql`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'owners' ORDER BY 1`.then((r) => [
        ...r,
      ]);
    const ownersBefore = await ownersShape();
    let inside: string[] = [];
    await db.sql.begin((tx) =>
      withKeysDeferred(tx as unknown as Sql, 'owners', async () => {
        await tx`INSERT INTO owners VALUES ('d', 4)`;
        inside = (
          await tx<{ indexname: string }[]>`SELECT indexname FROM pg_indexes WHERE tablename = 'owners'`
        ).map((r) => r.indexname);
      }),
    );
    expect(ownersBefore.map((r) => r.indexname)).toEqual([
      'owners_code_key',
      'owners_name_idx',
      'owners_pkey',
    ]);
    expect(inside).toEqual(['owners_pkey']);
    expect(await ownersShape()).toEqual(ownersBefore);
    expect(await shape(db)).toEqual(before);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
import { createSql, type Sql } from './sql.client';
import { freePort } from '../testing/test-database';

describe('PgliteWireServer', () => {
  let pg: EmbeddedPostgres;
  let clients: Sql[];

  beforeAll(async () => {
    pg = await startEmbeddedPostgres({ port: await freePort() });
    clients = [0, 1, 2, 3].map(() => createSql(pg.url, { max: 4 }));
    await clients[0]`CREATE TABLE t (id int PRIMARY KEY, v text)`;
  });

  afterAll(async () => {
    for (const c of clients) await c.end();
    await pg.stop();
  });

  it('keeps concurrent clients’ statements and transactions apart', async () => {
    const results = await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        const sql = clients[i % clients.length];
        if (i % 3 === 0) {
          return sql.begin(async (tx) => {
            await tx`SET LOCAL work_mem = '8MB'`;
            await tx`INSERT INTO t VALUES (${i}, ${'v' + i})`;
            const [row] = await tx<{ v: string }[]>`SELECT v FROM t WHERE id = ${i}`;
            return row.v === 'v' + i;
          });
        }
        const [row] = await sql<{ x: number; s: string }[]>`SELECT ${i}::int AS x, ${'s' + i}::text AS s`;
        return row.x === i && row.s === 's' + i;
      }),
    );
    expect(results.filter((ok) => !ok)).toHaveLength(0);
    // Unprepared statements with parameters are described first (Parse, Describe, Flush), then bound: the unnamed
    // statement of one client must survive the others'.
    const unprepared = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const sql = clients[i % clients.length];
        const args = Array.from({ length: 1 + (i % 4) }, (_, j) => i * 10 + j);
        const placeholders = args.map((_, j) => `$${j + 1}::int`).join(' + ');
        const [row] = await sql.unsafe<{ total: number }[]>(`SELECT ${placeholders} AS total`, args, {
          prepare: false,
        });
        return row.total === args.reduce((a, b) => a + b, 0);
      }),
    );
    expect(unprepared.filter((ok) => !ok)).toHaveLength(0);
    const [{ n }] = await clients[1]<{ n: number }[]>`SELECT count(*)::int AS n FROM t`;
    expect(n).toBe(100);
  });

  it('rolls back the transaction of a client that disconnects mid-way', async () => {
    const quitter = createSql(pg.url, { max: 1 });
    const reserved = await quitter.reserve();
    await reserved`BEGIN`;
    await reserved`INSERT INTO t VALUES (100000, 'lost')`;
    await quitter.end({ timeout: 0 });
    const rows = await clients[2]`SELECT 1 FROM t WHERE id = 100000`;
    expect(rows).toHaveLength(0);
  });
});

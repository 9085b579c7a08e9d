import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { migrate } from '../db/migrations.runner';
import { createSql, type Sql } from '../db/sql.client';

export interface TestDatabase {
  url: string;
  sql: Sql;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A fresh, migrated database for one test file: a new database on the server named by DATABASE_URL (CI: real
 * PostgreSQL + pgvector), else an in-memory PGlite served on a free port.
 */
export async function startTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `tg_test_${randomBytes(6).toString('hex')}`;
    const admin = createSql(serverUrl, { max: 1 });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const sql = createSql(url.toString(), { max: 4 });
    await migrate(sql);
    return {
      url: url.toString(),
      sql,
      async stop() {
        await sql.end({ timeout: 5 });
        await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end({ timeout: 5 });
      },
    };
  }
  const pg = await startEmbeddedPostgres({ port: await freePort() });
  const sql = createSql(pg.url, { max: 4 });
  await migrate(sql);
  return {
    url: pg.url,
    sql,
    async stop() {
      await sql.end({ timeout: 5 });
      await pg.stop();
    },
  };
}

/** A topic prefix unique to one test run, so tests sharing a broker never see each other's events. */
export function testTopicPrefix(): string {
  return `test-${randomBytes(4).toString('hex')}.`;
}

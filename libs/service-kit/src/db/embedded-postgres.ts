import * as fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PgliteWireServer } from './pglite-wire.server';

export interface EmbeddedPostgres {
  db: PGlite;
  url: string;
  stop(): Promise<void>;
}

/**
 * PGlite with pgvector, served on the Postgres wire protocol so every service connects with an ordinary URL.
 * dataDir undefined keeps the database in memory (tests).
 */
export async function startEmbeddedPostgres(opts: {
  dataDir?: string;
  port: number;
  host?: string;
  maxConnections?: number;
}): Promise<EmbeddedPostgres> {
  if (opts.dataDir) fs.mkdirSync(opts.dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: opts.dataDir, extensions: { vector } });
  await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
  const host = opts.host ?? '127.0.0.1';
  const server = new PgliteWireServer(db, opts.maxConnections ?? 64);
  await server.listen(opts.port, host);
  return {
    db,
    url: `postgres://postgres@${host}:${opts.port}/postgres`,
    async stop() {
      await server.close();
      await db.close();
    },
  };
}

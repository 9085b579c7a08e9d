import * as net from 'node:net';
import * as path from 'node:path';
import {
  EMBEDDED_DB_PORT,
  createEventBus,
  createSql,
  migrate,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
  type EventBus,
  type Logger,
  type Sql,
} from '@tunegraph/service-kit';
import type { PGlite } from '@electric-sql/pglite';

export interface Store {
  sql: Sql;
  bus: EventBus;
  /** Set when this process owns the embedded database (bulk loads then COPY in-process). */
  pglite?: PGlite;
  url: string;
  description: string;
  close(): Promise<void>;
}

export function tunegraphHome(): string {
  return process.env.TUNEGRAPH_HOME ?? path.resolve(__dirname, '../../.tunegraph');
}

/** Whether something on this machine accepts connections on the port. */
export function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * The database and event bus a command works on: DATABASE_URL when set; else the embedded store, through the
 * running `npm start` if there is one, or opened by this process (which then owns it, and may COPY in-process).
 */
export async function openStore(logger: Logger, opts: { serve?: boolean } = {}): Promise<Store> {
  const home = tunegraphHome();
  const served = !process.env.DATABASE_URL && (await portAnswers(EMBEDDED_DB_PORT));
  // A second process must not open the data directory a running tunegraph holds.
  if (served && opts.serve) {
    throw new Error(
      `the embedded store's port ${EMBEDDED_DB_PORT} is already in use: is tunegraph already running? Stop it first`,
    );
  }
  const bus = createEventBus({
    brokers: process.env.KAFKA_BROKERS?.split(',')
      .map((b) => b.trim())
      .filter(Boolean),
    clientId: 'tunegraph-cli',
    topicPrefix: process.env.KAFKA_TOPIC_PREFIX ?? '',
    home,
    logger,
  });
  let embedded: EmbeddedPostgres | undefined;
  let url = process.env.DATABASE_URL;
  let description = 'PostgreSQL at DATABASE_URL';
  if (!url) {
    if (served) {
      url = `postgres://postgres@127.0.0.1:${EMBEDDED_DB_PORT}/postgres`;
      description = 'the embedded store served by the running tunegraph';
    } else {
      logger.info({ dataDir: path.join(home, 'pgdata') }, 'opening the embedded store (PGlite + pgvector)');
      embedded = await startEmbeddedPostgres({
        dataDir: path.join(home, 'pgdata'),
        port: EMBEDDED_DB_PORT,
        maxConnections: 64,
      });
      url = embedded.url;
      description = `the embedded store in ${path.join(home, 'pgdata')}`;
    }
  }
  const sql = createSql(url, { max: 4, appName: 'tunegraph-cli' });
  await migrate(sql);
  return {
    sql,
    bus,
    pglite: embedded?.db,
    url,
    description,
    async close() {
      await bus.close();
      await sql.end({ timeout: 5 });
      await embedded?.stop();
    },
  };
}

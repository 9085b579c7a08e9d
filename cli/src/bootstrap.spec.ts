import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventBus, createLogger } from '@tunegraph/service-kit';
import { startTestDatabase, testTopicPrefix, type TestDatabase } from '@tunegraph/service-kit/testing';
import { generate, ingest } from './commands';
import { bootstrapData } from './launcher';
import type { Store } from './store';

const logger = createLogger('bootstrap-test', 'silent');

describe('bootstrapData (what npm start prepares)', () => {
  let db: TestDatabase;
  let store: Store;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tunegraph-bootstrap-'));
  const saved = process.env.TUNEGRAPH_HOME;
  const counts = async () => {
    const [row] = await db.sql<{ plays: number; lyrics: number; models: string[] }[]>`
      SELECT (SELECT count(*)::int FROM plays) AS plays, (SELECT count(*)::int FROM lyrics) AS lyrics,
        (SELECT coalesce(array_agg(model ORDER BY model), '{}') FROM model_versions WHERE active) AS models`;
    return row;
  };

  beforeAll(async () => {
    process.env.TUNEGRAPH_HOME = home;
    db = await startTestDatabase();
    const bus = createEventBus({
      brokers: process.env.KAFKA_BROKERS?.split(',').filter(Boolean),
      clientId: 'bootstrap-test',
      topicPrefix: testTopicPrefix(),
      home,
      logger,
    });
    store = { sql: db.sql, bus, url: db.url, description: 'the test database', close: () => bus.close() };
  }, 300_000);
  afterAll(async () => {
    await store?.close();
    await db?.stop();
    process.env.TUNEGRAPH_HOME = saved;
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('starts on a store with plays but no lyrics, leaving the lyrics models untrained', async () => {
    const elsewhere = path.join(home, 'own-data');
    const { files } = await generate({ preset: 'demo', seed: 7, out: elsewhere });
    await ingest(store, logger, [files.triplets]);
    await bootstrapData(store, logger);
    expect(await counts()).toMatchObject({ lyrics: 0, models: ['als'] });
  }, 300_000);

  it('finishes a demo load that a first start left half done', async () => {
    const { files } = await generate({ preset: 'demo', seed: 42, out: path.join(home, 'demo') });
    await ingest(store, logger, [files.triplets]);
    await bootstrapData(store, logger);
    const after = await counts();
    expect(after.lyrics).toBeGreaterThan(0);
    expect(after.models).toEqual(['als', 'lda', 'tfidf']);
    expect(fs.existsSync(path.join(home, 'demo', '.loaded'))).toBe(true);
  }, 300_000);
});

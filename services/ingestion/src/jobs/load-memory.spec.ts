import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { repoRoot, type Sql } from '@tunegraph/service-kit';
import { startTestDatabase, type TestDatabase } from '@tunegraph/service-kit/testing';
import { ingestFiles } from './ingest.job';
import { loadMemoryFromEnv, useLoadMemory } from './load-memory';

const TRIPLETS = path.join(
  process.env.MSD_DATA_DIR ?? path.resolve(repoRoot(), '../shared/data/msd'),
  'plays/train_triplets.head5000.txt',
);

describe('the memory a load asks of the database', () => {
  let db: TestDatabase;
  const show = async (sql: Sql) => {
    const [row] =
      await sql`SELECT current_setting('work_mem') AS work, current_setting('maintenance_work_mem') AS sort`;
    return [row.work, row.sort];
  };

  beforeAll(async () => {
    db = await startTestDatabase();
  }, 120_000);

  afterAll(async () => {
    await db?.stop();
  });

  it('comes from INGEST_WORK_MEM, INGEST_MAINTENANCE_WORK_MEM and INGEST_KEYS_MEMORY, and a bad size is named', () => {
    expect(loadMemoryFromEnv({})).toEqual({
      workMem: '256MB',
      maintenanceWorkMem: '1GB',
      keysBytes: 160 * 2 ** 20,
    });
    expect(
      loadMemoryFromEnv({
        INGEST_WORK_MEM: '32MB',
        INGEST_MAINTENANCE_WORK_MEM: '128MB',
        INGEST_KEYS_MEMORY: '64kB',
      }),
    ).toEqual({ workMem: '32MB', maintenanceWorkMem: '128MB', keysBytes: 64 * 1024 });
    expect(() => loadMemoryFromEnv({ INGEST_MAINTENANCE_WORK_MEM: 'lots' })).toThrow(
      /INGEST_MAINTENANCE_WORK_MEM: must be a PostgreSQL memory size/,
    );
  });

  it('holds for the load transaction only', async () => {
    const before = await show(db.sql);
    const inside = await db.sql.begin(async (tx) => {
      await useLoadMemory(tx as unknown as Sql, { workMem: '7MB', maintenanceWorkMem: '77MB' });
      return show(tx as unknown as Sql);
    });
    expect(inside).toEqual(['7MB', '77MB']);
    expect(await show(db.sql)).toEqual(before);
  });

  it('reaches the transaction that loads a file', async () => {
    const logger = pino({ level: 'silent' });
    // Beyond what any PostgreSQL build accepts for maintenance_work_mem: the server refuses it, inside the load.
    await expect(
      ingestFiles({ sql: db.sql, logger }, [TRIPLETS], {
        memory: { workMem: '4MB', maintenanceWorkMem: '4TB', keysBytes: 2 ** 20 },
      }),
    ).rejects.toThrow(/maintenance_work_mem/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVersion } from '../db/embeddings.sql';
import { createSql } from '../db/sql.client';
import { startTestDatabase, type TestDatabase } from '../testing';
import { failOrphanedVersions, INTERRUPTED_ERROR, startLeasedVersion } from './training-lease';

async function statusOf(db: TestDatabase, id: number) {
  const [row] = await db.sql<{ status: string; error: string | null }[]>`
    SELECT status, error FROM model_versions WHERE id = ${id}`;
  return row;
}

describe('training leases', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await startTestDatabase();
  }, 120_000);

  afterAll(async () => {
    await db?.stop();
  });

  it('fails a version left in training without a lease (its process died), only among the models named', async () => {
    const dead = await startVersion(db.sql, 'als', {});
    const otherService = await startVersion(db.sql, 'tfidf', {});
    expect(await failOrphanedVersions(db.sql, ['als', 'ease'])).toEqual([dead.id]);
    expect(await statusOf(db, dead.id)).toEqual({ status: 'failed', error: INTERRUPTED_ERROR });
    expect((await statusOf(db, otherService.id)).status).toBe('training');
    expect(await failOrphanedVersions(db.sql, ['als'])).toEqual([]);
  });

  it('numbers leased versions like any other and frees the lease on release', async () => {
    const { version, lease } = await startLeasedVersion(db.sql, 'als', { alpha: 1 });
    expect(version.version).toBe(2);
    expect(version.params).toEqual({ alpha: 1 });
    await lease.release();
    expect(await failOrphanedVersions(db.sql, ['als'])).toEqual([version.id]);
  });

  // The embedded store serves every connection from one session, where a lease cannot be seen from outside.
  it.runIf(process.env.DATABASE_URL)(
    'leaves alone a version another process is training, and fails it once that process is gone',
    async () => {
      const other = createSql(db.url, { max: 2 });
      const { version } = await startLeasedVersion(other, 'ease', {});
      expect(await failOrphanedVersions(db.sql, ['ease'])).toEqual([]);
      expect((await statusOf(db, version.id)).status).toBe('training');
      await other.end({ timeout: 0 }); // the process dies: its connection, and the lock, go with it
      // The server ends that session (and drops its lock) a moment after the client hangs up.
      await expect
        .poll(() => failOrphanedVersions(db.sql, ['ease']), { timeout: 10_000 })
        .toEqual([version.id]);
    },
  );
});

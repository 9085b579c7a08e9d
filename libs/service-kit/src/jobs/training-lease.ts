import { failVersion, insertVersion, type ModelVersionRow } from '../db/embeddings.sql';
import type { Sql } from '../db/sql.client';
import { failUnheld, openLease, type Lease } from './lease';

/** Advisory-lock class of model versions in training (the first key of pg_advisory_lock(int, int)). */
const TRAINING_LOCK_CLASS = 7_467_001;

export const INTERRUPTED_ERROR = 'interrupted: the process training this version stopped before it finished';

/** Opens the next version of `model` under a lease (see openLease) held for as long as it trains. */
export async function startLeasedVersion(
  sql: Sql,
  model: string,
  params: Record<string, unknown>,
): Promise<{ version: ModelVersionRow; lease: Lease }> {
  const [{ id }] = await sql<
    { id: number }[]
  >`SELECT nextval(pg_get_serial_sequence('model_versions', 'id'))::int AS id`;
  const { value: version, lease } = await openLease(sql, TRAINING_LOCK_CLASS, id, (tx) =>
    insertVersion(tx, model, params, id),
  );
  return { version, lease };
}

/**
 * Marks failed (INTERRUPTED_ERROR) every version of `models` still in training whose lease nobody holds, and
 * removes what it had stored; returns their ids. Services run it when they start, before they train anything.
 */
export async function failOrphanedVersions(sql: Sql, models: readonly string[]): Promise<number[]> {
  const training = await sql<{ id: number }[]>`
    SELECT id FROM model_versions WHERE status = 'training' AND model = ANY(${models as string[]}) ORDER BY id`;
  return failUnheld(
    sql,
    TRAINING_LOCK_CLASS,
    training.map((r) => r.id),
    (id) => id,
    (conn, id) => failVersion(conn, id, INTERRUPTED_ERROR),
  );
}

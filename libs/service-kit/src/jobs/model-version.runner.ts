import { TOPICS } from '@tunegraph/contracts';
import type { BulkTarget } from '../db/bulk-copy';
import { failVersion, finishAndActivate, type ModelVersionRow } from '../db/embeddings.sql';
import type { Sql } from '../db/sql.client';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../logging/logger';
import { startLeasedVersion } from './training-lease';

/** What a training job needs; the CLI passes the PGlite instance when it owns the embedded store. */
export interface ModelJobDeps {
  sql: Sql;
  bus: EventBus;
  logger: Logger;
  pglite?: BulkTarget['pglite'];
}

/**
 * The life of a model version: open it, let `build` store its vectors and artifact, then activate it and
 * announce it. A failure removes what was stored and leaves the active version untouched; so does the death of
 * the process, once a service starts again (the version's lease, see training-lease.ts).
 */
export async function runModelVersion<M extends { dim: number | null; metrics: Record<string, unknown> }>(
  deps: ModelJobDeps,
  model: string,
  params: Record<string, unknown>,
  build: (version: ModelVersionRow) => Promise<M>,
): Promise<M & { version: number }> {
  const { version, lease } = await startLeasedVersion(deps.sql, model, params);
  let built: M;
  try {
    built = await build(version);
    await finishAndActivate(deps.sql, version.id, { dim: built.dim, metrics: built.metrics });
  } catch (err) {
    await failVersion(deps.sql, version.id, (err as Error).message);
    deps.logger.error(
      { err, version: version.version },
      `${model}: training failed; the active version is unchanged`,
    );
    throw err;
  } finally {
    await lease.release();
  }
  // The version is already active: a failed publish must not mark it failed.
  await deps.bus.publish(TOPICS.modelActivated, [
    { key: model, value: { model, version: version.version, collection: model } },
  ]);
  return { ...built, version: version.version };
}

import type { Sql, TransactionSql } from './sql.client';

/**
 * Embedding collections: dense ones live in song_embeddings (vector), sparse ones in song_sparse_embeddings
 * (sparsevec). Rows of every model version share one table, so each version gets its own partial HNSW index on a
 * cast to its fixed dimension; queries must use the same expression and predicate to hit it.
 */
export type CollectionKind = 'dense' | 'sparse';

export const COLLECTIONS: Record<string, { model: string; kind: CollectionKind }> = {
  als: { model: 'als', kind: 'dense' },
  tfidf: { model: 'tfidf', kind: 'sparse' },
  lda: { model: 'lda', kind: 'dense' },
  item2vec: { model: 'item2vec', kind: 'dense' },
};

export function embeddingTable(kind: CollectionKind): string {
  return kind === 'dense' ? 'song_embeddings' : 'song_sparse_embeddings';
}

/** The indexed expression, e.g. (embedding::vector(64)). */
export function embeddingExpression(kind: CollectionKind, dim: number): string {
  if (!Number.isInteger(dim) || dim < 1 || dim > 100_000) throw new Error(`bad dimension ${dim}`);
  return `(embedding::${kind === 'dense' ? 'vector' : 'sparsevec'}(${dim}))`;
}

export function hnswIndexName(versionId: number): string {
  return `song_embeddings_hnsw_v${versionId}`;
}

/** Builds the version's HNSW (cosine) index; called before the version is activated. */
export async function createHnswIndex(
  sql: Sql | TransactionSql,
  opts: { versionId: number; kind: CollectionKind; dim: number; m?: number; efConstruction?: number },
): Promise<void> {
  const ops = opts.kind === 'dense' ? 'vector_cosine_ops' : 'sparsevec_cosine_ops';
  await sql.unsafe(
    `CREATE INDEX IF NOT EXISTS ${hnswIndexName(opts.versionId)} ON ${embeddingTable(opts.kind)}
     USING hnsw (${embeddingExpression(opts.kind, opts.dim)} ${ops})
     WITH (m = ${opts.m ?? 16}, ef_construction = ${opts.efConstruction ?? 64})
     WHERE model_version_id = ${Number(opts.versionId)}`,
  );
}

export interface ModelVersionRow {
  id: number;
  model: string;
  version: number;
  status: string;
  active: boolean;
  dim: number | null;
  params: Record<string, unknown>;
  metrics: Record<string, unknown>;
  created_at: Date;
  finished_at: Date | null;
}

export async function activeVersion(sql: Sql, model: string): Promise<ModelVersionRow | undefined> {
  const [row] = await sql<ModelVersionRow[]>`SELECT * FROM model_versions WHERE model = ${model} AND active`;
  return row;
}

/** Opens a new version in status 'training'; the caller fills it and then calls finishVersion. */
export async function startVersion(
  sql: Sql,
  model: string,
  params: Record<string, unknown>,
): Promise<ModelVersionRow> {
  return sql.begin(async (tx) => {
    await tx`LOCK TABLE model_versions IN SHARE ROW EXCLUSIVE MODE`;
    const [row] = await tx<ModelVersionRow[]>`
      INSERT INTO model_versions (model, version, status, params)
      SELECT ${model}, COALESCE(MAX(version), 0) + 1, 'training', ${tx.json(params as never)}
      FROM model_versions WHERE model = ${model}
      RETURNING *`;
    return row;
  });
}

/**
 * Marks the version ready with its metrics and makes it the active one in the same transaction (atomic switch).
 * `dim` is null for models that publish no vectors (e.g. item-kNN, whose artifact is all there is).
 */
export async function finishAndActivate(
  sql: Sql,
  versionId: number,
  opts: { dim: number | null; metrics: Record<string, unknown> },
): Promise<void> {
  await sql.begin(async (tx) => {
    const [row] = await tx<{ model: string }[]>`
      UPDATE model_versions SET status = 'ready', dim = ${opts.dim}, metrics = ${tx.json(opts.metrics as never)},
        finished_at = now()
      WHERE id = ${versionId} RETURNING model`;
    await tx`UPDATE model_versions SET active = false WHERE model = ${row.model} AND active`;
    await tx`UPDATE model_versions SET active = true WHERE id = ${versionId}`;
  });
}

/** A failed run never touches the active version; its rows are removed and the error kept. */
export async function failVersion(sql: Sql, versionId: number, error: string): Promise<void> {
  await sql`DELETE FROM song_embeddings WHERE model_version_id = ${versionId}`;
  await sql`DELETE FROM song_sparse_embeddings WHERE model_version_id = ${versionId}`;
  await sql`DELETE FROM user_embeddings WHERE model_version_id = ${versionId}`;
  await sql`DELETE FROM model_artifacts WHERE model_version_id = ${versionId}`;
  await sql`UPDATE model_versions SET status = 'failed', error = ${error.slice(0, 2000)}, finished_at = now() WHERE id = ${versionId}`;
}

import { badInput } from '../errors/app-error';
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
  word2vec: { model: 'word2vec', kind: 'dense' },
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

export function ivfflatIndexName(versionId: number): string {
  return `song_embeddings_ivfflat_v${versionId}`;
}

/**
 * The IVFFlat index's expression: the unit-length vector. Cosine distance is unchanged by normalising, k-means
 * clusters unit vectors better, and the expression differs from the HNSW one, so each query reaches exactly the
 * index it asks for (two indexes on one expression would leave the choice to the planner).
 */
export function ivfflatExpression(dim: number): string {
  return `(l2_normalize${embeddingExpression('dense', dim)}::vector(${dim}))`;
}

/** Build parameters of a version's indexes; pgvector's own limits, checked before a build starts. */
export interface VectorIndexParams {
  m: number;
  efConstruction: number;
  /** IVFFlat lists; undefined picks them from the row count. */
  lists?: number;
}

export const HNSW_DEFAULTS = { m: 16, efConstruction: 64 } as const;
export const INDEX_LIMITS = { m: [2, 100], efConstruction: [4, 1000], lists: [1, 32768] } as const;

export function checkIndexParams(p: Partial<VectorIndexParams>): void {
  const problems: string[] = [];
  for (const key of ['m', 'efConstruction', 'lists'] as const) {
    const value = p[key];
    const [min, max] = INDEX_LIMITS[key];
    if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
      problems.push(`${key} must be an integer from ${min} to ${max}, got ${value}`);
    }
  }
  const m = p.m ?? HNSW_DEFAULTS.m;
  const efConstruction = p.efConstruction ?? HNSW_DEFAULTS.efConstruction;
  if (efConstruction < 2 * m)
    problems.push(`efConstruction (${efConstruction}) must be at least 2 * m (${2 * m})`);
  if (problems.length) throw badInput(`Invalid index parameters: ${problems.join('; ')}`, problems);
}

/** pgvector's advice: rows / 1000 lists up to a million rows, sqrt(rows) beyond. */
export function defaultIvfflatLists(rows: number): number {
  const lists = rows <= 1_000_000 ? Math.round(rows / 1000) : Math.round(Math.sqrt(rows));
  return Math.min(INDEX_LIMITS.lists[1], Math.max(1, lists));
}

/** Builds the version's HNSW (cosine) index; called before the version is activated. */
export async function createHnswIndex(
  sql: Sql | TransactionSql,
  opts: {
    versionId: number;
    kind: CollectionKind;
    dim: number;
    m?: number;
    efConstruction?: number;
    /** Another name than the version's, for an index built beside the one it replaces. */
    name?: string;
  },
): Promise<void> {
  checkIndexParams(opts);
  const ops = opts.kind === 'dense' ? 'vector_cosine_ops' : 'sparsevec_cosine_ops';
  await sql.unsafe(
    `CREATE INDEX IF NOT EXISTS ${opts.name ?? hnswIndexName(opts.versionId)} ON ${embeddingTable(opts.kind)}
     USING hnsw (${embeddingExpression(opts.kind, opts.dim)} ${ops})
     WITH (m = ${opts.m ?? HNSW_DEFAULTS.m}, ef_construction = ${opts.efConstruction ?? HNSW_DEFAULTS.efConstruction})
     WHERE model_version_id = ${Number(opts.versionId)}`,
  );
}

/** Builds the version's IVFFlat (cosine) index over its current rows (k-means needs the data first). */
export async function createIvfflatIndex(
  sql: Sql | TransactionSql,
  opts: { versionId: number; dim: number; lists?: number; name?: string },
): Promise<number> {
  checkIndexParams(opts);
  let lists = opts.lists;
  if (lists === undefined) {
    const [row] = await sql.unsafe<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM song_embeddings WHERE model_version_id = $1',
      [opts.versionId],
    );
    lists = defaultIvfflatLists(row.n);
  }
  await sql.unsafe(
    `CREATE INDEX IF NOT EXISTS ${opts.name ?? ivfflatIndexName(opts.versionId)} ON song_embeddings
     USING ivfflat (${ivfflatExpression(opts.dim)} vector_cosine_ops) WITH (lists = ${lists})
     WHERE model_version_id = ${Number(opts.versionId)}`,
  );
  return lists;
}

/** Every index a version is searched by: HNSW, plus IVFFlat for dense collections (pgvector has none for sparsevec). */
export async function createVectorIndexes(
  sql: Sql | TransactionSql,
  opts: { versionId: number; kind: CollectionKind; dim: number } & Partial<VectorIndexParams>,
): Promise<void> {
  checkIndexParams(opts);
  await createHnswIndex(sql, opts);
  if (opts.kind === 'dense') await createIvfflatIndex(sql, opts);
}

/** The parameters a version's indexes were built with, read back from the catalog; undefined when not built. */
export async function vectorIndexParams(
  sql: Sql | TransactionSql,
  versionId: number,
): Promise<{ hnsw?: { m: number; efConstruction: number }; ivfflat?: { lists: number } }> {
  const rows = await sql.unsafe<{ name: string; options: string[] | null }[]>(
    'SELECT relname AS name, reloptions AS options FROM pg_class WHERE relname = ANY($1::text[])',
    [[hnswIndexName(versionId), ivfflatIndexName(versionId)]],
  );
  const option = (options: string[] | null, key: string, fallback: number) => {
    const found = options?.find((o) => o.startsWith(`${key}=`));
    return found ? Number(found.slice(key.length + 1)) : fallback;
  };
  const result: { hnsw?: { m: number; efConstruction: number }; ivfflat?: { lists: number } } = {};
  for (const row of rows) {
    if (row.name === hnswIndexName(versionId)) {
      result.hnsw = {
        m: option(row.options, 'm', HNSW_DEFAULTS.m),
        efConstruction: option(row.options, 'ef_construction', HNSW_DEFAULTS.efConstruction),
      };
    } else {
      // pgvector's default when lists is not given.
      result.ivfflat = { lists: option(row.options, 'lists', 100) };
    }
  }
  return result;
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
  return sql.begin((tx) => insertVersion(tx, model, params));
}

/** The next version of `model`, in training; `tx` must be inside a transaction (the table lock orders versions). */
export async function insertVersion(
  tx: Sql | TransactionSql,
  model: string,
  params: Record<string, unknown>,
  id?: number,
): Promise<ModelVersionRow> {
  await tx`LOCK TABLE model_versions IN SHARE ROW EXCLUSIVE MODE`;
  const [row] = await tx<ModelVersionRow[]>`
    INSERT INTO model_versions (id, model, version, status, params)
    SELECT COALESCE(${id ?? null}::int, nextval(pg_get_serial_sequence('model_versions', 'id'))::int), ${model},
      COALESCE(MAX(version), 0) + 1, 'training', ${tx.json(params as never)}
    FROM model_versions WHERE model = ${model}
    RETURNING *`;
  return row;
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

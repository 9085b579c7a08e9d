import { Inject, Injectable } from '@nestjs/common';
import {
  SQL,
  activeVersion,
  createHnswIndex,
  embeddingExpression,
  embeddingTable,
  hnswIndexName,
  type CollectionKind,
  type ModelVersionRow,
  type Sql,
  type TransactionSql,
} from '@tunegraph/service-kit';

type Runner = Sql | TransactionSql;

export interface ScoredSong {
  songId: string;
  score: number;
}

export interface KnnQuery {
  versionId: number;
  kind: CollectionKind;
  dim: number;
  /** pgvector literal of the query: `[..]` for dense, `{i:v,..}/dim` for sparse. */
  literal: string;
  k: number;
  exclude: string[];
}

const vectorType = (kind: CollectionKind) => (kind === 'dense' ? 'vector' : 'sparsevec');

/** Every pgvector read of vector-search: active versions, stored embeddings and kNN scans. */
@Injectable()
export class EmbeddingsRepository {
  constructor(@Inject(SQL) private readonly sql: Sql) {}

  activeVersion(model: string): Promise<ModelVersionRow | undefined> {
    return activeVersion(this.sql, model);
  }

  /** The song's stored embedding as a pgvector literal, or undefined when the version has none for it. */
  async embeddingLiteral(
    versionId: number,
    kind: CollectionKind,
    songId: string,
  ): Promise<string | undefined> {
    const [row] = await this.sql.unsafe<{ embedding: string }[]>(
      `SELECT embedding::text AS embedding FROM ${embeddingTable(kind)} WHERE model_version_id = $1 AND song_id = $2`,
      [versionId, songId],
    );
    return row?.embedding;
  }

  async songExists(songId: string): Promise<boolean> {
    const [row] = await this.sql<
      { exists: boolean }[]
    >`SELECT EXISTS (SELECT 1 FROM songs WHERE id = ${songId}) AS exists`;
    return row.exists;
  }

  /** Full scan: the bare `embedding <=> $1` expression matches no index, so every row of the version is scored. */
  exactKnn(q: KnnQuery): Promise<ScoredSong[]> {
    return this.run(this.sql, q, exactSql(q.kind));
  }

  /**
   * Walks the version's partial HNSW index. iterative_scan keeps walking when exclusions filter rows out, so k rows
   * still come back; relaxed_order may return them slightly out of order, hence the re-sort.
   */
  async hnswKnn(q: KnnQuery, efSearch: number): Promise<ScoredSong[]> {
    const rows = await this.inHnswTransaction(efSearch, (tx) => this.run(tx, q, hnswSql(q.kind, q.dim)));
    return rows.sort((a, b) => b.score - a.score);
  }

  /**
   * enable_sort = off makes the index the only cheap way to produce rows in distance order, so HNSW is used even
   * when table statistics are stale (e.g. right after a trainer's bulk load, before ANALYZE).
   */
  private inHnswTransaction<T>(efSearch: number, fn: (tx: Runner) => Promise<T>): Promise<T> {
    return this.sql.begin(async (tx) => {
      await tx.unsafe(`SET LOCAL hnsw.ef_search = ${Math.trunc(efSearch)}`);
      await tx.unsafe(`SET LOCAL hnsw.iterative_scan = relaxed_order`);
      await tx.unsafe(`SET LOCAL enable_sort = off`);
      return fn(tx);
    }) as Promise<T>;
  }

  /** Creates the version's HNSW index when missing, else rebuilds it; returns the number of indexed rows. */
  async rebuildHnswIndex(versionId: number, kind: CollectionKind, dim: number): Promise<number> {
    const [existing] = await this.sql<
      { name: string }[]
    >`SELECT to_regclass(${hnswIndexName(versionId)})::text AS name`;
    if (existing.name) await this.sql.unsafe(`REINDEX INDEX ${hnswIndexName(versionId)}`);
    else await createHnswIndex(this.sql, { versionId, kind, dim });
    const [row] = await this.sql.unsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${embeddingTable(kind)} WHERE model_version_id = $1`,
      [versionId],
    );
    return row.n;
  }

  /** The plan Postgres picks for a query (for tests and diagnostics). */
  async explain(q: KnnQuery, index: 'exact' | 'hnsw', efSearch = 100): Promise<string> {
    const plan = async (runner: Runner, text: string) => {
      const rows = await runner.unsafe<Record<string, string>[]>(`EXPLAIN ${text}`, [
        q.literal,
        q.versionId,
        q.exclude,
        q.k,
      ]);
      return rows.map((r) => Object.values(r)[0]).join('\n');
    };
    if (index === 'exact') return plan(this.sql, exactSql(q.kind));
    return this.inHnswTransaction(efSearch, (tx) => plan(tx, hnswSql(q.kind, q.dim)));
  }

  private async run(sql: Runner, q: KnnQuery, text: string): Promise<ScoredSong[]> {
    const rows = await sql.unsafe<{ song_id: string; distance: number }[]>(text, [
      q.literal,
      q.versionId,
      q.exclude,
      q.k,
    ]);
    return rows.map((r) => ({ songId: r.song_id, score: 1 - Number(r.distance) }));
  }
}

function exactSql(kind: CollectionKind): string {
  const distance = `embedding <=> $1::${vectorType(kind)}`;
  return knnSql(kind, distance);
}

function hnswSql(kind: CollectionKind, dim: number): string {
  const distance = `${embeddingExpression(kind, dim)} <=> $1::${vectorType(kind)}(${dim})`;
  return knnSql(kind, distance);
}

function knnSql(kind: CollectionKind, distance: string): string {
  return `SELECT song_id, ${distance} AS distance FROM ${embeddingTable(kind)}
    WHERE model_version_id = $2 AND song_id <> ALL($3::text[])
    ORDER BY ${distance} LIMIT $4`;
}

import { Inject, Injectable } from '@nestjs/common';
import {
  SQL,
  activeVersion,
  createHnswIndex,
  createIvfflatIndex,
  embeddingExpression,
  embeddingTable,
  hnswIndexName,
  ivfflatExpression,
  ivfflatIndexName,
  vectorIndexParams,
  type CollectionKind,
  type ModelVersionRow,
  type Sql,
  type TransactionSql,
  type VectorIndexParams,
} from '@tunegraph/service-kit';
import { embeddingFilterSql, songConditionSql, type SongFilter } from './song-filter.sql';

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
  filter?: SongFilter;
}

/** How a query walks the vectors: a full scan, or one of the version's partial indexes with its search breadth. */
export type IndexScan =
  | { kind: 'exact' }
  | { kind: 'hnsw'; efSearch: number; maxScanTuples: number }
  | { kind: 'ivfflat'; probes: number };

const vectorType = (kind: CollectionKind) => (kind === 'dense' ? 'vector' : 'sparsevec');

/**
 * Relaxed-order iterative scans may hand rows back slightly out of distance order, so the first k rows are not
 * quite the best k: fetch more, re-sort, keep k.
 */
const overfetch = (k: number) => k + Math.min(k, 100);

/** Every pgvector read of vector-search: active versions, stored embeddings, kNN scans and index builds. */
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

  async userExists(userId: string): Promise<boolean> {
    const [row] = await this.sql<
      { exists: boolean }[]
    >`SELECT EXISTS (SELECT 1 FROM users WHERE id = ${userId}) AS exists`;
    return row.exists;
  }

  /** The ids among `artistIds` that are not in the catalog. */
  async unknownArtists(artistIds: string[]): Promise<string[]> {
    const rows = await this.sql<{ id: string }[]>`
      SELECT u.id FROM unnest(${artistIds}::text[]) AS u(id)
      WHERE NOT EXISTS (SELECT 1 FROM artists a WHERE a.id = u.id)`;
    return rows.map((r) => r.id);
  }

  /** The songs among `songIds` that meet the filter (order not kept). */
  async songsMatching(songIds: string[], filter: SongFilter): Promise<Set<string>> {
    const params: unknown[] = [songIds];
    const condition = songConditionSql(filter, params) ?? 'true';
    const rows = await this.sql.unsafe<{ id: string }[]>(
      `SELECT s.id FROM songs s WHERE s.id = ANY($1::text[]) AND ${condition}`,
      params as never[],
    );
    return new Set(rows.map((r) => r.id));
  }

  /**
   * The k nearest rows meeting the query's exclusions and filter, best first. An index scan runs with pgvector's
   * iterative scan: when the filter rejects rows it keeps walking the index (HNSW up to maxScanTuples, IVFFlat
   * through more lists) instead of returning fewer than k.
   */
  async knn(q: KnnQuery, scan: IndexScan): Promise<ScoredSong[]> {
    if (scan.kind === 'exact') return this.run(this.sql, q, scan, q.k);
    const rows = await this.inIndexTransaction(scan, (tx) => this.run(tx, q, scan, overfetch(q.k)));
    return rows.sort((a, b) => b.score - a.score).slice(0, q.k);
  }

  /** The version's index parameters as built (undefined for an index that does not exist). */
  indexParams(versionId: number) {
    return vectorIndexParams(this.sql, versionId);
  }

  /**
   * Rebuilds the version's indexes with the given parameters: each new index is built beside the old one (reads go
   * on meanwhile), then swapped in under the canonical name in one short transaction.
   */
  async rebuildIndexes(
    versionId: number,
    kind: CollectionKind,
    dim: number,
    params: Partial<VectorIndexParams>,
  ): Promise<{ size: number; lists: number }> {
    const swaps: [string, string][] = [];
    const hnsw = hnswIndexName(versionId);
    // A staging index left by a rebuild that died half-way is dropped first.
    await this.sql.unsafe(`DROP INDEX IF EXISTS ${hnsw}_new`);
    await createHnswIndex(this.sql, { versionId, kind, dim, ...params, name: `${hnsw}_new` });
    swaps.push([`${hnsw}_new`, hnsw]);
    let lists = 0;
    if (kind === 'dense') {
      const ivfflat = ivfflatIndexName(versionId);
      await this.sql.unsafe(`DROP INDEX IF EXISTS ${ivfflat}_new`);
      lists = await createIvfflatIndex(this.sql, {
        versionId,
        dim,
        lists: params.lists,
        name: `${ivfflat}_new`,
      });
      swaps.push([`${ivfflat}_new`, ivfflat]);
    }
    await this.sql.begin(async (tx) => {
      for (const [staged, name] of swaps) {
        await tx.unsafe(`DROP INDEX IF EXISTS ${name}`);
        await tx.unsafe(`ALTER INDEX ${staged} RENAME TO ${name}`);
      }
    });
    const [row] = await this.sql.unsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${embeddingTable(kind)} WHERE model_version_id = $1`,
      [versionId],
    );
    return { size: row.n, lists };
  }

  /** The plan Postgres picks for a query (for tests and diagnostics). */
  async explain(q: KnnQuery, scan: IndexScan): Promise<string> {
    const plan = async (runner: Runner) => {
      const { text, params } = knnSql(q, scan, q.k);
      const rows = await runner.unsafe<Record<string, string>[]>(`EXPLAIN ${text}`, params as never[]);
      return rows.map((r) => Object.values(r)[0]).join('\n');
    };
    if (scan.kind === 'exact') return plan(this.sql);
    return this.inIndexTransaction(scan, plan);
  }

  /**
   * enable_sort = off makes the index the only cheap way to produce rows in distance order, so it is used even
   * when table statistics are stale (e.g. right after a trainer's bulk load, before ANALYZE).
   */
  private inIndexTransaction<T>(
    scan: Exclude<IndexScan, { kind: 'exact' }>,
    fn: (tx: Runner) => Promise<T>,
  ): Promise<T> {
    return this.sql.begin(async (tx) => {
      if (scan.kind === 'hnsw') {
        await tx.unsafe(`SET LOCAL hnsw.ef_search = ${Math.trunc(scan.efSearch)}`);
        await tx.unsafe(`SET LOCAL hnsw.iterative_scan = relaxed_order`);
        await tx.unsafe(`SET LOCAL hnsw.max_scan_tuples = ${Math.trunc(scan.maxScanTuples)}`);
      } else {
        await tx.unsafe(`SET LOCAL ivfflat.probes = ${Math.trunc(scan.probes)}`);
        await tx.unsafe(`SET LOCAL ivfflat.iterative_scan = relaxed_order`);
      }
      await tx.unsafe(`SET LOCAL enable_sort = off`);
      return fn(tx);
    }) as Promise<T>;
  }

  private async run(sql: Runner, q: KnnQuery, scan: IndexScan, limit: number): Promise<ScoredSong[]> {
    const { text, params } = knnSql(q, scan, limit);
    const rows = await sql.unsafe<{ song_id: string; distance: number }[]>(text, params as never[]);
    return rows.map((r) => ({ songId: r.song_id, score: 1 - Number(r.distance) }));
  }
}

/** The distance expression decides the index: a bare column matches none, the cast one HNSW, the normalised one IVFFlat. */
function distanceSql(q: KnnQuery, scan: IndexScan): string {
  const type = vectorType(q.kind);
  if (scan.kind === 'exact') return `embedding <=> $1::${type}`;
  if (scan.kind === 'hnsw') return `${embeddingExpression(q.kind, q.dim)} <=> $1::${type}(${q.dim})`;
  return `${ivfflatExpression(q.dim)} <=> $1::vector(${q.dim})`;
}

function knnSql(q: KnnQuery, scan: IndexScan, limit: number): { text: string; params: unknown[] } {
  const params: unknown[] = [q.literal, q.versionId, q.exclude, limit];
  const distance = distanceSql(q, scan);
  const text = `SELECT song_id, ${distance} AS distance FROM ${embeddingTable(q.kind)} e
    WHERE model_version_id = $2 AND song_id <> ALL($3::text[])${embeddingFilterSql(q.filter, params)}
    ORDER BY ${distance} LIMIT $4`;
  return { text, params };
}

import { Inject, Injectable } from '@nestjs/common';
import { SQL, activeVersion, fromSparseLiteral, fromVectorLiteral, type ModelVersionRow, type Sql } from '@tunegraph/service-kit';
import type { SparseVector } from '@tunegraph/tfidf';
import { TFIDF_MODEL } from './lyrics.repository';

@Injectable()
export class SongVectorsRepository {
  constructor(@Inject(SQL) private readonly sql: Sql) {}

  activeVersionId(): Promise<number | undefined> {
    return activeVersion(this.sql, TFIDF_MODEL).then((v) => v?.id);
  }

  /** Active TF-IDF vectors of the given songs (or track ids), keyed by the id asked for. */
  async vectors(versionId: number, ids: string[]): Promise<Map<string, SparseVector>> {
    const rows = await this.sql<{ ref: string; embedding: string }[]>`
      SELECT r.ref, e.embedding::text AS embedding
      FROM unnest(${ids}::text[]) AS r(ref)
      JOIN song_sparse_embeddings e ON e.model_version_id = ${versionId}
        AND e.song_id = COALESCE((SELECT song_id FROM tracks WHERE id = r.ref), r.ref)`;
    return new Map(rows.map((r) => [r.ref, fromSparseLiteral(r.embedding)]));
  }

  async songExists(id: string): Promise<boolean> {
    const rows = await this.sql`SELECT 1 FROM songs WHERE id = ${id} UNION ALL SELECT 1 FROM tracks WHERE id = ${id} LIMIT 1`;
    return rows.length > 0;
  }

  async words(stems: number[]): Promise<Map<number, string>> {
    const rows = await this.sql<{ idx: number; word: string }[]>`
      SELECT idx, COALESCE(word, stem) AS word FROM stems WHERE idx = ANY(${stems})`;
    return new Map(rows.map((r) => [r.idx, r.word]));
  }

  activeLdaVersion(): Promise<ModelVersionRow | undefined> {
    return activeVersion(this.sql, 'lda');
  }

  async denseVector(versionId: number, id: string): Promise<Float32Array | undefined> {
    const [row] = await this.sql<{ embedding: string }[]>`
      SELECT embedding::text AS embedding FROM song_embeddings
      WHERE model_version_id = ${versionId}
        AND song_id = COALESCE((SELECT song_id FROM tracks WHERE id = ${id}), ${id})`;
    return row ? fromVectorLiteral(row.embedding) : undefined;
  }

  async artifact(versionId: number): Promise<Buffer | undefined> {
    const [row] = await this.sql<{ artifact: Buffer }[]>`SELECT artifact FROM model_artifacts WHERE model_version_id = ${versionId}`;
    return row?.artifact;
  }
}

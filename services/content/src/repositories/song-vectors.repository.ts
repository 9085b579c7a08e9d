import { Inject, Injectable } from '@nestjs/common';
import {
  SQL,
  activeVersion,
  fromSparseLiteral,
  fromVectorLiteral,
  type ModelVersionRow,
  type Sql,
} from '@tunegraph/service-kit';
import type { SparseDoc, SparseVector } from '@tunegraph/tfidf';

@Injectable()
export class SongVectorsRepository {
  constructor(@Inject(SQL) private readonly sql: Sql) {}

  activeVersion(model: string): Promise<ModelVersionRow | undefined> {
    return activeVersion(this.sql, model);
  }

  /** Sparse (TF-IDF) vectors of the given songs (or track ids), keyed by the id asked for. */
  async vectors(versionId: number, ids: string[]): Promise<Map<string, SparseVector>> {
    const rows = await this.embeddings('song_sparse_embeddings', versionId, ids);
    return new Map(rows.map((r) => [r.ref, fromSparseLiteral(r.embedding)]));
  }

  /** Dense vectors (LDA mixtures, Word2Vec song vectors) of the given songs (or track ids), keyed by the id asked for. */
  async denseVectors(versionId: number, ids: string[]): Promise<Map<string, Float32Array>> {
    const rows = await this.embeddings('song_embeddings', versionId, ids);
    return new Map(rows.map((r) => [r.ref, fromVectorLiteral(r.embedding)]));
  }

  private embeddings(table: string, versionId: number, ids: string[]) {
    return this.sql<{ ref: string; embedding: string }[]>`
      SELECT r.ref, e.embedding::text AS embedding
      FROM unnest(${ids}::text[]) AS r(ref)
      JOIN ${this.sql(table)} e ON e.model_version_id = ${versionId}
        AND e.song_id = COALESCE((SELECT song_id FROM tracks WHERE id = r.ref), r.ref)`;
  }

  async denseVector(versionId: number, id: string): Promise<Float32Array | undefined> {
    return (await this.denseVectors(versionId, [id])).get(id);
  }

  /** Bags of words of the given songs (or track ids), summed over each song's tracks, keyed by the id asked for. */
  async bags(ids: string[]): Promise<Map<string, SparseDoc>> {
    const rows = await this.sql<{ ref: string; terms: number[]; counts: number[] }[]>`
      SELECT ref, array_agg(stem_idx ORDER BY stem_idx) AS terms, array_agg(total ORDER BY stem_idx) AS counts
      FROM (SELECT r.ref, l.stem_idx, SUM(l.count)::int AS total
            FROM unnest(${ids}::text[]) AS r(ref)
            JOIN tracks t ON t.song_id = COALESCE((SELECT song_id FROM tracks WHERE id = r.ref), r.ref)
            JOIN lyrics l ON l.track_id = t.id
            GROUP BY r.ref, l.stem_idx) bag
      GROUP BY ref`;
    return new Map(
      rows.map((r, i) => [
        r.ref,
        { id: i, terms: Int32Array.from(r.terms), counts: Float32Array.from(r.counts) },
      ]),
    );
  }

  async songExists(id: string): Promise<boolean> {
    const rows = await this
      .sql`SELECT 1 FROM songs WHERE id = ${id} UNION ALL SELECT 1 FROM tracks WHERE id = ${id} LIMIT 1`;
    return rows.length > 0;
  }

  async words(stems: number[]): Promise<Map<number, string>> {
    const rows = await this.sql<{ idx: number; word: string }[]>`
      SELECT idx, COALESCE(word, stem) AS word FROM stems WHERE idx = ANY(${stems})`;
    return new Map(rows.map((r) => [r.idx, r.word]));
  }

  /** The stem a readable word (or a stem itself) stands for; a readable word wins over a stem spelled the same. */
  async stemOf(word: string): Promise<number | undefined> {
    const [row] = await this.sql<{ idx: number }[]>`
      SELECT idx FROM stems WHERE word = ${word} OR stem = ${word} ORDER BY (word = ${word}) DESC NULLS LAST, idx LIMIT 1`;
    return row?.idx;
  }

  async artifact(versionId: number): Promise<Buffer | undefined> {
    const [row] = await this.sql<
      { artifact: Buffer }[]
    >`SELECT artifact FROM model_artifacts WHERE model_version_id = ${versionId}`;
    return row?.artifact;
  }
}

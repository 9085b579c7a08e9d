import { Inject, Injectable } from '@nestjs/common';
import {
  SQL,
  activeVersion,
  fromVectorLiteral,
  type ModelVersionRow,
  type Sql,
} from '@tunegraph/service-kit';

export interface DenseRows {
  songIds: string[];
  /** Row-major, songIds.length x dim. */
  vectors: Float32Array;
}

const BATCH = 5000;

/** Reads the active version's dense song vectors out of pgvector. */
@Injectable()
export class EmbeddingsRepository {
  constructor(@Inject(SQL) private readonly sql: Sql) {}

  activeVersion(model: string): Promise<ModelVersionRow | undefined> {
    return activeVersion(this.sql, model);
  }

  /** Every song vector of the version, read with a cursor so a large collection is never one result set. */
  denseVectors(versionId: number, dim: number): Promise<DenseRows> {
    return readDense(
      this.sql<VectorRow[]>`
        SELECT song_id, embedding::text AS embedding FROM song_embeddings
        WHERE model_version_id = ${versionId} ORDER BY song_id`.cursor(BATCH),
      versionId,
      dim,
    );
  }

  /** The vectors of these songs in the version (songs without one are left out). */
  denseVectorsOf(versionId: number, dim: number, songIds: string[]): Promise<DenseRows> {
    return readDense(
      this.sql<VectorRow[]>`
        SELECT song_id, embedding::text AS embedding FROM song_embeddings
        WHERE model_version_id = ${versionId} AND song_id = ANY(${songIds}) ORDER BY song_id`.cursor(BATCH),
      versionId,
      dim,
    );
  }

  /** The songs that have a vector in the version. */
  async songIds(versionId: number): Promise<string[]> {
    const rows = await this.sql<{ song_id: string }[]>`
      SELECT song_id FROM song_embeddings WHERE model_version_id = ${versionId}`;
    return rows.map((r) => r.song_id);
  }
}

interface VectorRow {
  song_id: string;
  embedding: string;
}

async function readDense(
  cursor: AsyncIterable<VectorRow[]>,
  versionId: number,
  dim: number,
): Promise<DenseRows> {
  const songIds: string[] = [];
  const chunks: Float32Array[] = [];
  for await (const rows of cursor) {
    const chunk = new Float32Array(rows.length * dim);
    rows.forEach((row, i) => {
      const vector = fromVectorLiteral(row.embedding);
      if (vector.length !== dim) {
        throw new Error(
          `song ${row.song_id} of model version id ${versionId} has ${vector.length} dimensions, not ${dim}`,
        );
      }
      chunk.set(vector, i * dim);
      songIds.push(row.song_id);
    });
    chunks.push(chunk);
  }
  const vectors = new Float32Array(songIds.length * dim);
  let offset = 0;
  for (const chunk of chunks) {
    vectors.set(chunk, offset);
    offset += chunk.length;
  }
  return { songIds, vectors };
}

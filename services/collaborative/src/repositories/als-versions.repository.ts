import { Inject, Injectable } from '@nestjs/common';
import {
  SQL,
  activeVersion,
  copyRows,
  fromVectorLiteral,
  toVectorLiteral,
  type BulkTarget,
  type CopyValue,
  type ModelVersionRow,
  type Sql,
} from '@tunegraph/service-kit';

export const ALS_MODEL = 'als';

/** The active version's song factors, row i belonging to songIds[i]. */
export interface StoredSongFactors {
  version: ModelVersionRow;
  songIds: string[];
  factors: Float32Array;
}

export type StoredVersion = ModelVersionRow & { error: string | null };

const CURSOR_ROWS = 5_000;
const WRITE_CHUNK = 5_000;

@Injectable()
export class AlsVersionsRepository {
  constructor(@Inject(SQL) private readonly sql: Sql) {}

  activeVersion(): Promise<ModelVersionRow | undefined> {
    return activeVersion(this.sql, ALS_MODEL);
  }

  async loadSongFactors(version: ModelVersionRow): Promise<StoredSongFactors> {
    const dim = version.dim;
    if (!dim) throw new Error(`model version ${version.id} has no dimension`);
    const [{ songs }] = await this.sql<{ songs: number }[]>`
      SELECT count(*)::int AS songs FROM song_embeddings WHERE model_version_id = ${version.id}`;
    const songIds: string[] = [];
    const factors = new Float32Array(songs * dim);
    await this.sql<{ song_id: string; embedding: string }[]>`
      SELECT song_id, embedding::text AS embedding FROM song_embeddings
      WHERE model_version_id = ${version.id} ORDER BY song_id`.cursor(CURSOR_ROWS, (rows) => {
      for (const r of rows) {
        const v = fromVectorLiteral(r.embedding);
        if (v.length !== dim) throw new Error(`song ${r.song_id} has ${v.length} factors, expected ${dim}`);
        factors.set(v, songIds.length * dim);
        songIds.push(r.song_id);
      }
    });
    if (songIds.length !== songs) throw new Error(`model version ${version.id} changed while it was being loaded`);
    return { version, songIds, factors };
  }

  /** Versions of every model (not only ALS), for operators. */
  listVersions(model?: string): Promise<StoredVersion[]> {
    return model === undefined
      ? this.sql<StoredVersion[]>`SELECT * FROM model_versions ORDER BY model, version DESC`
      : this.sql<StoredVersion[]>`SELECT * FROM model_versions WHERE model = ${model} ORDER BY version DESC`;
  }
}

/** Writes one row per id with its factor vector as a pgvector literal, streamed in chunks. */
export function writeFactors(
  target: BulkTarget,
  table: 'song_embeddings' | 'user_embeddings',
  versionId: number,
  ids: string[],
  factors: Float32Array,
  dim: number,
): Promise<number> {
  const idColumn = table === 'song_embeddings' ? 'song_id' : 'user_id';
  function* chunks(): Generator<CopyValue[][]> {
    for (let start = 0; start < ids.length; start += WRITE_CHUNK) {
      const rows: CopyValue[][] = [];
      for (let i = start; i < Math.min(ids.length, start + WRITE_CHUNK); i++) {
        rows.push([versionId, ids[i], toVectorLiteral(factors.subarray(i * dim, (i + 1) * dim))]);
      }
      yield rows;
    }
  }
  return copyRows(target, table, ['model_version_id', idColumn, 'embedding'], chunks());
}

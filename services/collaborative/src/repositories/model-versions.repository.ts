import { Inject, Injectable } from '@nestjs/common';
import {
  SQL,
  activeVersion,
  copyRows,
  toVectorLiteral,
  type BulkTarget,
  type CopyValue,
  type ModelVersionRow,
  type Sql,
} from '@tunegraph/service-kit';

export type StoredVersion = ModelVersionRow & { error: string | null };

/** A trained model as stored: its song ids (dense index i is songIds[i]) and the kind's own bytes. */
export interface StoredModel {
  songIds: string[];
  bytes: Buffer;
}

const WRITE_CHUNK = 5_000;

@Injectable()
export class ModelVersionsRepository {
  constructor(@Inject(SQL) private readonly sql: Sql) {}

  activeVersion(model: string): Promise<ModelVersionRow | undefined> {
    return activeVersion(this.sql, model);
  }

  /** The version's stored model, or undefined when it has none (e.g. trained before artifacts were kept). */
  async loadModel(versionId: number): Promise<StoredModel | undefined> {
    const [row] = await this.sql<{ artifact: Buffer }[]>`
      SELECT artifact FROM model_artifacts WHERE model_version_id = ${versionId}`;
    return row ? decodeStoredModel(row.artifact) : undefined;
  }

  /** Versions of every model (or of one), newest first, for operators. */
  listVersions(model?: string): Promise<StoredVersion[]> {
    return model === undefined
      ? this.sql<StoredVersion[]>`SELECT * FROM model_versions ORDER BY model, version DESC`
      : this.sql<StoredVersion[]>`SELECT * FROM model_versions WHERE model = ${model} ORDER BY version DESC`;
  }

  async getVersion(id: number): Promise<StoredVersion | undefined> {
    const [row] = await this.sql<StoredVersion[]>`SELECT * FROM model_versions WHERE id = ${id}`;
    return row;
  }
}

export async function saveModel(sql: Sql, versionId: number, model: StoredModel): Promise<void> {
  await sql`INSERT INTO model_artifacts (model_version_id, artifact) VALUES (${versionId}, ${encodeStoredModel(model)})`;
}

/** [u32 length][JSON song ids][model bytes]. */
function encodeStoredModel({ songIds, bytes }: StoredModel): Buffer {
  const ids = Buffer.from(JSON.stringify(songIds), 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32LE(ids.length, 0);
  return Buffer.concat([head, ids, bytes]);
}

function decodeStoredModel(buf: Buffer): StoredModel {
  const length = buf.readUInt32LE(0);
  return {
    songIds: JSON.parse(buf.toString('utf8', 4, 4 + length)) as string[],
    bytes: buf.subarray(4 + length),
  };
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

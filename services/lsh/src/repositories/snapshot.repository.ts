import * as fs from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { CosineLsh } from '@tunegraph/lsh';
import { CONFIG } from '@tunegraph/service-kit';
import type { LshConfig, LshParams } from '../config';

const MAGIC = 'TGLSHSNAP1';

/** What identifies the data a snapshot was built from; a snapshot is only reused when all of it matches. */
export interface SnapshotKey {
  collection: string;
  version: number;
  /** model_versions.created_at: tells apart versions with the same number in different databases. */
  createdAt: string;
  params: LshParams;
}

export interface Snapshot {
  key: SnapshotKey;
  dim: number;
  /** Song of LSH id i. */
  songIds: string[];
  /** Row-major vectors of songIds, kept for queries by song id. */
  vectors: Float32Array;
  lsh: CosineLsh;
}

interface Header extends SnapshotKey {
  dim: number;
  songIds: string[];
}

/**
 * LSH snapshots under ${TUNEGRAPH_HOME}/lsh/<collection>-v<version>.bin: a magic line, a JSON header (key, dim, song
 * ids), the vectors, then CosineLsh.toBuffer(). Written to a temp file and renamed, so a crash never leaves half a file.
 */
@Injectable()
export class SnapshotRepository {
  private readonly dir: string;

  constructor(@Inject(CONFIG) config: LshConfig) {
    this.dir = path.join(config.TUNEGRAPH_HOME, 'lsh');
  }

  file(collection: string, version: number): string {
    return path.join(this.dir, `${collection}-v${version}.bin`);
  }

  async write(snapshot: Snapshot): Promise<string> {
    const header: Header = { ...snapshot.key, dim: snapshot.dim, songIds: snapshot.songIds };
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const lengths = Buffer.alloc(8);
    lengths.writeUInt32LE(headerBytes.length, 0);
    lengths.writeUInt32LE(snapshot.vectors.byteLength, 4);
    const vectorBytes = Buffer.from(
      snapshot.vectors.buffer,
      snapshot.vectors.byteOffset,
      snapshot.vectors.byteLength,
    );
    const file = this.file(snapshot.key.collection, snapshot.key.version);
    await fs.promises.mkdir(this.dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.promises.writeFile(
      tmp,
      Buffer.concat([Buffer.from(MAGIC), lengths, headerBytes, vectorBytes, snapshot.lsh.toBuffer()]),
    );
    await fs.promises.rename(tmp, file);
    return file;
  }

  /**
   * The snapshot for `key`, or undefined when there is none or it was built from other data or parameters. A file
   * that cannot be parsed throws: it is corrupt, and the caller decides to rebuild.
   */
  async read(key: SnapshotKey): Promise<Snapshot | undefined> {
    let buffer: Buffer;
    try {
      buffer = await fs.promises.readFile(this.file(key.collection, key.version));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const file = this.file(key.collection, key.version);
    if (buffer.subarray(0, MAGIC.length).toString('latin1') !== MAGIC)
      throw new Error(`${file} is not an LSH snapshot`);
    let at = MAGIC.length;
    const headerLength = buffer.readUInt32LE(at);
    const vectorLength = buffer.readUInt32LE(at + 4);
    at += 8;
    const header = JSON.parse(buffer.subarray(at, at + headerLength).toString('utf8')) as Header;
    at += headerLength;
    if (!sameKey(header, key)) return undefined;
    // Copy: the vectors' offset in the file need not be 4-byte aligned.
    const vectors = new Float32Array(
      buffer.buffer.slice(buffer.byteOffset + at, buffer.byteOffset + at + vectorLength),
    );
    at += vectorLength;
    if (vectors.length !== header.songIds.length * header.dim)
      throw new Error(`${file}: vector block does not match its header`);
    const lsh = CosineLsh.fromBuffer(buffer.subarray(at));
    if (lsh.size !== header.songIds.length)
      throw new Error(`${file}: index holds ${lsh.size} vectors, header lists ${header.songIds.length}`);
    return { key, dim: header.dim, songIds: header.songIds, vectors, lsh };
  }
}

function sameKey(a: SnapshotKey, b: SnapshotKey): boolean {
  return (
    a.collection === b.collection &&
    a.version === b.version &&
    a.createdAt === b.createdAt &&
    (Object.keys(b.params) as (keyof LshParams)[]).every((p) => a.params?.[p] === b.params[p])
  );
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { CosineLsh, type CosineTuning } from '@tunegraph/lsh';
import { CONFIG } from '@tunegraph/service-kit';
import type { LshConfig, LshParams } from '../config';

// Version 2: tuned parameters, no separate copy of the vectors (queries by song use the index's own copy), LSH
// buffer format 3. Files of another version are rejected as unreadable, and the service rebuilds them.
const MAGIC = 'TGLSHSNAP2';

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
  lsh: CosineLsh;
  /** How the setting was chosen, when it was tuned. */
  tuning?: CosineTuning;
}

interface Header extends SnapshotKey {
  dim: number;
  songIds: string[];
  tuning?: CosineTuning;
}

/**
 * LSH snapshots under ${TUNEGRAPH_HOME}/lsh/<collection>-v<version>.bin: a magic line, a JSON header (key, dim, song
 * ids, tuning), then CosineLsh.toBuffer(). Written to a temp file and renamed, so a crash never leaves half a file.
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
    const header: Header = {
      ...snapshot.key,
      dim: snapshot.dim,
      songIds: snapshot.songIds,
      tuning: snapshot.tuning,
    };
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(headerBytes.length, 0);
    const file = this.file(snapshot.key.collection, snapshot.key.version);
    await fs.promises.mkdir(this.dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.promises.writeFile(
      tmp,
      Buffer.concat([Buffer.from(MAGIC), length, headerBytes, snapshot.lsh.toBuffer()]),
    );
    await fs.promises.rename(tmp, file);
    return file;
  }

  /**
   * The snapshot for `key`, or undefined when there is none or it was built from other data or parameters. A file
   * that cannot be parsed (corrupt, or an older format) throws, and the caller rebuilds.
   */
  async read(key: SnapshotKey): Promise<Snapshot | undefined> {
    const file = this.file(key.collection, key.version);
    let buffer: Buffer;
    try {
      buffer = await fs.promises.readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    if (buffer.subarray(0, MAGIC.length).toString('latin1') !== MAGIC) {
      throw new Error(`${file} is not an LSH snapshot of format ${MAGIC} (older or corrupt)`);
    }
    let at = MAGIC.length;
    const headerLength = buffer.readUInt32LE(at);
    at += 4;
    const header = JSON.parse(buffer.subarray(at, at + headerLength).toString('utf8')) as Header;
    at += headerLength;
    if (!sameKey(header, key)) return undefined;
    const lsh = CosineLsh.fromBuffer(buffer.subarray(at));
    if (lsh.size !== header.songIds.length)
      throw new Error(`${file}: index holds ${lsh.size} vectors, header lists ${header.songIds.length}`);
    return { key, dim: header.dim, songIds: header.songIds, lsh, tuning: header.tuning };
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

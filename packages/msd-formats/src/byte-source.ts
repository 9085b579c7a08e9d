import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';

/**
 * Where a file's bytes come from: a local path, or anything else that can stream them (an S3 object). `path` names
 * it in summaries and quarantine rows.
 */
export interface ByteSource {
  readonly path: string;
  /** The whole content from the start, as a fresh stream on every call. */
  open(): Promise<Readable>;
  /** Up to `bytes` bytes from the start (fewer for a shorter file). */
  readHead(bytes: number): Promise<Buffer>;
  /** Size and a value that changes whenever the content does, so an unchanged file can be skipped. */
  fingerprint(): Promise<{ size: number; value: string }>;
}

/** A local path or a ByteSource. */
export type MsdSource = string | ByteSource;

const FINGERPRINT_HEAD_BYTES = 65_536;

export function fileSource(path: string): ByteSource {
  const readHead = async (bytes: number) => {
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.alloc(bytes);
      const { bytesRead } = await fh.read(buf, 0, bytes, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  };
  return {
    path,
    open: async () => createReadStream(path, { highWaterMark: 1 << 16 }),
    readHead,
    async fingerprint() {
      const s = await stat(path);
      const digest = createHash('sha1')
        .update(await readHead(FINGERPRINT_HEAD_BYTES))
        .digest('hex');
      return { size: s.size, value: `${s.size}:${Math.round(s.mtimeMs)}:${digest}` };
    },
  };
}

export const toByteSource = (source: MsdSource): ByteSource =>
  typeof source === 'string' ? fileSource(source) : source;

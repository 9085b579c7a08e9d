import { Readable, pipeline } from 'node:stream';
import { extract } from 'tar-stream';
import type { LineSplitter, RawLine } from './line-splitter';

/** Member lines are handed on in batches of about this many, so one-line member files do not cost a step each. */
const BATCH_LINES = 1_000;

/** A POSIX (ustar) or GNU tar header block: its magic sits at byte 257. */
export function isTarHeader(head: Buffer): boolean {
  return head.length >= 512 && head.toString('latin1', 257, 262) === 'ustar';
}

async function* prepend(first: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield first;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

/**
 * The lines of every regular member file of a tar stream, in archive order, streamed (one member in memory at a time
 * at most one chunk of it). Line numbers run on across members so that each line of the archive has its own, and
 * each line names its member.
 */
export async function* tarMemberLines(
  first: Buffer,
  rest: AsyncIterator<Buffer>,
  splitterFrom: (lineNo: number) => LineSplitter,
): AsyncGenerator<RawLine[]> {
  const members = extract();
  const input = Readable.from(prepend(first, rest));
  pipeline(input, members, () => undefined);
  let lineNo = 0;
  let batch: RawLine[] = [];
  try {
    for await (const member of members) {
      if (member.header.type !== 'file') {
        member.resume();
        continue;
      }
      const splitter = splitterFrom(lineNo);
      const name = member.header.name;
      const named = (before: number) => {
        for (let i = before; i < batch.length; i++) (batch[i] as RawLine).member = name;
      };
      for await (const chunk of member as AsyncIterable<Buffer>) {
        const before = batch.length;
        splitter.push(chunk, batch);
        named(before);
        if (batch.length >= BATCH_LINES) {
          yield batch;
          batch = [];
        }
      }
      const before = batch.length;
      splitter.end(batch);
      named(before);
      lineNo = splitter.lineNo;
      if (batch.length >= BATCH_LINES) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  } finally {
    input.destroy();
    members.destroy();
  }
}

import { isSongId, parsePositiveInt, positiveIntProblem, quote } from './fields.validator';
import { type LineCodec, record, reject } from './line-codec.types';
import type { Triplet } from './msd.types';

const WHITESPACE_RUN = /[\t ]+/;

function fields(line: string): string[] {
  // Fast path for the official files (exactly two single tabs, no spaces); the regex split covers
  // space-separated copies and stray runs of whitespace.
  const t1 = line.indexOf('\t');
  const t2 = t1 > 0 ? line.indexOf('\t', t1 + 1) : -1;
  if (t2 > t1 + 1 && t2 < line.length - 1 && line.indexOf('\t', t2 + 1) < 0 && line.indexOf(' ') < 0) {
    return [line.slice(0, t1), line.slice(t1 + 1, t2), line.slice(t2 + 1)];
  }
  return line.trim().split(WHITESPACE_RUN);
}

/** `user \t song \t count`; any run of tabs or spaces separates fields. */
export const tripletsCodec: LineCodec<'triplets'> = {
  format: 'triplets',
  fileNameHint: /triplet|plays|10000\.txt/i,
  parse(line) {
    const f = fields(line);
    if (f.length !== 3) return reject(`expected 3 fields, got ${f.length}`);
    const [userId, songId, countText] = f as [string, string, string];
    if (!isSongId(songId)) return reject(`bad song id ${quote(songId)}`);
    const count = parsePositiveInt(countText);
    if (count === undefined) return reject(positiveIntProblem('count', countText));
    return record({ userId, songId, count });
  },
};

/** One line including its newline. Values are written as given: callers own their validity (round-trips are tested). */
export function formatTripletLine(t: Triplet): string {
  return `${t.userId}\t${t.songId}\t${t.count}\n`;
}

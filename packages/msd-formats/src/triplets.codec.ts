import { isSongId, parsePositiveInt, positiveIntProblem, quote } from './fields.validator';
import { type LineCodec, record, reject } from './line-codec.types';
import type { Triplet } from './msd.types';

const WHITESPACE_RUN = /[\t ]+/;

function fields(line: string): string[] {
  // Fast path for the official tab-separated files; the regex split covers space-separated copies and stray runs.
  const byTab = line.split('\t');
  if (byTab.length === 3 && byTab[0] !== '' && byTab[1] !== '' && byTab[2] !== '' && !line.includes(' '))
    return byTab;
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

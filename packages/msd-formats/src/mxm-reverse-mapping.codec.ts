import { quote } from './fields.validator';
import { type LineCodec, SEP, record, reject, splitSep } from './line-codec.types';
import type { StemWord } from './msd.types';

/** `stem<SEP>word`: the unstemmed word shown for each vocabulary stem. */
export const mxmReverseMappingCodec: LineCodec<'mxm-reverse-mapping'> = {
  format: 'mxm-reverse-mapping',
  fileNameHint: /reverse_mapping|reverse-mapping/i,
  parse(line) {
    const f = splitSep(line, 2);
    if (typeof f === 'string') return reject(f);
    const [stem, word] = f as [string, string];
    if (stem === '') return reject('empty stem');
    if (word === '') return reject(`empty word for stem ${quote(stem)}`);
    return record({ stem, word });
  },
};

/** One line including its newline. */
export function formatStemWordLine(m: StemWord): string {
  if (m.stem === '' || m.word === '' || /[\r\n]/.test(m.stem + m.word) || (m.stem + m.word).includes(SEP)) {
    throw new Error(
      `stem/word pair is empty or holds ${SEP} or a line break: ${quote(m.stem)} ${quote(m.word)}`,
    );
  }
  return `${m.stem}${SEP}${m.word}\n`;
}

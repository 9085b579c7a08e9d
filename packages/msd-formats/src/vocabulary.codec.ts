import { csvFields } from './csv-line';
import { isArtistId, quote } from './fields.validator';
import { type LineCodec, SKIP, record, reject } from './line-codec.types';

/**
 * One-column vocabulary dumps of the subset's `artist_term.db`: `artists.csv` (`artist_id`), `terms.csv` (`term`)
 * and `mbtags.csv` (`mbtag`). A bare list of words fits almost any text, so these formats are only recognised by
 * their header line (`requiredHeader`).
 */
function vocabularyCodec<F extends 'artist-ids' | 'term-vocabulary' | 'mbtag-vocabulary'>(
  format: F,
  header: string,
  fileNameHint: RegExp,
  check: (value: string) => string | undefined,
): LineCodec<F> {
  return {
    format,
    fileNameHint,
    requiredHeader: header,
    parse(line, ctx) {
      if (ctx.lineNo === 1 && line.trim().toLowerCase() === header) return SKIP;
      const f = csvFields(line);
      if (typeof f === 'string') return reject(f);
      if (f.length !== 1) return reject(`expected one CSV field (${header}), got ${f.length}`);
      const value = f[0] as string;
      const problem = value.trim() === '' ? `empty ${header}` : check(value);
      return problem === undefined ? record({ value }) : reject(problem);
    },
  } as LineCodec<F>;
}

const anyText = (): undefined => undefined;

export const artistIdsCodec = vocabularyCodec('artist-ids', 'artist_id', /artists/i, (v) =>
  isArtistId(v) ? undefined : `bad artist id ${quote(v)}`,
);
export const termVocabularyCodec = vocabularyCodec('term-vocabulary', 'term', /terms/i, anyText);
/** Real MusicBrainz tags include odd ones such as `1 13 165900 150 …`; the artist dump uses them too, so they load. */
export const mbtagVocabularyCodec = vocabularyCodec('mbtag-vocabulary', 'mbtag', /mbtags/i, anyText);

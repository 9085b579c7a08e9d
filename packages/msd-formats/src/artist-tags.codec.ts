import { csvFields } from './csv-line';
import { isArtistId, quote } from './fields.validator';
import { type LineCodec, SKIP, record, reject } from './line-codec.types';

/**
 * `artist_id,term` / `artist_id,mbtag`: the `artist_term` and `artist_mbtag` tables of the MSD subset's
 * `artist_term.db`, dumped to CSV with a header line. Without the header the two look alike and the file name
 * decides.
 */
function artistTagsCodec<F extends 'artist-terms' | 'artist-mbtags'>(
  format: F,
  column: string,
  fileNameHint: RegExp,
): LineCodec<F> {
  const header = `artist_id,${column}`;
  return {
    format,
    fileNameHint,
    parse(line, ctx) {
      if (ctx.lineNo === 1 && line.trim().toLowerCase() === header) return SKIP;
      const f = csvFields(line);
      if (typeof f === 'string') return reject(f);
      if (f.length !== 2) return reject(`expected 2 CSV fields (artist_id,${column}), got ${f.length}`);
      const [artistId, tag] = f as [string, string];
      if (!isArtistId(artistId)) return reject(`bad artist id ${quote(artistId)}`);
      if (tag.trim() === '') return reject(`empty ${column}`);
      return record({ artistId, tag });
    },
  } as LineCodec<F>;
}

export const artistTermsCodec = artistTagsCodec('artist-terms', 'term', /term/i);
export const artistMbtagsCodec = artistTagsCodec('artist-mbtags', 'mbtag', /mbtag|musicbrainz/i);

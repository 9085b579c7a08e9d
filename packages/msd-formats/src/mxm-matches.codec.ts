import { isTrackId, parsePositiveInt, positiveIntProblem, quote } from './fields.validator';
import { type LineCodec, SKIP, record, reject, splitSep } from './line-codec.types';

/** `mxm_779k_matches.txt`: `#` comments, then `tid<SEP>artist<SEP>title<SEP>mxm_tid<SEP>mxm artist<SEP>mxm title`. */
export const mxmMatchesCodec: LineCodec<'mxm-matches'> = {
  format: 'mxm-matches',
  fileNameHint: /matches/i,
  parse(line) {
    if (line.startsWith('#')) return SKIP;
    const f = splitSep(line, 6);
    if (typeof f === 'string') return reject(f);
    const [trackId, artistName, title, mxmText, mxmArtistName, mxmTitle] = f as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    if (!isTrackId(trackId)) return reject(`bad track id ${quote(trackId)}`);
    const mxmTrackId = parsePositiveInt(mxmText);
    if (mxmTrackId === undefined) return reject(positiveIntProblem('mxm track id', mxmText));
    return record({ trackId, artistName, title, mxmTrackId, mxmArtistName, mxmTitle });
  },
};

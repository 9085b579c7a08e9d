import { isArtistId, quote } from './fields.validator';
import { type LineCodec, record, reject, splitSep } from './line-codec.types';

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** The coordinate, null for an empty field, or why it is unusable. */
function coordinate(text: string, what: string, limit: number): number | null | string {
  if (text === '') return null;
  if (!DECIMAL.test(text)) return `${what} is not a decimal number: ${quote(text)}`;
  const v = Number(text);
  return Math.abs(v) <= limit ? v : `${what} ${v} is outside -${limit}..${limit}`;
}

/** `artist_id<SEP>latitude<SEP>longitude<SEP>artist name<SEP>place`. */
export const artistLocationCodec: LineCodec<'artist-location'> = {
  format: 'artist-location',
  fileNameHint: /location/i,
  parse(line) {
    const f = splitSep(line, 5);
    if (typeof f === 'string') return reject(f);
    const [artistId, latText, lonText, name, location] = f as [string, string, string, string, string];
    if (!isArtistId(artistId)) return reject(`bad artist id ${quote(artistId)}`);
    const latitude = coordinate(latText, 'latitude', 90);
    if (typeof latitude === 'string') return reject(latitude);
    const longitude = coordinate(lonText, 'longitude', 180);
    if (typeof longitude === 'string') return reject(longitude);
    if ((latitude === null) !== (longitude === null))
      return reject('latitude and longitude must both be given or both be empty');
    return record({ artistId, latitude, longitude, name, location });
  },
};

import { isSongId, isTrackId, quote } from './fields.validator';
import { type LineCodec, record, reject } from './line-codec.types';

const PREFIX = 'ERROR: <';
const SIDES = '  !=  ';
const DASH = '  -  ';

function artistAndTitle(side: string): [string, string] | undefined {
  const at = side.indexOf(DASH);
  return at < 0 ? undefined : [side.slice(0, at), side.slice(at + DASH.length)];
}

/** `ERROR: <SOxxx TRxxx> song artist  -  song title  !=  track artist  -  track title`. */
export const sidMismatchesCodec: LineCodec<'sid-mismatches'> = {
  format: 'sid-mismatches',
  fileNameHint: /mismatch/i,
  parse(line) {
    if (!line.startsWith(PREFIX)) return reject(`expected a line starting with '${PREFIX}'`);
    const close = line.indexOf('>', PREFIX.length);
    if (close < 0) return reject("missing '>' after the song and track ids");
    const ids = line.slice(PREFIX.length, close).split(' ');
    if (ids.length !== 2)
      return reject(`expected '<song_id track_id>', got ${quote(line.slice(0, close + 1))}`);
    const [songId, trackId] = ids as [string, string];
    if (!isSongId(songId)) return reject(`bad song id ${quote(songId)}`);
    if (!isTrackId(trackId)) return reject(`bad track id ${quote(trackId)}`);
    const rest = line.slice(close + 1).replace(/^ /, '');
    const sides = rest.split(SIDES);
    if (sides.length !== 2)
      return reject(`expected one '${SIDES.trim()}' between the song and the track, got ${sides.length - 1}`);
    const song = artistAndTitle(sides[0] as string);
    const track = artistAndTitle(sides[1] as string);
    if (!song || !track) return reject(`expected 'artist${DASH}title' on both sides of '${SIDES.trim()}'`);
    return record({
      songId,
      trackId,
      songArtist: song[0],
      songTitle: song[1],
      trackArtist: track[0],
      trackTitle: track[1],
    });
  },
};

import { isSongId, isTrackId, quote } from './fields.validator';
import { type LineCodec, SEP, SKIP, record, reject, splitSep } from './line-codec.types';
import type { UniqueTrack } from './msd.types';

/** Header that one public copy of `subset_unique_tracks.txt` starts with; only accepted as the first line. */
const HEADER = 'id<sep>id2<sep>artistname<sep>songtitle';

/** `track<SEP>song<SEP>artist<SEP>title`. */
export const uniqueTracksCodec: LineCodec<'unique-tracks'> = {
  format: 'unique-tracks',
  fileNameHint: /unique_tracks|unique-tracks|songlist/i,
  parse(line, ctx) {
    if (ctx.lineNo === 1 && line.toLowerCase() === HEADER) return SKIP;
    const f = splitSep(line, 4);
    if (typeof f === 'string') return reject(f);
    const [trackId, songId, artistName, title] = f as [string, string, string, string];
    if (!isTrackId(trackId)) return reject(`bad track id ${quote(trackId)}`);
    if (!isSongId(songId)) return reject(`bad song id ${quote(songId)}`);
    return record({ trackId, songId, artistName, title });
  },
};

/** One line including its newline; throws on text that would break the line format. */
export function formatUniqueTrackLine(t: UniqueTrack): string {
  for (const text of [t.artistName, t.title]) {
    if (text.includes(SEP) || /[\r\n]/.test(text)) {
      throw new Error(`unique-tracks field of ${t.trackId} contains ${SEP} or a line break: ${quote(text)}`);
    }
  }
  return `${t.trackId}${SEP}${t.songId}${SEP}${t.artistName}${SEP}${t.title}\n`;
}

import { isTrackId, quote } from './fields.validator';
import { type LineCodec, record, reject } from './line-codec.types';
import type { LastfmTrack } from './msd.types';

type Pair = [unknown, unknown];

const isPair = (p: unknown): p is Pair => Array.isArray(p) && p.length === 2;

/** A number, or a string holding one (Last.fm tag weights are strings such as "100"). */
function numeric(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

/**
 * A Last.fm dataset track: one JSON object per file, on one line (`artist, title, track_id, timestamp,
 * tags [[tag, weight]], similars [[track_id, score]]`). Inside a `.tar.gz` each member file is read in turn.
 */
export const lastfmTrackCodec: LineCodec<'lastfm-track'> = {
  format: 'lastfm-track',
  fileNameHint: /lastfm|\.json$/i,
  parse(line) {
    if (!line.startsWith('{')) return reject('expected a Last.fm track JSON object');
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(line) as Record<string, unknown>;
    } catch (err) {
      return reject(`invalid JSON: ${(err as Error).message}`);
    }
    const trackId = doc.track_id;
    if (typeof trackId !== 'string' || !isTrackId(trackId))
      return reject(`bad track_id ${quote(String(trackId))}`);
    if (!Array.isArray(doc.tags) || !Array.isArray(doc.similars))
      return reject('tags and similars must be arrays');
    const tags: LastfmTrack['tags'] = [];
    for (const [i, t] of doc.tags.entries()) {
      const weight = isPair(t) ? numeric(t[1]) : undefined;
      if (!isPair(t) || typeof t[0] !== 'string' || t[0].trim() === '' || weight === undefined)
        return reject(`tag ${i + 1} is not [tag, weight]: ${quote(JSON.stringify(t))}`);
      tags.push({ tag: t[0], weight });
    }
    const similars: LastfmTrack['similars'] = [];
    for (const [i, s] of doc.similars.entries()) {
      const score = isPair(s) ? numeric(s[1]) : undefined;
      if (!isPair(s) || typeof s[0] !== 'string' || !isTrackId(s[0]) || score === undefined)
        return reject(`similar ${i + 1} is not [track_id, score]: ${quote(JSON.stringify(s))}`);
      similars.push({ trackId: s[0], score });
    }
    const text = (v: unknown) => (typeof v === 'string' ? v : '');
    return record({ trackId, artist: text(doc.artist), title: text(doc.title), tags, similars });
  },
};

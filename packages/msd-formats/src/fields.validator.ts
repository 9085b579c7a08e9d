const SONG_ID = /^SO[A-Z0-9]{16}$/;
const TRACK_ID = /^TR[A-Z0-9]{16}$/;
const ARTIST_ID = /^AR[A-Z0-9]{16}$/;
const INT32_MAX = 2_147_483_647;

export const isSongId = (s: string): boolean => SONG_ID.test(s);
export const isTrackId = (s: string): boolean => TRACK_ID.test(s);
export const isArtistId = (s: string): boolean => ARTIST_ID.test(s);

/** `undefined` unless `s` is plain decimal digits for a value in 1..2^31-1 (counts end up in Int32Arrays). */
export function parsePositiveInt(s: string): number | undefined {
  const n = s.length;
  if (n === 0 || n > 10) return undefined;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    v = v * 10 + c;
  }
  return v >= 1 && v <= INT32_MAX ? v : undefined;
}

/** Why `s` is not a positive integer, for reject reasons that tell "too large" apart from "not a number". */
export function positiveIntProblem(what: string, s: string): string {
  return /^[0-9]+$/.test(s) && Number(s) > INT32_MAX
    ? `${what} is too large (max ${INT32_MAX}): ${quote(s)}`
    : `${what} is not a positive integer: ${quote(s)}`;
}

/** Shortens a field quoted in a reject reason so that a garbage line does not produce a garbage-sized message. */
export function quote(s: string): string {
  return s.length > 40 ? `'${s.slice(0, 40)}…'` : `'${s}'`;
}

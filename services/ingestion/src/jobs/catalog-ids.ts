import { createHash } from 'node:crypto';

/** Plays and lyrics can name songs that no metadata file describes yet; they hang off this artist until one does. */
export const UNKNOWN_ARTIST = { id: 'AR0000000000000000', name: 'Unknown artist' };

/**
 * unique_tracks names artists but carries no artist id, so a stable one is derived from the name
 * (`AR` + 16 hex digits of its SHA-1), the same on every load.
 */
export function artistIdFromName(name: string): string {
  return 'AR' + createHash('sha1').update(name.trim().toLowerCase()).digest('hex').slice(0, 16).toUpperCase();
}

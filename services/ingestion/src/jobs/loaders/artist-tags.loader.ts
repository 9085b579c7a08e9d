import type { Sql } from '@tunegraph/service-kit';
import type { FormatLoader } from './loader.types';

/**
 * Echo Nest terms / MusicBrainz tags per artist. The dumps name artists by id only, so a tag of an artist no loaded
 * metadata file (the CORGIS CSV) knows is handed back for quarantine; it applies on a forced rerun once the artist
 * is in. The dumps carry no weight: an existing weight (from the CORGIS CSV) is kept.
 */
function artistTagsLoader<F extends 'artist-terms' | 'artist-mbtags'>(
  format: F,
  source: string,
  column: string,
): FormatLoader<F> {
  return {
    format,
    stageColumns: 'artist_id text, tag text',
    columns: ['artist_id', 'tag'],
    toRows: (t) => [[t.artistId, t.tag]],
    async merge(sql: Sql, stage: string) {
      const tags = await sql.unsafe(
        `INSERT INTO artist_tags (artist_id, source, tag)
         SELECT DISTINCT s.artist_id, $1, s.tag FROM ${stage} s JOIN artists a ON a.id = s.artist_id
         ON CONFLICT (artist_id, source, tag) DO NOTHING`,
        [source],
      );
      const missing = await sql.unsafe<{ artist_id: string; tag: string }[]>(`
        SELECT artist_id, tag FROM ${stage} s WHERE NOT EXISTS (SELECT 1 FROM artists a WHERE a.id = s.artist_id)
        ORDER BY artist_id, tag`);
      return {
        changed: tags.count,
        unapplied: missing.map((m) => ({
          raw: `${m.artist_id},${m.tag}`,
          reason: `artist of this ${column} is in no loaded metadata file (load the CORGIS songs CSV, then rerun)`,
        })),
      };
    },
  } as FormatLoader<F>;
}

export const artistTermsLoader = artistTagsLoader('artist-terms', 'echonest', 'term');
export const artistMbtagsLoader = artistTagsLoader('artist-mbtags', 'musicbrainz', 'mbtag');

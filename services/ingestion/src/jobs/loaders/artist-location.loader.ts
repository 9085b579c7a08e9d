import type { Sql } from '@tunegraph/service-kit';
import type { FormatLoader } from './loader.types';

/** One place per artist; a later line for the same artist wins within a file. */
export const artistLocationLoader: FormatLoader<'artist-location'> = {
  format: 'artist-location',
  stageColumns:
    'line_no bigserial, artist_id text, latitude double precision, longitude double precision, name text, location text',
  columns: ['artist_id', 'latitude', 'longitude', 'name', 'location'],
  toRows: (l) => [[l.artistId, l.latitude, l.longitude, l.name, l.location]],
  async merge(sql: Sql, stage: string) {
    const rows = await sql.unsafe(`
      INSERT INTO artist_locations (artist_id, latitude, longitude, name, location)
      SELECT DISTINCT ON (artist_id) artist_id, latitude, longitude, name, location
      FROM ${stage} ORDER BY artist_id, line_no DESC
      ON CONFLICT (artist_id) DO UPDATE SET latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude,
        name = EXCLUDED.name, location = EXCLUDED.location
      WHERE (artist_locations.latitude, artist_locations.longitude, artist_locations.name, artist_locations.location)
        IS DISTINCT FROM (EXCLUDED.latitude, EXCLUDED.longitude, EXCLUDED.name, EXCLUDED.location)`);
    return { changed: rows.count };
  },
};

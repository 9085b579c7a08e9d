import type { Sql } from '@tunegraph/service-kit';
import { artistIdFromName } from '../catalog-ids';
import type { FormatLoader } from './loader.types';

/** Whether a song's current artist carries the Echo Nest's own id (from the CORGIS CSV). */
const ECHONEST_ARTIST = `coalesce((SELECT a.echonest_id FROM artists a WHERE a.id = songs.artist_id), false)`;

export const uniqueTracksLoader: FormatLoader<'unique-tracks'> = {
  format: 'unique-tracks',
  stageColumns: 'track_id text, song_id text, artist_id text, artist_name text, title text',
  columns: ['track_id', 'song_id', 'artist_id', 'artist_name', 'title'],
  toRows: (t) => [[t.trackId, t.songId, artistIdFromName(t.artistName), t.artistName, t.title]],
  async merge(sql: Sql, stage: string) {
    // A pair listed in sid_mismatches is a wrong join: the track stands alone as its own catalog entry instead.
    await sql.unsafe(`
      UPDATE ${stage} s SET song_id = s.track_id
      WHERE EXISTS (SELECT 1 FROM sid_mismatches m WHERE m.song_id = s.song_id AND m.track_id = s.track_id)`);
    const artists = await sql.unsafe(`
      INSERT INTO artists (id, name)
      SELECT DISTINCT ON (artist_id) artist_id, artist_name FROM ${stage} ORDER BY artist_id
      ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name WHERE artists.name IS DISTINCT FROM EXCLUDED.name`);
    // The file only names artists (their ids here are derived from the name); a song already under the Echo Nest's
    // own artist id (from the CORGIS CSV) keeps it, so the two files never undo each other.
    const songs = await sql.unsafe(`
      INSERT INTO songs (id, title, artist_id, search)
      SELECT DISTINCT ON (song_id) song_id, title, artist_id, to_tsvector('simple', title || ' ' || artist_name)
      FROM ${stage} ORDER BY song_id, track_id
      ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title,
        artist_id = CASE WHEN ${ECHONEST_ARTIST} THEN songs.artist_id ELSE EXCLUDED.artist_id END, search = EXCLUDED.search
      WHERE songs.title IS DISTINCT FROM EXCLUDED.title
        OR (songs.artist_id <> EXCLUDED.artist_id AND NOT ${ECHONEST_ARTIST})`);
    const tracks = await sql.unsafe(`
      INSERT INTO tracks (id, song_id)
      SELECT DISTINCT ON (track_id) track_id, song_id FROM ${stage} ORDER BY track_id
      ON CONFLICT (id) DO UPDATE SET song_id = EXCLUDED.song_id WHERE tracks.song_id <> EXCLUDED.song_id`);
    return { changed: artists.count + songs.count + tracks.count };
  },
};

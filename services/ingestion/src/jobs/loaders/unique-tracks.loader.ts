import type { Sql } from '@tunegraph/service-kit';
import { artistIdFromName } from '../catalog-ids';
import type { FormatLoader } from './loader.types';

export const uniqueTracksLoader: FormatLoader<'unique-tracks'> = {
  format: 'unique-tracks',
  stageColumns: 'track_id text, song_id text, artist_id text, artist_name text, title text',
  columns: ['track_id', 'song_id', 'artist_id', 'artist_name', 'title'],
  toRows: (t) => [[t.trackId, t.songId, artistIdFromName(t.artistName), t.artistName, t.title]],
  async merge(sql: Sql, stage: string) {
    const artists = await sql.unsafe(`
      INSERT INTO artists (id, name)
      SELECT DISTINCT ON (artist_id) artist_id, artist_name FROM ${stage} ORDER BY artist_id
      ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name WHERE artists.name IS DISTINCT FROM EXCLUDED.name`);
    const songs = await sql.unsafe(`
      INSERT INTO songs (id, title, artist_id, search)
      SELECT DISTINCT ON (song_id) song_id, title, artist_id, to_tsvector('simple', title || ' ' || artist_name)
      FROM ${stage} ORDER BY song_id, track_id
      ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, artist_id = EXCLUDED.artist_id, search = EXCLUDED.search
      WHERE songs.title IS DISTINCT FROM EXCLUDED.title OR songs.artist_id IS DISTINCT FROM EXCLUDED.artist_id`);
    const tracks = await sql.unsafe(`
      INSERT INTO tracks (id, song_id)
      SELECT DISTINCT ON (track_id) track_id, song_id FROM ${stage} ORDER BY track_id
      ON CONFLICT (id) DO UPDATE SET song_id = EXCLUDED.song_id WHERE tracks.song_id <> EXCLUDED.song_id`);
    return { changed: artists.count + songs.count + tracks.count };
  },
};

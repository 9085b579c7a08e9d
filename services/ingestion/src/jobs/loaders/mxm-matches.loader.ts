import type { Sql } from '@tunegraph/service-kit';
import { artistIdFromName } from '../catalog-ids';
import type { FormatLoader } from './loader.types';

/**
 * mxm_779k_matches: which musiXmatch track each MSD track was matched to, stored on the track. A track no loaded
 * file bridges to a song becomes a catalog entry of its own (titled from the MSD side), as lyric-only tracks do.
 */
export const mxmMatchesLoader: FormatLoader<'mxm-matches'> = {
  format: 'mxm-matches',
  stageColumns: 'track_id text, mxm_track_id int, artist_id text, artist_name text, title text',
  columns: ['track_id', 'mxm_track_id', 'artist_id', 'artist_name', 'title'],
  toRows: (m) => [[m.trackId, m.mxmTrackId, artistIdFromName(m.artistName), m.artistName, m.title]],
  async merge(sql: Sql, stage: string) {
    const unbridged = `FROM ${stage} s WHERE NOT EXISTS (SELECT 1 FROM tracks t WHERE t.id = s.track_id)`;
    await sql.unsafe(`
      INSERT INTO artists (id, name) SELECT DISTINCT ON (artist_id) artist_id, artist_name ${unbridged}
      ORDER BY artist_id ON CONFLICT (id) DO NOTHING`);
    const songs = await sql.unsafe(`
      INSERT INTO songs (id, title, artist_id, search)
      SELECT DISTINCT ON (track_id) track_id, title, artist_id, to_tsvector('simple', title || ' ' || artist_name)
      ${unbridged} ORDER BY track_id ON CONFLICT (id) DO NOTHING`);
    const tracks = await sql.unsafe(`
      INSERT INTO tracks (id, song_id, mxm_track_id)
      SELECT DISTINCT ON (track_id) track_id, track_id, mxm_track_id FROM ${stage} ORDER BY track_id
      ON CONFLICT (id) DO UPDATE SET mxm_track_id = EXCLUDED.mxm_track_id
      WHERE tracks.mxm_track_id IS DISTINCT FROM EXCLUDED.mxm_track_id`);
    return { changed: songs.count + tracks.count };
  },
};

import type { Sql } from '@tunegraph/service-kit';
import { artistIdFromName } from '../catalog-ids';
import type { FormatLoader } from './loader.types';
import { addStandaloneSongs } from './standalone-songs';

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
    const songs = await addStandaloneSongs(
      sql,
      `SELECT track_id, title, artist_id, artist_name FROM ${stage}`,
    );
    const tracks = await sql.unsafe(`
      INSERT INTO tracks (id, song_id, mxm_track_id)
      SELECT DISTINCT ON (track_id) track_id, track_id, mxm_track_id FROM ${stage} ORDER BY track_id
      ON CONFLICT (id) DO UPDATE SET mxm_track_id = EXCLUDED.mxm_track_id
      WHERE tracks.mxm_track_id IS DISTINCT FROM EXCLUDED.mxm_track_id`);
    return { changed: songs + tracks.count };
  },
};

import type { CopyValue, Sql } from '@tunegraph/service-kit';
import { artistIdFromName } from '../catalog-ids';
import type { FormatLoader } from './loader.types';
import { addStandaloneSongs } from './standalone-songs';

/**
 * Last.fm tracks: tags go to the song each track belongs to (through the song-track bridge), similar-track pairs to
 * `track_similars` (keyed by track, as Last.fm gives them). A track no loaded file bridges to a song still becomes a
 * catalog entry (a song whose id is the track id, titled from the JSON), as lyric-only tracks do.
 */
export const lastfmTrackLoader: FormatLoader<'lastfm-track'> = {
  format: 'lastfm-track',
  stageColumns: 'track_id text, kind text, name text, value real, artist_id text, artist_name text',
  columns: ['track_id', 'kind', 'name', 'value', 'artist_id', 'artist_name'],
  toRows(t) {
    const rows: CopyValue[][] = [[t.trackId, 'track', t.title, null, artistIdFromName(t.artist), t.artist]];
    for (const { tag, weight } of t.tags) rows.push([t.trackId, 'tag', tag, weight, null, null]);
    for (const { trackId, score } of t.similars)
      rows.push([t.trackId, 'similar', trackId, score, null, null]);
    return rows;
  },
  async merge(sql: Sql, stage: string) {
    const songs = await addStandaloneSongs(
      sql,
      `SELECT track_id, name AS title, artist_id, artist_name FROM ${stage} WHERE kind = 'track'`,
    );
    const tracks = await sql.unsafe(`
      INSERT INTO tracks (id, song_id) SELECT DISTINCT track_id, track_id FROM ${stage} WHERE kind = 'track'
      ON CONFLICT (id) DO NOTHING`);
    // Two tracks of one song may both carry a tag: the song keeps the higher weight.
    const tags = await sql.unsafe(`
      INSERT INTO song_tags (song_id, source, tag, weight)
      SELECT t.song_id, 'lastfm', s.name, max(s.value) FROM ${stage} s JOIN tracks t ON t.id = s.track_id
      WHERE s.kind = 'tag' GROUP BY t.song_id, s.name
      ON CONFLICT (song_id, source, tag) DO UPDATE SET weight = EXCLUDED.weight
      WHERE song_tags.weight <> EXCLUDED.weight`);
    const similars = await sql.unsafe(`
      INSERT INTO track_similars (track_id, similar_track_id, score)
      SELECT track_id, name, max(value) FROM ${stage} WHERE kind = 'similar' GROUP BY track_id, name
      ON CONFLICT (track_id, similar_track_id) DO UPDATE SET score = EXCLUDED.score
      WHERE track_similars.score <> EXCLUDED.score`);
    return { changed: songs + tracks.count + tags.count + similars.count };
  },
};

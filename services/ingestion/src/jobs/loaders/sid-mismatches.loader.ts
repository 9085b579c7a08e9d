import type { Sql } from '@tunegraph/service-kit';
import { artistIdFromName } from '../catalog-ids';
import type { FormatLoader } from './loader.types';

/**
 * The Taste Profile errata: each listed song-track pair is a wrong join. The pairs are stored (so that a later
 * unique_tracks load does not make them, see unique-tracks.loader), and a join already made is undone: the track
 * becomes a catalog entry of its own, titled from the track side of the errata line. Its lyrics and tags stay with it.
 */
export const sidMismatchesLoader: FormatLoader<'sid-mismatches'> = {
  format: 'sid-mismatches',
  stageColumns:
    'song_id text, track_id text, song_artist text, song_title text, track_artist text, track_title text, track_artist_id text',
  columns: [
    'song_id',
    'track_id',
    'song_artist',
    'song_title',
    'track_artist',
    'track_title',
    'track_artist_id',
  ],
  toRows: (m) => [
    [
      m.songId,
      m.trackId,
      m.songArtist,
      m.songTitle,
      m.trackArtist,
      m.trackTitle,
      artistIdFromName(m.trackArtist),
    ],
  ],
  async merge(sql: Sql, stage: string) {
    const pairs = await sql.unsafe(`
      INSERT INTO sid_mismatches (song_id, track_id, song_artist, song_title, track_artist, track_title)
      SELECT DISTINCT ON (song_id, track_id) song_id, track_id, song_artist, song_title, track_artist, track_title
      FROM ${stage} ORDER BY song_id, track_id
      ON CONFLICT (song_id, track_id) DO NOTHING`);
    const joined = `FROM ${stage} s JOIN tracks t ON t.id = s.track_id AND t.song_id = s.song_id`;
    await sql.unsafe(`
      INSERT INTO artists (id, name) SELECT DISTINCT ON (s.track_artist_id) s.track_artist_id, s.track_artist
      ${joined} ORDER BY s.track_artist_id ON CONFLICT (id) DO NOTHING`);
    const songs = await sql.unsafe(`
      INSERT INTO songs (id, title, artist_id, search)
      SELECT DISTINCT ON (s.track_id) s.track_id, s.track_title, s.track_artist_id,
        to_tsvector('simple', s.track_title || ' ' || s.track_artist)
      ${joined} ORDER BY s.track_id ON CONFLICT (id) DO NOTHING`);
    const unjoined = await sql.unsafe(`
      UPDATE tracks t SET song_id = t.id FROM ${stage} s WHERE s.track_id = t.id AND s.song_id = t.song_id`);
    return { changed: pairs.count + songs.count + unjoined.count };
  },
};

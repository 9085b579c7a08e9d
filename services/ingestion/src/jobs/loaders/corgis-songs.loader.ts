import type { Sql } from '@tunegraph/service-kit';
import type { FormatLoader } from './loader.types';

const MEASURES = ['release', 'year', 'duration', 'tempo', 'loudness', 'key', 'mode', 'hotttnesss'] as const;

/**
 * The CORGIS subset CSV carries the real Echo Nest artist id of each song, so it re-homes the song to that artist
 * (unique_tracks only has artist names), fills the song's year and audio measures, and gives the artist its top
 * Echo Nest term (with its frequency as weight) and top MusicBrainz tag. Titles already known are kept: a song is
 * retitled only while it is a placeholder named by its id (known from plays alone).
 */
export const corgisSongsLoader: FormatLoader<'corgis-songs'> = {
  format: 'corgis-songs',
  stageColumns: `song_id text, title text, release text, year int, duration real, tempo real, loudness real,
    key smallint, mode smallint, hotttnesss real, artist_id text, artist_name text, artist_hotttnesss real,
    artist_familiarity real, term text, term_freq real, mbtag text`,
  columns: [
    'song_id',
    'title',
    'release',
    'year',
    'duration',
    'tempo',
    'loudness',
    'key',
    'mode',
    'hotttnesss',
    'artist_id',
    'artist_name',
    'artist_hotttnesss',
    'artist_familiarity',
    'term',
    'term_freq',
    'mbtag',
  ],
  toRows: (s) => [
    [
      s.songId,
      s.title,
      s.release,
      s.year,
      s.duration,
      s.tempo,
      s.loudness,
      s.key,
      s.mode,
      s.songHotttnesss,
      s.artistId,
      s.artistName,
      s.artistHotttnesss,
      s.artistFamiliarity,
      s.term,
      s.termFreq,
      s.mbtag,
    ],
  ],
  async merge(sql: Sql, stage: string) {
    const artists = await sql.unsafe(`
      INSERT INTO artists (id, name, hotttnesss, familiarity, echonest_id)
      SELECT DISTINCT ON (artist_id) artist_id, artist_name, artist_hotttnesss, artist_familiarity, true
      FROM ${stage} ORDER BY artist_id, song_id
      ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, hotttnesss = EXCLUDED.hotttnesss,
        familiarity = EXCLUDED.familiarity, echonest_id = true
      WHERE (artists.name, artists.hotttnesss, artists.familiarity, artists.echonest_id)
        IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.hotttnesss, EXCLUDED.familiarity, true)`);
    const set = MEASURES.map((c) => `${c} = EXCLUDED.${c}`).join(', ');
    const old = MEASURES.map((c) => `songs.${c}`).join(', ');
    const fresh = MEASURES.map((c) => `EXCLUDED.${c}`).join(', ');
    const songs = await sql.unsafe(`
      INSERT INTO songs (id, title, artist_id, search, ${MEASURES.join(', ')})
      SELECT DISTINCT ON (song_id) song_id, title, artist_id, to_tsvector('simple', title || ' ' || artist_name),
        ${MEASURES.join(', ')}
      FROM ${stage} ORDER BY song_id
      ON CONFLICT (id) DO UPDATE SET ${set}, artist_id = EXCLUDED.artist_id,
        title = CASE WHEN songs.title = songs.id THEN EXCLUDED.title ELSE songs.title END,
        search = CASE WHEN songs.title = songs.id THEN EXCLUDED.search ELSE songs.search END
      WHERE (${old}, songs.artist_id) IS DISTINCT FROM (${fresh}, EXCLUDED.artist_id) OR songs.title = songs.id`);
    // A weight the CORGIS file gives wins over the weightless artist_term dump, whichever was loaded first.
    const tags = await sql.unsafe(`
      INSERT INTO artist_tags (artist_id, source, tag, weight)
      SELECT DISTINCT ON (artist_id, source, tag) artist_id, source, tag, weight FROM (
        SELECT artist_id, 'echonest' AS source, term AS tag, coalesce(term_freq, 1) AS weight FROM ${stage} WHERE term <> ''
        UNION ALL
        SELECT artist_id, 'musicbrainz', mbtag, 1 FROM ${stage} WHERE mbtag <> ''
      ) t ORDER BY artist_id, source, tag, weight DESC
      ON CONFLICT (artist_id, source, tag) DO UPDATE SET weight = EXCLUDED.weight
      WHERE artist_tags.weight <> EXCLUDED.weight`);
    return { changed: artists.count + songs.count + tags.count };
  },
};

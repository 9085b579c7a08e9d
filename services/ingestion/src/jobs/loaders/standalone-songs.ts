import type { Sql } from '@tunegraph/service-kit';

/**
 * Tracks no loaded file bridges to a song become catalog entries of their own: a song whose id is the track id, under
 * the named artist (id derived from the name). `tracks` is a query with columns track_id, title, artist_id and
 * artist_name. Returns the songs added; the caller adds the tracks rows.
 */
export async function addStandaloneSongs(sql: Sql, tracks: string): Promise<number> {
  const unbridged = `FROM (${tracks}) s WHERE NOT EXISTS (SELECT 1 FROM tracks t WHERE t.id = s.track_id)`;
  await sql.unsafe(`
    INSERT INTO artists (id, name) SELECT DISTINCT ON (artist_id) artist_id, artist_name ${unbridged}
    ORDER BY artist_id ON CONFLICT (id) DO NOTHING`);
  const songs = await sql.unsafe(`
    INSERT INTO songs (id, title, artist_id, search)
    SELECT DISTINCT ON (track_id) track_id, title, artist_id, to_tsvector('simple', title || ' ' || artist_name)
    ${unbridged} ORDER BY track_id ON CONFLICT (id) DO NOTHING`);
  return songs.count;
}

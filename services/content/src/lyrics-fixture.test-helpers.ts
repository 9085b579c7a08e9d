import type { Sql } from '@tunegraph/service-kit';

/** Stems of a tiny vocabulary; "danc" has no readable word, so it is shown as the stem. */
export const STEMS: { idx: number; stem: string; word: string | null }[] = [
  { idx: 0, stem: 'love', word: 'love' },
  { idx: 1, stem: 'heart', word: 'heart' },
  { idx: 2, stem: 'babi', word: 'baby' },
  { idx: 3, stem: 'night', word: 'night' },
  { idx: 4, stem: 'gun', word: 'gun' },
  { idx: 5, stem: 'street', word: 'street' },
  { idx: 6, stem: 'money', word: 'money' },
  { idx: 7, stem: 'danc', word: null },
  { idx: 8, stem: 'the', word: 'the' },
  { idx: 9, stem: 'unus', word: 'unused' },
];

export const SONGS = {
  ballad: 'SOBALLAD000000000A',
  lullaby: 'SOLULLABY00000000A',
  crime: 'SOCRIME0000000000A',
  silent: 'SOSILENT000000000A',
};

/**
 * The ballad has two tracks whose lyrics add up; the lullaby shares love/heart with it; the crime song shares
 * only "the" (in every song, so it weighs least); the silent song has no lyrics; one lyric track maps to no song.
 */
const LYRICS: [track: string, stem: number, count: number][] = [
  ['TRBALLAD00000000A1', 0, 6],
  ['TRBALLAD00000000A1', 1, 2],
  ['TRBALLAD00000000A1', 8, 5],
  ['TRBALLAD00000000A2', 2, 4],
  ['TRBALLAD00000000A2', 0, 2],
  ['TRLULLABY0000000A1', 0, 3],
  ['TRLULLABY0000000A1', 1, 3],
  ['TRLULLABY0000000A1', 3, 2],
  ['TRLULLABY0000000A1', 8, 4],
  ['TRCRIME000000000A1', 4, 3],
  ['TRCRIME000000000A1', 5, 2],
  ['TRCRIME000000000A1', 6, 5],
  ['TRCRIME000000000A1', 7, 1],
  ['TRCRIME000000000A1', 8, 6],
  ['TRNOSONG00000000A1', 4, 9],
];

const TRACKS: [track: string, song: string][] = [
  ['TRBALLAD00000000A1', SONGS.ballad],
  ['TRBALLAD00000000A2', SONGS.ballad],
  ['TRLULLABY0000000A1', SONGS.lullaby],
  ['TRCRIME000000000A1', SONGS.crime],
  ['TRSILENT00000000A1', SONGS.silent],
];

export async function seedCatalogAndStems(sql: Sql): Promise<void> {
  await sql`INSERT INTO artists (id, name) VALUES ('ARLYRICS000000000', 'Lyricist')`;
  const songs = Object.entries(SONGS).map(([title, id]) => ({ id, title, artist_id: 'ARLYRICS000000000' }));
  await sql`INSERT INTO songs ${sql(songs, 'id', 'title', 'artist_id')}`;
  await sql`INSERT INTO tracks ${sql(
    TRACKS.map(([id, song_id]) => ({ id, song_id })),
    'id',
    'song_id',
  )}`;
  await sql`INSERT INTO stems ${sql(STEMS, 'idx', 'stem', 'word')}`;
}

export async function seedLyrics(sql: Sql): Promise<void> {
  const rows = LYRICS.map(([track_id, stem_idx, count]) => ({ track_id, stem_idx, count }));
  await sql`INSERT INTO lyrics ${sql(rows, 'track_id', 'stem_idx', 'count')}`;
}

export { recordingBus } from '@tunegraph/service-kit/testing';

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { readLineBatches } from '@tunegraph/msd-formats';
import { msdDataDir } from '@tunegraph/msd-formats/testing';
import { startTestDatabase, type TestDatabase } from '@tunegraph/service-kit/testing';
import { CatalogRepository } from '../repositories/catalog.repository';
import { ingestFiles, type IngestSummary } from './ingest.job';

const logger = pino({ level: 'silent' });
const TABLES = [
  'artists',
  'songs',
  'tracks',
  'users',
  'plays',
  'stems',
  'lyrics',
  'song_tags',
  'artist_tags',
  'artist_locations',
  'sid_mismatches',
  'track_similars',
  'vocabularies',
  'quarantine',
] as const;

async function tableCounts(db: TestDatabase): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = Number((await db.sql.unsafe(`SELECT count(*) AS n FROM ${t}`))[0].n);
  return out;
}

/** Everything a rerun could change, as digests. */
const state = (db: TestDatabase) => db.sql`SELECT
  (SELECT md5(string_agg(concat_ws('|', id, title, artist_id, year, release, tempo), ',' ORDER BY id)) FROM songs) AS songs,
  (SELECT md5(string_agg(concat_ws('|', id, name, hotttnesss), ',' ORDER BY id)) FROM artists) AS artists,
  (SELECT md5(string_agg(id || song_id || coalesce(mxm_track_id, 0), ',' ORDER BY id)) FROM tracks) AS tracks,
  (SELECT md5(string_agg(concat_ws('|', song_id, source, tag, weight), ',' ORDER BY song_id, source, tag)) FROM song_tags) AS song_tags,
  (SELECT md5(string_agg(concat_ws('|', artist_id, source, tag, weight), ',' ORDER BY artist_id, source, tag)) FROM artist_tags) AS artist_tags,
  (SELECT md5(string_agg(track_id || similar_track_id || score, ',' ORDER BY track_id, similar_track_id)) FROM track_similars) AS similars,
  (SELECT md5(string_agg(user_id || song_id || count, ',' ORDER BY user_id, song_id)) FROM plays) AS plays`;

/** Song-track pairs the errata list that are joined anyway. */
const wrongJoins = async (db: TestDatabase) =>
  Number(
    (
      await db.sql`SELECT count(*) AS n FROM tracks t JOIN sid_mismatches m ON m.track_id = t.id AND m.song_id = t.song_id`
    )[0]!.n,
  );

/** Every real MSD-family sample, the whole folder in one load, on a real database. */
describe('ingestFiles on every real MSD sample file', () => {
  let db: TestDatabase;
  let first: IngestSummary;

  beforeAll(async () => {
    db = await startTestDatabase();
    first = await ingestFiles({ sql: db.sql, logger }, [msdDataDir()]);
  }, 1_200_000);

  afterAll(async () => {
    await db?.stop();
  });

  it('detects, loads and quarantines each file as measured', () => {
    const got = Object.fromEntries(
      first.files.map((f) => [
        path.relative(msdDataDir(), f.source),
        [f.format, f.status, f.records, f.rejected, f.encoding],
      ]),
    );
    expect(got).toEqual(EXPECTED_FILES);
  });

  it('fills every table with the measured counts', async () => {
    const c = await tableCounts(db);
    expect(c).toEqual(EXPECTED_COUNTS);
  });

  it('fills year, measures and tags from the CORGIS CSV, the artist dumps and Last.fm', async () => {
    const [boxTops] =
      await db.sql`SELECT year, release, key, mode, artist_id FROM songs WHERE id = 'SOCIWDW12A8C13D406'`;
    expect(boxTops).toEqual({
      year: 1969,
      release: 'Dimensions',
      key: 6,
      mode: 0,
      artist_id: 'ARMJAGH1187FB546F3',
    });
    const [casual] = await db.sql`SELECT year FROM songs WHERE id = 'SOMZWCG12A8C13C480'`;
    expect(casual!.year).toBeNull(); // 0 in the file: unknown
    const tags =
      await db.sql`SELECT source, tag, weight FROM artist_tags WHERE artist_id = 'ARMJAGH1187FB546F3' AND tag IN ('blue-eyed soul', 'classic pop and rock') ORDER BY source`;
    expect(tags).toEqual([
      { source: 'echonest', tag: 'blue-eyed soul', weight: 1 },
      { source: 'musicbrainz', tag: 'classic pop and rock', weight: 1 },
    ]);
    const [bayArea] =
      await db.sql`SELECT weight FROM song_tags WHERE song_id = 'SOMZWCG12A8C13C480' AND source = 'lastfm' AND tag = 'Bay Area'`;
    expect(bayArea!.weight).toBe(100);
    const [similar] =
      await db.sql`SELECT count(*)::int AS n FROM track_similars WHERE track_id = 'TRAAAAW128F429D538'`;
    expect(similar!.n).toBeGreaterThan(0);
  });

  it('makes no join the sid_mismatches errata lists: such a track stands alone', async () => {
    expect(await wrongJoins(db)).toBe(0);
    const [t] = await db.sql`SELECT song_id FROM tracks WHERE id = 'TRAAAPK128E0786D96'`;
    expect(t!.song_id).toBe('TRAAAPK128E0786D96');
    const repo = new CatalogRepository(db.sql);
    const [song] = await repo.songsByIds(['TRAAAPK128E0786D96']);
    expect(song).toMatchObject({
      id: 'TRAAAPK128E0786D96',
      title: 'Drop of Rain',
      artistName: 'Tweeterfriendly Music',
    });
  });

  it('song(id:) finds a song by its id or by any of its track ids', async () => {
    const repo = new CatalogRepository(db.sql);
    const [byTrack] = await repo.songsByIds(['TRAAAAW128F429D538']);
    const [bySong] = await repo.songsByIds(['SOMZWCG12A8C13C480']);
    expect(byTrack).toMatchObject({
      id: 'SOMZWCG12A8C13C480',
      title: "I Didn't Mean To",
      requested: ['SOMZWCG12A8C13C480', 'TRAAAAW128F429D538'],
    });
    expect(bySong!.trackIds).toContain('TRAAAAW128F429D538');
    expect(await repo.resolveSongId('TRAAAAW128F429D538')).toBe('SOMZWCG12A8C13C480');
  });

  it('changes nothing when the folder is loaded again, skipped or forced', async () => {
    const before = await tableCounts(db);
    const stateBefore = await state(db);
    const again = await ingestFiles({ sql: db.sql, logger }, [msdDataDir()]);
    expect(again.files.filter((f) => f.status !== 'unsupported').map((f) => f.status)).toEqual(
      Array(first.files.filter((f) => f.status !== 'unsupported').length).fill('unchanged'),
    );
    const forced = await ingestFiles({ sql: db.sql, logger }, [msdDataDir()], { force: true });
    // Two unique_tracks files disagree on three songs' titles: a forced reload re-applies each in turn (3 + 3 rows)
    // and ends where it was. Nothing else changes, the CORGIS CSV and unique_tracks included.
    const changedFiles = forced.files
      .filter((f) => f.changed > 0)
      .map((f) => [path.basename(f.source), f.changed]);
    expect(changedFiles).toEqual([
      ['songlist20k.unique_tracks_format.latin1.txt.gz', 3],
      ['subset_unique_tracks.txt', 3],
    ]);
    expect(await tableCounts(db)).toEqual(before);
    expect(await state(db)).toEqual(stateBefore);
  }, 1_200_000);
});

describe('catalog identity whatever the load order', () => {
  let db: TestDatabase;
  let dir: string;
  const load = (...files: string[]) => ingestFiles({ sql: db.sql, logger }, files);

  beforeAll(async () => {
    db = await startTestDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lastfm-'));
    // The first member of the real Last.fm archive, as the single-file JSON the official dataset also ships.
    for await (const [line] of readLineBatches(path.join(msdDataDir(), 'tags/lastfm_subset.tar.gz'))) {
      fs.writeFileSync(path.join(dir, 'TRAAAAW128F429D538.json'), line!.text);
      break;
    }
  }, 600_000);

  afterAll(async () => {
    await db?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a track known only from Last.fm is a catalog entry, queryable by its track id, with its tags', async () => {
    const summary = await load(dir);
    expect(summary.files.map((f) => [f.format, f.status, f.records])).toEqual([
      ['lastfm-track', 'loaded', 1],
    ]);
    const [song] = await new CatalogRepository(db.sql).songsByIds(['TRAAAAW128F429D538']);
    expect(song).toMatchObject({
      id: 'TRAAAAW128F429D538',
      title: "I Didn't Mean To",
      artistName: 'Casual',
      trackIds: ['TRAAAAW128F429D538'],
    });
    const [tags] =
      await db.sql`SELECT count(*)::int AS n FROM song_tags WHERE song_id = 'TRAAAAW128F429D538'`;
    expect(tags!.n).toBe(LASTFM_TRAAAAW_TAGS);
  });

  it('sid_mismatches loaded after unique_tracks undoes the wrong joins, and a forced reload does not redo them', async () => {
    const data = msdDataDir();
    const tracks = ['metadata/subset_unique_tracks.txt', 'metadata/unique_tracks.head5000.txt'].map((f) =>
      path.join(data, f),
    );
    await load(...tracks);
    expect(await wrongJoins(db)).toBe(0); // nothing listed yet
    const listed = await load(path.join(data, 'metadata/sid_mismatches.txt.gz'));
    expect(listed.files[0]).toMatchObject({ format: 'sid-mismatches', records: 19_094, rejected: 0 });
    expect(await wrongJoins(db)).toBe(0);
    const alone =
      await db.sql`SELECT count(*)::int AS n FROM tracks t JOIN sid_mismatches m ON m.track_id = t.id WHERE t.song_id = t.id`;
    expect(alone[0]!.n).toBe(234 + 74); // the listed pairs these two files hold (measured)
    const forced = await ingestFiles({ sql: db.sql, logger }, tracks, { force: true });
    expect(forced.changed).toBe(0);
    expect(await wrongJoins(db)).toBe(0);
    const [t] = await db.sql`SELECT song_id FROM tracks WHERE id = 'TRMMGKQ128F9325E10'`;
    expect(t!.song_id).toBe('TRMMGKQ128F9325E10');
  }, 600_000);
});

const LASTFM_TRAAAAW_TAGS = 10;
/** [format, status, records, quarantined, encoding], measured. */
const EXPECTED_FILES = {
  'metadata/sid_mismatches.txt.gz': ['sid-mismatches', 'loaded', 19_094, 0, 'utf-8'],
  'metadata/songlist20k.unique_tracks_format.latin1.txt.gz': ['unique-tracks', 'loaded', 20_001, 0, 'latin1'],
  'metadata/subset_unique_tracks.txt': ['unique-tracks', 'loaded', 10_000, 0, 'utf-8'],
  'metadata/unique_tracks.head5000.txt': ['unique-tracks', 'loaded', 5_000, 0, 'utf-8'],
  // One row with shifted columns (line 6350).
  'metadata/corgis_music_subset10k.csv.gz': ['corgis-songs', 'loaded', 9_999, 1, 'utf-8'],
  // 60 rows name artists the CORGIS file does not have.
  'metadata/subset_artist_term.csv.gz': ['artist-terms', 'loaded', 97_493, 60, 'utf-8'],
  'metadata/subset_artist_mbtag.csv': ['artist-mbtags', 'loaded', 3_809, 0, 'utf-8'],
  'metadata/subset_artists.csv': ['artist-ids', 'loaded', 3_888, 0, 'utf-8'],
  'metadata/subset_terms.csv': ['term-vocabulary', 'loaded', 3_502, 0, 'utf-8'],
  'metadata/subset_mbtags.csv': ['mbtag-vocabulary', 'loaded', 726, 0, 'utf-8'],
  'metadata/artist_location.txt.gz': ['artist-location', 'loaded', 13_850, 0, 'utf-8'],
  'plays/kaggle_visible_evaluation_triplets.head44.txt': ['triplets', 'loaded', 44, 0, 'utf-8'],
  'plays/subset_songs.top10000users_triplets.txt.gz': ['triplets', 'loaded', 39_017, 0, 'utf-8'],
  'plays/train_triplets.head5000.txt': ['triplets', 'loaded', 5_000, 0, 'utf-8'],
  'plays/turi_10000.head42739.txt.gz': ['triplets', 'loaded', 42_739, 0, 'utf-8'],
  'plays/year1_test_triplets_visible.first526users.txt': ['triplets', 'loaded', 7_093, 0, 'utf-8'],
  // The cut-off last record of each musiXmatch head.
  'lyrics/mxm_dataset_test.head.txt.gz': ['mxm-bow', 'loaded', 8_259, 1, 'utf-8'],
  'lyrics/mxm_dataset_train.head.txt': ['mxm-bow', 'loaded', 114, 1, 'utf-8'],
  'lyrics/mxm_779k_matches.head.txt': ['mxm-matches', 'loaded', 30, 0, 'utf-8'],
  'tags/lastfm_subset.tar.gz': ['lastfm-track', 'loaded', 9_330, 0, 'utf-8'],
  'lyrics/mxm_reverse_mapping.txt': ['mxm-reverse-mapping', 'loaded', 5_000, 0, 'utf-8'],
  'SOURCES.md': ['unknown', 'unsupported', 0, 0, undefined],
};

/**
 * Measured. sid_mismatches holds 18,972 distinct pairs; track_similars the 612,051 Last.fm pairs; quarantine the
 * 63 lines above; songs include tracks that stand alone (errata, Last.fm and lyrics without a bridge).
 */
const EXPECTED_COUNTS = {
  artists: 15_054,
  songs: 51_247,
  tracks: 42_982,
  users: 12_150,
  plays: 90_847,
  stems: 5_000,
  lyrics: 678_403,
  song_tags: 99_296,
  artist_tags: 101_251,
  artist_locations: 13_850,
  sid_mismatches: 18_972,
  track_similars: 612_051,
  vocabularies: 8_116,
  quarantine: 63,
};

import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listMsdFiles, openMsdFile, probeMsdFile } from './index';
import { msdDataDir } from './testing';
import type { AnyMsdFile, MsdEncoding, MsdFileStats, MsdFormat } from './msd.types';

interface Expected {
  format: MsdFormat;
  compressed: boolean;
  encoding: MsdEncoding;
  stats?: MsdFileStats;
  first?: Record<string, unknown>;
}

const clean = (lines: number, records = lines, skipped = 0): MsdFileStats => ({
  lines,
  records,
  rejected: 0,
  skipped,
  latin1Lines: 0,
});

// Measured on the fixtures and cross-checked against the line counts in SOURCES.md.
const EXPECTED: Record<string, Expected> = {
  'SOURCES.md': { format: 'unknown', compressed: false, encoding: 'utf-8' },
  'lyrics/mxm_779k_matches.head.txt': {
    format: 'mxm-matches',
    compressed: false,
    encoding: 'utf-8',
    stats: clean(48, 30, 18),
    first: {
      trackId: 'TRAAGEC128E079252C',
      artistName: 'Nine Inch Nails',
      title: 'Metal',
      mxmTrackId: 12376617,
    },
  },
  'lyrics/mxm_dataset_test.head.txt.gz': {
    format: 'mxm-bow',
    compressed: true,
    encoding: 'utf-8',
    stats: { lines: 8278, records: 8259, rejected: 1, skipped: 18, latin1Lines: 0 },
    first: { trackId: 'TRAABRX12903CC4816', mxmTrackId: 1548880 },
  },
  'lyrics/mxm_dataset_train.head.txt': {
    format: 'mxm-bow',
    compressed: false,
    encoding: 'utf-8',
    stats: { lines: 133, records: 114, rejected: 1, skipped: 18, latin1Lines: 0 },
    first: { trackId: 'TRAAAAV128F421A322', mxmTrackId: 4623710 },
  },
  'lyrics/mxm_reverse_mapping.txt': {
    format: 'mxm-reverse-mapping',
    compressed: false,
    encoding: 'utf-8',
    stats: clean(5000),
    first: { stem: 'día', word: 'día' },
  },
  'metadata/artist_location.txt.gz': {
    format: 'artist-location',
    compressed: true,
    encoding: 'utf-8',
    stats: clean(13850),
    first: {
      artistId: 'ARZGXZG1187B9B56B6',
      latitude: -16.96595,
      longitude: -61.14804,
      name: 'Endless Blue',
      location: 'Santa Cruz',
    },
  },
  'metadata/corgis_music_subset10k.csv.gz': {
    format: 'corgis-songs',
    compressed: true,
    encoding: 'utf-8',
    // Line 6350 has an unquoted comma in its release name, which shifts the song id column.
    stats: { lines: 10001, records: 9999, rejected: 1, skipped: 1, latin1Lines: 0 },
    first: {
      songId: 'SOMZWCG12A8C13C480',
      title: "I Didn't Mean To",
      release: 'Fear Itself',
      year: null,
      artistId: 'ARD7TVE1187B99BFB1',
      artistName: 'Casual',
      term: 'hip hop',
      termFreq: 1,
      key: 1,
      mode: 0,
    },
  },
  'metadata/sid_mismatches.txt.gz': {
    format: 'sid-mismatches',
    compressed: true,
    encoding: 'utf-8',
    stats: clean(19094),
    first: {
      songId: 'SOUMNSI12AB0182807',
      trackId: 'TRMMGKQ128F9325E10',
      songArtist: 'Digital Underground',
      songTitle: 'The Way We Swing',
      trackArtist: 'Linkwood',
      trackTitle: 'Whats up with the Underground',
    },
  },
  'metadata/songlist20k.unique_tracks_format.latin1.txt.gz': {
    format: 'unique-tracks',
    compressed: true,
    encoding: 'latin1',
    stats: { ...clean(20001), latin1Lines: 715 },
    first: {
      trackId: 'TRGXQES128F42BA5EB',
      songId: 'SOAUWYT12A81C206F1',
      artistName: 'Björk',
      title: 'Undo',
    },
  },
  'metadata/subset_artist_mbtag.csv': {
    format: 'artist-mbtags',
    compressed: false,
    encoding: 'utf-8',
    stats: clean(3810, 3809, 1),
    first: { artistId: 'AR00A6H1187FB5402A', tag: 'detroit' },
  },
  'metadata/subset_artist_term.csv.gz': {
    format: 'artist-terms',
    compressed: true,
    encoding: 'utf-8',
    stats: clean(97494, 97493, 1),
    first: { artistId: 'AR009211187B989185', tag: 'lovers rock' },
  },
  'metadata/subset_artists.csv': {
    format: 'artist-ids',
    compressed: false,
    encoding: 'utf-8',
    stats: clean(3889, 3888, 1),
    first: { value: 'AR009211187B989185' },
  },
  'metadata/subset_mbtags.csv': {
    format: 'mbtag-vocabulary',
    compressed: false,
    encoding: 'utf-8',
    stats: clean(727, 726, 1),
    first: { value: '00s' },
  },
  'metadata/subset_terms.csv': {
    format: 'term-vocabulary',
    compressed: false,
    encoding: 'utf-8',
    stats: clean(3503, 3502, 1),
    first: { value: '00s' },
  },
  'metadata/subset_unique_tracks.txt': {
    format: 'unique-tracks',
    compressed: false,
    encoding: 'utf-8',
    stats: clean(10001, 10000, 1),
    first: {
      trackId: 'TRAAAAW128F429D538',
      songId: 'SOMZWCG12A8C13C480',
      artistName: 'Casual',
      title: "I Didn't Mean To",
    },
  },
  'metadata/unique_tracks.head5000.txt': {
    format: 'unique-tracks',
    compressed: false,
    encoding: 'utf-8',
    stats: clean(5000),
    first: {
      trackId: 'TRMMMYQ128F932D901',
      songId: 'SOQMMHC12AB0180CB8',
      artistName: 'Faster Pussy cat',
      title: 'Silent Night',
    },
  },
  'plays/kaggle_visible_evaluation_triplets.head44.txt': {
    format: 'triplets',
    compressed: false,
    encoding: 'utf-8',
    stats: clean(44),
    first: { userId: 'ab79461415bb9db956def3a897886d0754ddddfb', songId: 'SOMQGDG12A8AE47484', count: 1 },
  },
  'plays/subset_songs.top10000users_triplets.txt.gz': {
    format: 'triplets',
    compressed: true,
    encoding: 'utf-8',
    stats: clean(39017),
    first: { userId: 'a3f5db66731126b173610095b831a216a0e27da4', songId: 'SODAMJC12A6D4F9E2F', count: 771 },
  },
  'plays/train_triplets.head5000.txt': {
    format: 'triplets',
    compressed: false,
    encoding: 'utf-8',
    stats: clean(5000),
    first: { userId: 'b80344d063b5ccb3212f76538f3d9e43d87dca9e', songId: 'SOAKIMP12A8C130995', count: 1 },
  },
  'plays/turi_10000.head42739.txt.gz': {
    format: 'triplets',
    compressed: true,
    encoding: 'utf-8',
    stats: clean(42739),
    first: { userId: 'b80344d063b5ccb3212f76538f3d9e43d87dca9e', songId: 'SOAKIMP12A8C130995', count: 1 },
  },
  'plays/year1_test_triplets_visible.first526users.txt': {
    format: 'triplets',
    compressed: false,
    encoding: 'utf-8',
    stats: clean(7093),
    first: { userId: '00007a02388c208ea7176479f6ae06f8224355b3', songId: 'SOAITVD12A6D4F824B', count: 3 },
  },
  'tags/lastfm_subset.tar.gz': {
    format: 'lastfm-track',
    compressed: true,
    encoding: 'utf-8',
    stats: clean(9330),
    first: { trackId: 'TRAAAAW128F429D538', artist: 'Casual', title: "I Didn't Mean To" },
  },
};

async function readAll(file: AnyMsdFile) {
  const records: unknown[] = [];
  const rejected: { lineNo: number; reason: string }[] = [];
  for await (const r of file.records()) {
    if (r.kind === 'record') records.push(r.value);
    else rejected.push({ lineNo: r.lineNo, reason: r.reason });
  }
  return { records, rejected };
}

describe('real MSD fixtures', () => {
  let dir: string;
  beforeAll(() => {
    dir = msdDataDir();
  });

  it('lists every fixture, sorted', async () => {
    const files = (await listMsdFiles(dir)).map((p) => relative(dir, p));
    expect(files).toEqual(Object.keys(EXPECTED).sort((a, b) => (a < b ? -1 : 1)));
  });

  for (const [name, want] of Object.entries(EXPECTED)) {
    it(`${name}: ${want.format}, ${want.encoding}${want.stats ? `, ${want.stats.records} records` : ''}`, async () => {
      const path = join(dir, name);
      const info = await probeMsdFile(path);
      expect(info.format).toBe(want.format);
      expect(info.compressed).toBe(want.compressed);
      if (want.format === 'unknown') {
        await expect(openMsdFile(path)).rejects.toThrow(/fit none of the MSD formats/);
        return;
      }
      const file = await openMsdFile(path);
      const { records, rejected } = await readAll(file);
      expect(file.stats()).toEqual(want.stats);
      expect(file.info.encoding).toBe(want.encoding);
      expect(records.length).toBe(want.stats?.records);
      expect(rejected.length).toBe(want.stats?.rejected);
      expect(records[0]).toMatchObject(want.first ?? {});
    });
  }

  it('rejects only the cut-off last record of the musiXmatch heads', async () => {
    for (const [name, lastLine] of [
      ['lyrics/mxm_dataset_test.head.txt.gz', 8278],
      ['lyrics/mxm_dataset_train.head.txt', 133],
    ] as const) {
      const { rejected } = await readAll(await openMsdFile(join(dir, name)));
      expect(rejected).toEqual([
        { lineNo: lastLine, reason: expect.stringMatching(/^truncated last record/) },
      ]);
    }
  });

  it('reads the 5,000-stem vocabulary eagerly, and it matches the reverse mapping', async () => {
    const bow = await openMsdFile(join(dir, 'lyrics/mxm_dataset_test.head.txt.gz'), { format: 'mxm-bow' });
    const vocabulary = bow.info.vocabulary ?? [];
    expect(vocabulary.length).toBe(5000);
    expect(vocabulary.slice(0, 5)).toEqual(['i', 'the', 'you', 'to', 'and']);
    const mapping = await openMsdFile(join(dir, 'lyrics/mxm_reverse_mapping.txt'), {
      format: 'mxm-reverse-mapping',
    });
    const stems = new Set<string>();
    for await (const r of mapping.records()) if (r.kind === 'record') stems.add(r.value.stem);
    expect(stems).toEqual(new Set(vocabulary));
  });

  it('converts 1-based stem indices to 0-based', async () => {
    const bow = await openMsdFile(join(dir, 'lyrics/mxm_dataset_train.head.txt'), { format: 'mxm-bow' });
    for await (const r of bow.records()) {
      if (r.kind !== 'record') continue;
      // TRAAAAV128F421A322,4623710,1:6,2:4,3:2,...
      expect(Array.from(r.value.stems.slice(0, 3))).toEqual([0, 1, 2]);
      expect(Array.from(r.value.counts.slice(0, 3))).toEqual([6, 4, 2]);
      break;
    }
  });

  it.each([
    ['plays/train_triplets.head5000.txt', 92, 4172, undefined],
    ['plays/turi_10000.head42739.txt.gz', 1630, 9071, 129149],
    ['plays/subset_songs.top10000users_triplets.txt.gz', 10000, 2036, 435599],
    ['plays/year1_test_triplets_visible.first526users.txt', 526, 5531, undefined],
  ])('%s has the users, songs and plays SOURCES.md states', async (name, users, songs, plays) => {
    const file = await openMsdFile(join(dir, name), { format: 'triplets' });
    const u = new Set<string>();
    const s = new Set<string>();
    let total = 0;
    let last: unknown;
    for await (const r of file.records()) {
      if (r.kind !== 'record') continue;
      u.add(r.value.userId);
      s.add(r.value.songId);
      total += r.value.count;
      last = r.value;
    }
    expect([u.size, s.size]).toEqual([users, songs]);
    if (plays !== undefined) expect(total).toBe(plays);
    if (name.startsWith('plays/year1')) {
      // The file lacks a trailing newline; its last line is still a complete, accepted record.
      expect(last).toEqual({
        userId: '013d1a08baf88bf3ba80c54f9264cdfdeabd5c06',
        songId: 'SOLLYMA12A58A7DFD3',
        count: 1,
      });
    }
  });

  it('sid_mismatches covers the 18,913 songs and 18,972 tracks of SOURCES.md', async () => {
    const file = await openMsdFile(join(dir, 'metadata/sid_mismatches.txt.gz'), { format: 'sid-mismatches' });
    const songs = new Set<string>();
    const tracks = new Set<string>();
    for await (const r of file.records()) {
      if (r.kind === 'record') {
        songs.add(r.value.songId);
        tracks.add(r.value.trackId);
      }
    }
    expect([songs.size, tracks.size]).toEqual([18913, 18972]);
  });

  it('the Last.fm archive holds the tagged tracks, tags and similar pairs SOURCES.md states', async () => {
    const file = await openMsdFile(join(dir, 'tags/lastfm_subset.tar.gz'), { format: 'lastfm-track' });
    let tagged = 0;
    let similars = 0;
    const tags = new Set<string>();
    for await (const r of file.records()) {
      if (r.kind !== 'record') continue;
      if (r.value.tags.length > 0) tagged++;
      for (const t of r.value.tags) tags.add(t.tag);
      similars += r.value.similars.length;
    }
    expect([tagged, tags.size, similars]).toEqual([4833, 33355, 612051]);
  });

  it('quarantines the one CORGIS row whose columns are shifted, with its line number', async () => {
    const { rejected } = await readAll(
      await openMsdFile(join(dir, 'metadata/corgis_music_subset10k.csv.gz')),
    );
    expect(rejected).toEqual([
      { lineNo: 6350, reason: expect.stringMatching(/^bad song id ' Polovtsian Dances/) },
    ]);
  });
});

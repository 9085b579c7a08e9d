import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODECS } from './codecs.registry';
import { openMsdFile } from './msd-file.reader';
import type { KnownMsdFormat } from './msd.types';

const U = 'b80344d063b5ccb3212f76538f3d9e43d87dca9e';
const SO = 'SOAKIMP12A8C130995';
const TR = 'TRAAAAW128F429D538';
const AR = 'ARZGXZG1187B9B56B6';

/** A CORGIS music.csv row (35 columns) with some columns replaced, by index. */
function corgis(replace: Record<number, string> = {}): string {
  const row = [
    '0.4',
    AR,
    'Casual',
    '',
    '0.0',
    '0.6',
    '0.5',
    '0.8',
    '0.5',
    '218.9',
    '0.2',
    '0.58',
    '1.0',
    '0.7',
    '37.1',
    '"LA, CA"',
    '-63.9',
    '-11.2',
    '0',
    '0.6',
    '300848',
    'Fear Itself',
    'ARV4KO21187FB38008',
    '0.6',
    SO,
    '218.9',
    '0.7',
    '0.2',
    '92.2',
    'hip hop',
    '1.0',
    '4.0',
    '0.7',
    'Title',
    '0',
  ];
  for (const [i, v] of Object.entries(replace)) row[Number(i)] = v;
  return row.join(',');
}

const LASTFM = (tags: string, similars = '[]') =>
  `{"artist": "A", "title": "T", "track_id": "${TR}", "tags": ${tags}, "similars": ${similars}}`;

// Every case is a distinct way a line can be unusable, with the reason the reader must give for it.
const BAD: [KnownMsdFormat, string, string][] = [
  ['triplets', `${U}\t${SO}`, 'expected 3 fields, got 2'],
  ['triplets', `${U}\t${SO}\t3\textra`, 'expected 3 fields, got 4'],
  ['triplets', `${U}`, 'expected 3 fields, got 1'],
  ['triplets', `${U}\t${SO}\t-3`, "count is not a positive integer: '-3'"],
  ['triplets', `${U}\t${SO}\t0`, "count is not a positive integer: '0'"],
  ['triplets', `${U}\t${SO}\t2.5`, "count is not a positive integer: '2.5'"],
  ['triplets', `${U}\t${SO}\tthree`, "count is not a positive integer: 'three'"],
  ['triplets', `${U}\t${SO}\t99999999999`, "count is too large (max 2147483647): '99999999999'"],
  ['triplets', `${U}\tXYZ\t1`, "bad song id 'XYZ'"],
  ['triplets', `${U}\tsoakimp12a8c130995\t1`, "bad song id 'soakimp12a8c130995'"],
  ['triplets', `${U}\t${TR}\t1`, `bad song id '${TR}'`],
  ['triplets', `${U},${SO},1`, 'expected 3 fields, got 1'],
  ['unique-tracks', `${TR}<SEP>${SO}<SEP>Casual`, 'expected 4 fields separated by <SEP>, got 3'],
  ['unique-tracks', `${TR}<SEP>${SO}<SEP>A<SEP>B<SEP>C`, 'expected 4 fields separated by <SEP>, got 5'],
  ['unique-tracks', `TRX<SEP>${SO}<SEP>Casual<SEP>Title`, "bad track id 'TRX'"],
  ['unique-tracks', `${TR}<SEP>SO123<SEP>Casual<SEP>Title`, "bad song id 'SO123'"],
  ['unique-tracks', 'Id<SEP>id2<SEP>ArtistName<SEP>SongTitle', "bad track id 'Id'"],
  ['unique-tracks', `${TR}\t${SO}\tCasual\tTitle`, 'expected 4 fields separated by <SEP>, got 1'],
  ['mxm-bow', `${TR}`, 'expected track id, mxm track id and idx:cnt entries, got 1 field'],
  ['mxm-bow', `TRSHORT,4623710,1:6`, "bad track id 'TRSHORT'"],
  ['mxm-bow', `${TR},abc,1:6`, "mxm track id is not a positive integer: 'abc'"],
  ['mxm-bow', `${TR},4623710,1:6,,3:2`, 'word count entry 2 is empty (stray comma)'],
  ['mxm-bow', `${TR},4623710,1:6,2:4,`, 'word count entry 3 is empty (stray comma)'],
  ['mxm-bow', `${TR},4623710,1:6,7`, "word count entry 2 '7' is not idx:cnt"],
  [
    'mxm-bow',
    `${TR},4623710,5001:2`,
    'word count entry 1: stem index 5001 is outside the vocabulary (1..5000)',
  ],
  ['mxm-bow', `${TR},4623710,0:2`, "word count entry 1: stem index is not a positive integer: '0'"],
  ['mxm-bow', `${TR},4623710,1:6,12:0`, "word count entry 2: count is not a positive integer: '0'"],
  ['mxm-bow', `${TR},4623710,1:6,12:`, "word count entry 2: count is not a positive integer: ''"],
  ['mxm-bow', `${TR},4623710,12:6,7:1`, 'word count entry 2: stem indices must increase, got 7 after 12'],
  ['mxm-bow', `${TR},4623710,3:6,3:1`, 'word count entry 2: stem indices must increase, got 3 after 3'],
  ['mxm-bow', '%i,the,you', 'second vocabulary line (the vocabulary is the one on line 2)'],
  ['mxm-reverse-mapping', 'hatr', 'expected 2 fields separated by <SEP>, got 1'],
  ['mxm-reverse-mapping', 'hatr<SEP>hatred<SEP>x', 'expected 2 fields separated by <SEP>, got 3'],
  ['mxm-reverse-mapping', '<SEP>hatred', 'empty stem'],
  ['mxm-reverse-mapping', 'hatr<SEP>', "empty word for stem 'hatr'"],
  [
    'mxm-matches',
    `${TR}<SEP>Nine Inch Nails<SEP>Metal<SEP>x12<SEP>Nine Inch Nails<SEP>Metal`,
    "mxm track id is not a positive integer: 'x12'",
  ],
  ['mxm-matches', `${TR}<SEP>Nine Inch Nails<SEP>Metal`, 'expected 6 fields separated by <SEP>, got 3'],
  [
    'sid-mismatches',
    `WARNING: <${SO} ${TR}> A  -  B  !=  C  -  D`,
    "expected a line starting with 'ERROR: <'",
  ],
  ['sid-mismatches', `ERROR: <${SO} ${TR} A  -  B  !=  C  -  D`, "missing '>' after the song and track ids"],
  [
    'sid-mismatches',
    `ERROR: <${SO}> A  -  B  !=  C  -  D`,
    `expected '<song_id track_id>', got 'ERROR: <${SO}>'`,
  ],
  ['sid-mismatches', `ERROR: <SOX ${TR}> A  -  B  !=  C  -  D`, "bad song id 'SOX'"],
  ['sid-mismatches', `ERROR: <${SO} TRX> A  -  B  !=  C  -  D`, "bad track id 'TRX'"],
  [
    'sid-mismatches',
    `ERROR: <${SO} ${TR}> A  -  B  ==  C  -  D`,
    "expected one '!=' between the song and the track, got 0",
  ],
  [
    'sid-mismatches',
    `ERROR: <${SO} ${TR}> A - B  !=  C  -  D`,
    "expected 'artist  -  title' on both sides of '!='",
  ],
  ['artist-location', `${AR}<SEP>1<SEP>2<SEP>Name`, 'expected 5 fields separated by <SEP>, got 4'],
  ['artist-location', `AR123<SEP>1<SEP>2<SEP>Name<SEP>Place`, "bad artist id 'AR123'"],
  [
    'artist-location',
    `${AR}<SEP>north<SEP>2<SEP>Name<SEP>Place`,
    "latitude is not a decimal number: 'north'",
  ],
  ['artist-location', `${AR}<SEP>91.5<SEP>2<SEP>Name<SEP>Place`, 'latitude 91.5 is outside -90..90'],
  [
    'artist-location',
    `${AR}<SEP>45<SEP>-180.01<SEP>Name<SEP>Place`,
    'longitude -180.01 is outside -180..180',
  ],
  [
    'artist-location',
    `${AR}<SEP>45<SEP><SEP>Name<SEP>Place`,
    'latitude and longitude must both be given or both be empty',
  ],
  ['corgis-songs', corgis().split(',').slice(0, 30).join(','), 'expected 35 CSV fields, got 29'],
  ['corgis-songs', corgis({ 24: 'SO1' }), "bad song id 'SO1'"],
  ['corgis-songs', corgis({ 1: 'XX' }), "bad artist id 'XX'"],
  ['corgis-songs', corgis({ 28: 'fast' }), "tempo is not a number: 'fast'"],
  ['corgis-songs', corgis({ 12: '14' }), 'key 14 is outside 0..11'],
  ['corgis-songs', corgis({ 34: '1969.5' }), "year is not 0 (unknown) or a year: '1969.5'"],
  [
    'corgis-songs',
    corgis({ 21: '"Overture ""1812' }),
    'not a valid CSV row: Quote Not Closed: the parsing is finished with an opening quote at line 1',
  ],
  [
    'corgis-songs',
    'artist.hotttnesss,artist.id',
    'a CORGIS header line, but not the first line or not the expected 35 columns',
  ],
  ['artist-terms', `${AR},rock,pop`, 'expected 2 CSV fields (artist_id,term), got 3'],
  ['artist-terms', 'AR1,rock', "bad artist id 'AR1'"],
  ['artist-terms', `${AR},`, 'empty term'],
  ['artist-mbtags', `${AR}`, 'expected 2 CSV fields (artist_id,mbtag), got 1'],
  ['artist-ids', 'nope', "bad artist id 'nope'"],
  ['term-vocabulary', 'rock,pop', 'expected one CSV field (term), got 2'],
  ['mbtag-vocabulary', '""', 'empty mbtag'],
  ['lastfm-track', 'TRAAAAW128F429D538', 'expected a Last.fm track JSON object'],
  ['lastfm-track', '{"track_id": "TRX", "tags": [], "similars": []}', "bad track_id 'TRX'"],
  ['lastfm-track', `{"track_id": "${TR}", "tags": {}, "similars": []}`, 'tags and similars must be arrays'],
  ['lastfm-track', LASTFM('[["rock"]]'), `tag 1 is not [tag, weight]: '["rock"]'`],
  ['lastfm-track', LASTFM('[["rock", "lots"]]'), `tag 1 is not [tag, weight]: '["rock","lots"]'`],
  ['lastfm-track', LASTFM('[]', '[["TRX", 0.5]]'), `similar 1 is not [track_id, score]: '["TRX",0.5]'`],
];

describe('malformed lines', () => {
  it('covers at least 30 distinct bad lines', () => {
    expect(new Set(BAD.map(([f, line]) => `${f}|${line}`)).size).toBe(BAD.length);
    expect(BAD.length).toBeGreaterThanOrEqual(30);
  });

  it.each(BAD)('%s rejects %j: %s', (format, line, reason) => {
    const verdict = CODECS[format].parse(line, {
      lineNo: 7,
      terminated: true,
      vocabularySize: 5000,
      vocabularyLineNo: 2,
    });
    expect(verdict).toEqual({ kind: 'reject', reason });
  });

  it('reports every bad line of a file with its line number, and keeps the good ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'msd-bad-'));
    const path = join(dir, 'plays.txt');
    const lines = [
      `${U}\t${SO}\t1`,
      `${U}\t${SO}`,
      '',
      '   ',
      `${U}  ${SO}  4`,
      `${U}\t${SO}\t-3`,
      `${U}\t${SO}\t2`,
    ];
    await writeFile(path, lines.join('\n'));
    const file = await openMsdFile(path, { format: 'triplets' });
    const seen: unknown[] = [];
    for await (const r of file.records())
      seen.push(r.kind === 'record' ? [r.lineNo, r.value.count] : [r.lineNo, r.reason, r.raw]);
    expect(seen).toEqual([
      [1, 1],
      [2, 'expected 3 fields, got 2', `${U}\t${SO}`],
      [3, 'empty line', ''],
      [4, 'blank line (only whitespace)', '   '],
      [5, 4],
      [6, "count is not a positive integer: '-3'", `${U}\t${SO}\t-3`],
      [7, 2],
    ]);
    expect(file.stats()).toEqual({ lines: 7, records: 3, rejected: 4, skipped: 0, latin1Lines: 0 });
    await rm(dir, { recursive: true, force: true });
  });

  it('rejects a cut-off Last.fm JSON with the message of the JSON parser', () => {
    const verdict = CODECS['lastfm-track'].parse('{"track_id": "TRX"', { lineNo: 1, terminated: false });
    expect(verdict).toEqual({ kind: 'reject', reason: expect.stringMatching(/^invalid JSON: /) });
  });

  it('quotes at most 40 characters of a garbage field', () => {
    const verdict = CODECS.triplets.parse(`${U}\t${'X'.repeat(100)}\t1`, { lineNo: 1, terminated: true });
    expect(verdict).toEqual({ kind: 'reject', reason: `bad song id '${'X'.repeat(40)}…'` });
  });
});

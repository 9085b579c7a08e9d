import { describe, expect, it } from 'vitest';
import { detectFormat } from './format.detector';

const U = 'b80344d063b5ccb3212f76538f3d9e43d87dca9e';
const SO = 'SOAKIMP12A8C130995';
const TR = 'TRAAAAW128F429D538';
const MXM_COMMENTS = ['# musiXmatch dataset', '#     comment, to ignore'];

describe('detectFormat', () => {
  it.each([
    ['triplets', [`${U}\t${SO}\t1`, `${U}\t${SO}\t2`]],
    ['triplets', [`${U} ${SO} 1\r`, `${U} ${SO} 2\r`]],
    [
      'unique-tracks',
      ['Id<SEP>id2<SEP>ArtistName<SEP>SongTitle', `${TR}<SEP>${SO}<SEP>Casual<SEP>I Didn't Mean To`],
    ],
    ['unique-tracks', ['Id<SEP>id2<SEP>ArtistName<SEP>SongTitle']],
    ['mxm-bow', [...MXM_COMMENTS, '%i,the,you', `${TR},4623710,1:6,2:4`]],
    ['mxm-bow', [...MXM_COMMENTS, '%i,the,you']],
    ['mxm-reverse-mapping', ['día<SEP>día', 'hatr<SEP>hatred']],
    [
      'mxm-matches',
      [...MXM_COMMENTS, `${TR}<SEP>Nine Inch Nails<SEP>Metal<SEP>12376617<SEP>Nine Inch Nails<SEP>Metal`],
    ],
    ['sid-mismatches', [`ERROR: <${SO} ${TR}> A  -  B  !=  C  -  D`]],
    ['artist-location', ['ARZGXZG1187B9B56B6<SEP>-16.96595<SEP>-61.14804<SEP>Endless Blue<SEP>Santa Cruz']],
    ['artist-terms', ['artist_id,term', 'AR009211187B989185,lovers rock']],
    ['artist-mbtags', ['artist_id,mbtag', 'AR00A6H1187FB5402A,detroit']],
    ['artist-ids', ['artist_id', 'AR009211187B989185']],
    ['term-vocabulary', ['term', '00s', 'blue-eyed soul']],
    ['mbtag-vocabulary', ['mbtag', '00s', '1 13 165900 150']],
    [
      'lastfm-track',
      [`{"artist": "Casual", "track_id": "${TR}", "tags": [["hip hop", "100"]], "similars": []}`],
    ],
  ])('recognises %s content', (format, lines) => {
    expect(detectFormat(lines)).toBe(format);
  });

  it('trusts content over a misleading file name', () => {
    expect(detectFormat([`${U}\t${SO}\t1`], 'unique_tracks.txt')).toBe('triplets');
  });

  it('uses the file name only to break a tie, and gives up on a tie it cannot break', () => {
    // Comment lines alone fit both musiXmatch formats equally well.
    expect(detectFormat(MXM_COMMENTS)).toBe('unknown');
    expect(detectFormat(MXM_COMMENTS, '/data/mxm_779k_matches.txt')).toBe('mxm-matches');
    expect(detectFormat(MXM_COMMENTS, '/data/mxm_dataset_train.txt')).toBe('mxm-bow');
    expect(detectFormat(MXM_COMMENTS, '/data/notes.txt')).toBe('unknown');
  });

  it('recognises a bare word list only by its header line', () => {
    expect(detectFormat(['00s', 'blue-eyed soul'], 'terms.csv')).toBe('unknown');
    // Without a header, artist_term and artist_mbtag rows look alike: the file name decides.
    expect(detectFormat(['AR009211187B989185,rock'], 'artist_term.csv')).toBe('artist-terms');
    expect(detectFormat(['AR009211187B989185,rock'], 'artist_mbtag.csv')).toBe('artist-mbtags');
  });

  it('needs most of the sample to fit', () => {
    const garbage = ['a,b,c', 'd,e,f', 'g,h,i'];
    expect(detectFormat([`${U}\t${SO}\t1`, ...garbage])).toBe('unknown');
    expect(detectFormat([`${U}\t${SO}\t1`, `${U}\t${SO}\t1`, `${U}\t${SO}\t1`, 'a,b,c'])).toBe('triplets');
  });

  it('says unknown for empty, blank or foreign samples', () => {
    expect(detectFormat([])).toBe('unknown');
    expect(detectFormat(['', '  '])).toBe('unknown');
    expect(detectFormat(['artist.id,artist.name,song.id', 'AR1,Casual,SO1'], 'music.csv')).toBe('unknown');
  });
});

import { describe, expect, it } from 'vitest';
import { CODECS } from './codecs.registry';
import type { LineContext } from './line-codec.types';
import { formatMxmHeader, formatMxmRecord, parseMxmVocabulary } from './mxm-bow.codec';
import { formatStemWordLine } from './mxm-reverse-mapping.codec';
import { formatTripletLine } from './triplets.codec';
import { formatUniqueTrackLine } from './unique-tracks.codec';

const ctx: LineContext = { lineNo: 9, terminated: true, vocabularySize: 5000, vocabularyLineNo: 1 };
const body = (line: string) => {
  expect(line.endsWith('\n')).toBe(true);
  return line.slice(0, -1);
};

describe('writers share the readers’ definition of each format', () => {
  it('triplets round-trip', () => {
    const t = { userId: 'b80344d063b5ccb3212f76538f3d9e43d87dca9e', songId: 'SOAKIMP12A8C130995', count: 17 };
    expect(formatTripletLine(t)).toBe('b80344d063b5ccb3212f76538f3d9e43d87dca9e\tSOAKIMP12A8C130995\t17\n');
    expect(CODECS.triplets.parse(body(formatTripletLine(t)), ctx)).toEqual({ kind: 'record', value: t });
  });

  it('unique-tracks round-trip, Latin-1 letters and empty titles included', () => {
    const t = {
      trackId: 'TRAAAAW128F429D538',
      songId: 'SOMZWCG12A8C13C480',
      artistName: 'Sébastien Roch',
      title: '',
    };
    expect(CODECS['unique-tracks'].parse(body(formatUniqueTrackLine(t)), ctx)).toEqual({
      kind: 'record',
      value: t,
    });
    expect(() => formatUniqueTrackLine({ ...t, title: 'a<SEP>b' })).toThrow(/contains <SEP> or a line break/);
    expect(() => formatUniqueTrackLine({ ...t, artistName: 'a\nb' })).toThrow(
      /contains <SEP> or a line break/,
    );
  });

  it('mxm header and records round-trip with 0-based stems in memory and 1-based in the file', () => {
    const header = formatMxmHeader(['i', 'the', 'you'], ['generated', '']);
    expect(header).toBe('# generated\n#\n%i,the,you\n');
    expect(parseMxmVocabulary(header.split('\n')[2] as string)).toEqual(['i', 'the', 'you']);
    const bow = {
      trackId: 'TRAAAAV128F421A322',
      mxmTrackId: 4623710,
      stems: Int32Array.from([0, 2]),
      counts: Int32Array.from([6, 1]),
    };
    expect(formatMxmRecord(bow)).toBe('TRAAAAV128F421A322,4623710,1:6,3:1\n');
    expect(CODECS['mxm-bow'].parse(body(formatMxmRecord(bow)), ctx)).toEqual({ kind: 'record', value: bow });
  });

  it('mxm writers refuse what the reader would reject', () => {
    expect(() => formatMxmHeader(['a,b'])).toThrow(/holds ','/);
    expect(() => formatMxmHeader(['a'], ['two\nlines'])).toThrow(/comment contains a line break/);
    const bow = {
      trackId: 'TRAAAAV128F421A322',
      mxmTrackId: 1,
      stems: Int32Array.from([4, 2]),
      counts: Int32Array.from([1, 1]),
    };
    expect(() => formatMxmRecord(bow)).toThrow(/stems must increase, got 2 after 4/);
    expect(() => formatMxmRecord({ ...bow, stems: Int32Array.from([1]) })).toThrow(/1 stems but 2 counts/);
  });

  it('stem/word lines round-trip', () => {
    const m = { stem: 'hatr', word: 'hatred' };
    expect(CODECS['mxm-reverse-mapping'].parse(body(formatStemWordLine(m)), ctx)).toEqual({
      kind: 'record',
      value: m,
    });
    expect(() => formatStemWordLine({ stem: '', word: 'x' })).toThrow(/empty/);
  });
});

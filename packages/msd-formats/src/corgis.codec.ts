import { csvFields, csvNumber } from './csv-line';
import { isArtistId, isSongId, quote } from './fields.validator';
import { type LineCodec, SKIP, record, reject } from './line-codec.types';
import type { CorgisSong } from './msd.types';

/** The CORGIS music.csv header; its columns are read by these positions. */
const COLUMNS = [
  'artist.hotttnesss',
  'artist.id',
  'artist.name',
  'artist_mbtags',
  'artist_mbtags_count',
  'bars_confidence',
  'bars_start',
  'beats_confidence',
  'beats_start',
  'duration',
  'end_of_fade_in',
  'familiarity',
  'key',
  'key_confidence',
  'latitude',
  'location',
  'longitude',
  'loudness',
  'mode',
  'mode_confidence',
  'release.id',
  'release.name',
  'similar',
  'song.hotttnesss',
  'song.id',
  'start_of_fade_out',
  'tatums_confidence',
  'tatums_start',
  'tempo',
  'terms',
  'terms_freq',
  'time_signature',
  'time_signature_confidence',
  'title',
  'year',
] as const;
const HEADER = COLUMNS.join(',');
const at = Object.fromEntries(COLUMNS.map((c, i) => [c, i])) as Record<(typeof COLUMNS)[number], number>;

/** Numeric columns kept, with the range a value must fall in. */
const NUMBERS = {
  duration: ['duration', 0, 1e5],
  tempo: ['tempo', 0, 1000],
  loudness: ['loudness', -100, 100],
  key: ['key', 0, 11],
  mode: ['mode', 0, 1],
  songHotttnesss: ['song.hotttnesss', 0, 1],
  artistHotttnesss: ['artist.hotttnesss', 0, 10],
  artistFamiliarity: ['familiarity', 0, 1],
  termFreq: ['terms_freq', 0, 1e6],
} as const;

type NumberField = keyof typeof NUMBERS;

/** The CORGIS "music" CSV (35 columns, one row per MSD subset song, keyed by song id). */
export const corgisSongsCodec: LineCodec<'corgis-songs'> = {
  format: 'corgis-songs',
  fileNameHint: /music|corgis/i,
  parse(line, ctx) {
    if (line.startsWith('artist.hotttnesss,')) {
      if (ctx.lineNo === 1 && line === HEADER) return SKIP;
      return reject('a CORGIS header line, but not the first line or not the expected 35 columns');
    }
    const f = csvFields(line);
    if (typeof f === 'string') return reject(f);
    if (f.length !== COLUMNS.length) return reject(`expected ${COLUMNS.length} CSV fields, got ${f.length}`);
    const field = (c: (typeof COLUMNS)[number]) => f[at[c]] as string;
    const songId = field('song.id');
    const artistId = field('artist.id');
    if (!isSongId(songId)) return reject(`bad song id ${quote(songId)}`);
    if (!isArtistId(artistId)) return reject(`bad artist id ${quote(artistId)}`);
    const numbers = {} as Record<NumberField, number | null>;
    for (const [name, [column, min, max]] of Object.entries(NUMBERS) as [
      NumberField,
      (typeof NUMBERS)[NumberField],
    ][]) {
      const v = csvNumber(field(column));
      if (Number.isNaN(v)) return reject(`${column} is not a number: ${quote(field(column))}`);
      if (v !== undefined && (v < min || v > max)) return reject(`${column} ${v} is outside ${min}..${max}`);
      numbers[name] = v ?? null;
    }
    const year = csvNumber(field('year'));
    if (year === undefined || Number.isNaN(year) || !Number.isInteger(year) || year < 0 || year > 2100)
      return reject(`year is not 0 (unknown) or a year: ${quote(field('year'))}`);
    const song: CorgisSong = {
      songId,
      title: field('title'),
      release: field('release.name'),
      year: year === 0 ? null : year,
      artistId,
      artistName: field('artist.name'),
      term: field('terms'),
      mbtag: field('artist_mbtags'),
      ...numbers,
    };
    return record(song);
  },
};

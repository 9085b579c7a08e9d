/** Every file kind this package can read. `unknown` is only ever the answer of detection, never a readable format. */
export type MsdFormat =
  | 'triplets'
  | 'unique-tracks'
  | 'mxm-bow'
  | 'mxm-reverse-mapping'
  | 'mxm-matches'
  | 'sid-mismatches'
  | 'artist-location'
  | 'corgis-songs'
  | 'artist-terms'
  | 'artist-mbtags'
  | 'artist-ids'
  | 'term-vocabulary'
  | 'mbtag-vocabulary'
  | 'lastfm-track'
  | 'unknown';

export type KnownMsdFormat = Exclude<MsdFormat, 'unknown'>;

export const KNOWN_MSD_FORMATS: readonly KnownMsdFormat[] = [
  'triplets',
  'unique-tracks',
  'mxm-bow',
  'mxm-reverse-mapping',
  'mxm-matches',
  'sid-mismatches',
  'artist-location',
  'corgis-songs',
  'artist-terms',
  'artist-mbtags',
  'artist-ids',
  'term-vocabulary',
  'mbtag-vocabulary',
  'lastfm-track',
];

/** The format a user named (to force one on a file), or an error that lists the known ones. */
export function knownMsdFormat(name: string): KnownMsdFormat {
  const format = KNOWN_MSD_FORMATS.find((f) => f === name);
  if (!format)
    throw new Error(`unknown format '${name.slice(0, 40)}' (expected ${KNOWN_MSD_FORMATS.join(', ')})`);
  return format;
}

/**
 * Taste Profile play count. `userId` is any non-empty token without whitespace: the Echo Nest ids are 40-hex SHA1s,
 * but remapped or anonymised copies of the data use other ids and carry the same information.
 */
export interface Triplet {
  userId: string;
  songId: string;
  count: number;
}

export interface UniqueTrack {
  trackId: string;
  songId: string;
  artistName: string;
  /** May be empty: the official files contain tracks without a title. */
  title: string;
}

/** musiXmatch bag of words; `stems[i]` is a 0-based index into the file's vocabulary, strictly increasing. */
export interface LyricsBow {
  trackId: string;
  mxmTrackId: number;
  stems: Int32Array;
  counts: Int32Array;
}

export interface StemWord {
  stem: string;
  word: string;
}

/** One line of `mxm_779k_matches.txt`: an MSD track and the musiXmatch track it was matched to. */
export interface MxmMatch {
  trackId: string;
  artistName: string;
  title: string;
  mxmTrackId: number;
  mxmArtistName: string;
  mxmTitle: string;
}

/**
 * A wrong song↔track match from the Taste Profile errata. The song side is the Echo Nest song the plays belong to,
 * the track side the MSD track it was wrongly joined to.
 */
export interface SidMismatch {
  songId: string;
  trackId: string;
  songArtist: string;
  songTitle: string;
  trackArtist: string;
  trackTitle: string;
}

/**
 * One line of the official `artist_location.txt`. The real file's fourth and fifth fields are the artist name and a
 * free-text place (e.g. `Twin Cities, MN`), not a track id, so that is what this type holds.
 */
export interface ArtistLocation {
  artistId: string;
  latitude: number | null;
  longitude: number | null;
  /** Artist name. */
  name: string;
  /** Free-text place name; may be empty. */
  location: string;
}

/**
 * One row of the CORGIS "music" CSV (an MSD 10K-subset summary keyed by song id; it has no track id). Numbers the
 * file leaves empty are null; `year` 0 in the file means unknown and is null here.
 */
export interface CorgisSong {
  songId: string;
  title: string;
  release: string;
  year: number | null;
  duration: number | null;
  tempo: number | null;
  loudness: number | null;
  key: number | null;
  mode: number | null;
  songHotttnesss: number | null;
  artistId: string;
  artistName: string;
  artistHotttnesss: number | null;
  artistFamiliarity: number | null;
  /** The artist's top Echo Nest term and its frequency (the file keeps one term per artist); empty if none. */
  term: string;
  termFreq: number | null;
  /** The artist's top MusicBrainz tag; empty if none. */
  mbtag: string;
}

/** One row of the subset `artist_term` or `artist_mbtag` table dump. */
export interface ArtistTag {
  artistId: string;
  tag: string;
}

/** One entry of a one-column vocabulary dump (`artists.csv`, `terms.csv`, `mbtags.csv`). */
export interface VocabularyEntry {
  value: string;
}

/** One Last.fm track JSON: its tags (weight 0..100) and similar tracks (score 0..1). */
export interface LastfmTrack {
  trackId: string;
  artist: string;
  title: string;
  tags: { tag: string; weight: number }[];
  similars: { trackId: string; score: number }[];
}

export interface MsdRecordMap {
  triplets: Triplet;
  'unique-tracks': UniqueTrack;
  'mxm-bow': LyricsBow;
  'mxm-reverse-mapping': StemWord;
  'mxm-matches': MxmMatch;
  'sid-mismatches': SidMismatch;
  'artist-location': ArtistLocation;
  'corgis-songs': CorgisSong;
  'artist-terms': ArtistTag;
  'artist-mbtags': ArtistTag;
  'artist-ids': VocabularyEntry;
  'term-vocabulary': VocabularyEntry;
  'mbtag-vocabulary': VocabularyEntry;
  'lastfm-track': LastfmTrack;
}

export type MsdRecord<F extends KnownMsdFormat = KnownMsdFormat> = MsdRecordMap[F];

export type Parsed<T> =
  | { kind: 'record'; lineNo: number; value: T }
  | { kind: 'rejected'; lineNo: number; raw: string; reason: string };

/**
 * `utf-8`: every line is valid UTF-8. `latin1`: some lines are not valid UTF-8 (decoded as Latin-1) and no line
 * holds non-ASCII UTF-8. `mixed`: both kinds of non-ASCII lines occur, so the file was pieced together from
 * differently encoded sources.
 */
export type MsdEncoding = 'utf-8' | 'latin1' | 'mixed';

export interface MsdFileInfo<F extends MsdFormat = MsdFormat> {
  path: string;
  format: F;
  /** True when the bytes start with the gzip magic number, whatever the file name says. */
  compressed: boolean;
  /** What has been seen so far: the probed head after opening, the whole file once records() has run to the end. */
  encoding: MsdEncoding;
  /** mxm-bow only: the `%` line, read when the file is opened. */
  vocabulary?: string[];
}

export interface MsdFileStats {
  lines: number;
  records: number;
  rejected: number;
  /** Comments, headers and the mxm vocabulary line. */
  skipped: number;
  latin1Lines: number;
}

export interface MsdFile<F extends KnownMsdFormat = KnownMsdFormat> {
  /** Same as `info.format`, at the top level so that `AnyMsdFile` narrows on it. */
  readonly format: F;
  readonly info: MsdFileInfo<F>;
  /**
   * Streams the whole file from the start on every call. stats() describe the latest pass: exact once it has run
   * to the end, and ahead of the consumer by up to one read chunk while it runs.
   */
  records(): AsyncIterable<Parsed<MsdRecordMap[F]>>;
  /** The same stream in chunk-sized arrays (in file order), for bulk loaders that want one await per chunk. */
  batches(): AsyncIterable<Parsed<MsdRecordMap[F]>[]>;
  stats(): MsdFileStats;
}

export type AnyMsdFile = { [F in KnownMsdFormat]: MsdFile<F> }[KnownMsdFormat];

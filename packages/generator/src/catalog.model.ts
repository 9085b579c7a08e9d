import { AliasTable } from './alias.sampler';
import { IdForge } from './ids.forge';
import { type PresetShape, STRUCTURE } from './presets.config';
import { Sfc32 } from './sfc32.prng';
import { forgeArtistNames, forgeDistinctWords, forgeTitle } from './words.forge';

/** PRNG streams, one per concern, so each part of the output depends only on the seed and its own draws. */
export const STREAMS = { names: 1, ids: 2, structure: 3, activity: 4, plays: 5, lyrics: 6 } as const;

const TITLE_LEXICON_SIZE = 3_000;
/** Zipf exponent of how many songs an artist has (by a random artist rank). */
const ARTIST_OUTPUT_EXPONENT = 0.5;

/** Songs, artists and their planted groups; everything is O(songs), nothing is O(triplets). */
export interface Catalog {
  groups: number;
  songIds: string[];
  trackIds: string[];
  titles: string[];
  songArtist: Int32Array;
  songGroup: Int32Array;
  artistIds: string[];
  artistNames: string[];
  artistGroup: Int32Array;
  /** Song indices of each group. */
  groupSongs: Int32Array[];
  /** Zipf popularity over all songs, and over each group's songs (a draw indexes groupSongs[g]). */
  globalPopularity: AliasTable;
  groupPopularity: AliasTable[];
  /** Position of each song in song-id order, and its inverse, to write each user's rows sorted by song id. */
  songIdRank: Int32Array;
  songByIdRank: Int32Array;
  /** Issues the user ids later, continuing the id stream. */
  ids: IdForge;
}

export function rankWeights(n: number, exponent: number, rng: Sfc32): Float64Array {
  const rank = rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
  return Float64Array.from(rank, (r) => (r + 1) ** -exponent);
}

/** `shape` must have passed validateShape. */
export function buildCatalog(shape: PresetShape, seed: number): Catalog {
  const { songs, artists, groups } = shape;
  const rng = new Sfc32(seed, STREAMS.structure);
  const names = new Sfc32(seed, STREAMS.names);
  const ids = new IdForge(new Sfc32(seed, STREAMS.ids));

  // Every group gets an artist and every artist a song; the rest is random, some artists being more prolific.
  const artistGroup = new Int32Array(artists);
  for (let a = 0; a < artists; a++) artistGroup[a] = a < groups ? a : rng.int(groups);
  const output = new AliasTable(rankWeights(artists, ARTIST_OUTPUT_EXPONENT, rng));
  const songArtist = new Int32Array(songs);
  for (let s = 0; s < songs; s++) songArtist[s] = s < artists ? s : output.sample(rng);
  const songGroup = songArtist.map((a) => artistGroup[a] as number);

  const popularity = rankWeights(songs, STRUCTURE.popularityExponent, rng);
  const groupSizes = new Int32Array(groups);
  for (const g of songGroup) groupSizes[g]++;
  const groupSongs = Array.from(groupSizes, (n) => new Int32Array(n));
  const filled = new Int32Array(groups);
  songGroup.forEach((g, s) => {
    (groupSongs[g] as Int32Array)[filled[g]++] = s;
  });
  const groupPopularity = groupSongs.map(
    (members) => new AliasTable(Float64Array.from(members, (s) => popularity[s] as number)),
  );

  const artistIds = Array.from({ length: artists }, (_, a) => ids.msdId('AR', a));
  const songIds = Array.from({ length: songs }, (_, s) => ids.msdId('SO', s));
  const trackIds = Array.from({ length: songs }, (_, s) => ids.msdId('TR', s));
  const artistNames = forgeArtistNames(names, artists);
  const lexicon = forgeDistinctWords(names, TITLE_LEXICON_SIZE, 1, 2);
  const titles = Array.from({ length: songs }, () => forgeTitle(names, lexicon));

  const songByIdRank = Int32Array.from({ length: songs }, (_, i) => i).sort((a, b) =>
    (songIds[a] as string) < (songIds[b] as string) ? -1 : 1,
  );
  const songIdRank = new Int32Array(songs);
  songByIdRank.forEach((s, r) => {
    songIdRank[s] = r;
  });

  return {
    groups,
    songIds,
    trackIds,
    titles,
    songArtist,
    songGroup,
    artistIds,
    artistNames,
    artistGroup,
    groupSongs,
    globalPopularity: new AliasTable(popularity),
    groupPopularity,
    songIdRank,
    songByIdRank,
    ids,
  };
}

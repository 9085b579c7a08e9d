export type Preset = 'demo' | 'small' | 'msd';

export interface PresetShape {
  users: number;
  songs: number;
  /** Exact number of (user, song, count) rows. */
  triplets: number;
  /** Planted taste groups. */
  groups: number;
  artists: number;
  /** Songs that get a musiXmatch bag of words. */
  lyricsSongs: number;
  /** Bounds on a user's distinct songs; the upper one keeps a heavy user within reach of their groups' songs. */
  minSongsPerUser: number;
  maxSongsPerUser: number;
  /** `json`: one truth.json; `jsonl`: per-song and per-user truth streamed to JSON-lines files. */
  truthLayout: 'json' | 'jsonl';
}

export const PRESETS: Record<Preset, PresetShape> = {
  demo: {
    users: 1_500,
    songs: 2_500,
    triplets: 60_000,
    groups: 8,
    artists: 250,
    lyricsSongs: 1_500,
    minSongsPerUser: 5,
    maxSongsPerUser: 150,
    truthLayout: 'json',
  },
  small: {
    users: 20_000,
    songs: 30_000,
    triplets: 1_000_000,
    groups: 16,
    artists: 3_000,
    lyricsSongs: 18_000,
    minSongsPerUser: 5,
    maxSongsPerUser: 900,
    truthLayout: 'json',
  },
  // The sizes of the official Taste Profile train_triplets.txt and of its musiXmatch overlap.
  msd: {
    users: 1_019_318,
    songs: 384_546,
    triplets: 48_373_586,
    groups: 64,
    artists: 30_000,
    lyricsSongs: 237_662,
    minSongsPerUser: 5,
    maxSongsPerUser: 3_000,
    truthLayout: 'jsonl',
  },
};

/** The planted structure, shared by every preset. */
export const STRUCTURE = {
  /** Zipf exponent of song popularity (by a random global rank). */
  popularityExponent: 1,
  /** Share of a user's songs drawn from their own group(s); the rest follow global popularity. */
  groupShare: 0.8,
  /** Probability that a user also has a secondary group, and that group's share of the in-group draws. */
  secondaryProbability: 0.25,
  secondaryShare: 0.2,
  /** Sigma of the log-normal number of distinct songs per user (Taste Profile: mean ≈ 47, median ≈ 27). */
  activitySigma: 1,
  /** Truncated-zeta play counts with this mean (Taste Profile: 2.87) and maximum. */
  playCountMean: 2.9,
  playCountMax: 5_000,
  vocabularySize: 5_000,
  /** Stems of one group's lyric topic, and the topic's share of each token draw (the rest is background). */
  topicStems: 100,
  topicShare: 0.6,
  /** Most frequent background stems a topic never uses, so topics are not made of "i", "the", "you". */
  topicSkipsTopStems: 50,
  minTokens: 30,
  maxTokens: 120,
  /** How many of each group's highest-weight topic stems truth.json lists. */
  truthTopStems: 20,
} as const;

/** Id prefixes encode the index in five letters (see IdForge), which bounds songs, tracks and artists. */
const MAX_CATALOG = 26 ** 5;

/** Throws a RangeError naming every way the shape cannot be generated. */
export function validateShape(shape: PresetShape): void {
  const problems: string[] = [];
  const counts = [
    'users',
    'songs',
    'triplets',
    'groups',
    'artists',
    'lyricsSongs',
    'minSongsPerUser',
    'maxSongsPerUser',
  ] as const;
  for (const key of counts) {
    if (!Number.isSafeInteger(shape[key]) || shape[key] < (key === 'lyricsSongs' ? 0 : 1))
      problems.push(`${key} must be a positive integer`);
  }
  const {
    users,
    songs,
    triplets,
    groups,
    artists,
    lyricsSongs,
    minSongsPerUser: lo,
    maxSongsPerUser: hi,
  } = shape;
  if (!(songs >= artists && artists >= groups))
    problems.push(`need songs >= artists >= groups, got ${songs}, ${artists}, ${groups}`);
  if (songs > MAX_CATALOG) problems.push(`at most ${MAX_CATALOG} songs`);
  if (lyricsSongs > songs) problems.push(`${lyricsSongs} lyric songs but only ${songs} songs`);
  if (!(lo <= hi && hi <= songs))
    problems.push(`need minSongsPerUser <= maxSongsPerUser <= songs, got ${lo}, ${hi}, ${songs}`);
  if (!(users * lo <= triplets && triplets <= users * hi)) {
    problems.push(`${triplets} triplets cannot be spread over ${users} users with ${lo}..${hi} songs each`);
  }
  if (shape.truthLayout !== 'json' && shape.truthLayout !== 'jsonl')
    problems.push(`truthLayout must be json or jsonl`);
  if (problems.length > 0) throw new RangeError(`invalid dataset shape: ${problems.join('; ')}`);
}

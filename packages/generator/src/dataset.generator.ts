import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  formatMxmHeader,
  formatMxmRecord,
  formatStemWordLine,
  formatTripletLine,
  formatUniqueTrackLine,
} from '@tunegraph/msd-formats';
import { planActivity } from './activity.planner';
import { buildCatalog, type Catalog, STREAMS } from './catalog.model';
import { buildLyricsModel, type LyricsModel, LyricsSampler } from './lyrics.model';
import { PlaySampler } from './plays.sampler';
import { type Preset, PRESETS, type PresetShape, STRUCTURE, validateShape } from './presets.config';
import { Sfc32 } from './sfc32.prng';
import { TextSink } from './text.sink';
import { TRUTH_FILE, type SongTruth, type TruthFile, type UserTruth } from './truth.io';

export interface GenerateOptions {
  preset: Preset;
  seed: number;
  outDir: string;
  /** Changes to the preset's shape, e.g. other sizes or the other truth layout; validated like the presets. */
  overrides?: Partial<PresetShape>;
  onProgress?: (p: { phase: string; done: number; total: number }) => void;
}

export interface GenerateSummary {
  /** Role → path: triplets, uniqueTracks, mxmBow, mxmReverseMapping, truth (+ truthSongs, truthUsers for jsonl truth). */
  files: Record<string, string>;
  users: number;
  songs: number;
  triplets: number;
  lyricsSongs: number;
  seconds: number;
}

export const DATASET_FILES = {
  triplets: 'train_triplets.txt',
  uniqueTracks: 'unique_tracks.txt',
  mxmBow: 'mxm_dataset.txt',
  mxmReverseMapping: 'mxm_reverse_mapping.txt',
  truth: TRUTH_FILE,
  truthSongs: 'truth.songs.jsonl',
  truthUsers: 'truth.users.jsonl',
} as const;

type Progress = (phase: string, done: number, total: number) => void;

/** Reports at most ~100 times per phase, and always at its end. */
function throttle(onProgress: GenerateOptions['onProgress']): Progress {
  let phase = '';
  let next = 0;
  return (p, done, total) => {
    if (!onProgress) return;
    if (p !== phase) {
      phase = p;
      next = 0;
    }
    if (done >= next || done === total) {
      onProgress({ phase: p, done, total });
      next = done + Math.max(1, Math.floor(total / 100));
    }
  };
}

async function withSink(path: string, write: (sink: TextSink) => Promise<void>): Promise<void> {
  const sink = await TextSink.create(path);
  try {
    await write(sink);
  } finally {
    await sink.close();
  }
}

async function writeUniqueTracks(path: string, catalog: Catalog, progress: Progress): Promise<void> {
  const { songIds, trackIds, titles, songArtist, artistNames } = catalog;
  await withSink(path, async (sink) => {
    for (let s = 0; s < songIds.length; s++) {
      const artistName = artistNames[songArtist[s] as number] as string;
      const line = formatUniqueTrackLine({
        trackId: trackIds[s] as string,
        songId: songIds[s] as string,
        artistName,
        title: titles[s] as string,
      });
      if (sink.add(line)) await sink.flush();
      progress('unique-tracks', s + 1, songIds.length);
    }
  });
}

async function writeLyrics(
  dir: string,
  opts: GenerateOptions,
  catalog: Catalog,
  lyrics: LyricsModel,
  rng: Sfc32,
  progress: Progress,
): Promise<void> {
  const comments = [
    'tunegraph synthetic lyrics in the musiXmatch dataset format (generated words, not real lyrics)',
    `preset ${opts.preset}, seed ${opts.seed}`,
    'FORMAT: # comment, % comma-separated stems, then track_id,mxm_track_id,<word idx>:<cnt>,... (idx starts at 1)',
  ];
  const sampler = new LyricsSampler(lyrics, rng);
  const { lyricSongs, mxmTrackIds } = lyrics;
  await withSink(join(dir, DATASET_FILES.mxmBow), async (sink) => {
    sink.add(formatMxmHeader(lyrics.vocabulary, comments));
    for (let i = 0; i < lyricSongs.length; i++) {
      const s = lyricSongs[i] as number;
      const bow = sampler.bagOf(
        catalog.trackIds[s] as string,
        mxmTrackIds[i] as number,
        catalog.songGroup[s] as number,
      );
      if (sink.add(formatMxmRecord(bow))) await sink.flush();
      progress('lyrics', i + 1, lyricSongs.length);
    }
  });
  await withSink(join(dir, DATASET_FILES.mxmReverseMapping), async (sink) => {
    lyrics.vocabulary.forEach((stem, i) =>
      sink.add(formatStemWordLine({ stem, word: lyrics.words[i] as string })),
    );
  });
}

/** Streams users one at a time: memory stays O(users + songs) however many triplets are written. */
async function writeTriplets(
  dir: string,
  shape: PresetShape,
  seed: number,
  catalog: Catalog,
  progress: Progress,
): Promise<Record<string, UserTruth> | undefined> {
  const plan = planActivity(
    shape,
    catalog.groupSongs.map((g) => g.length),
    new Sfc32(seed, STREAMS.activity),
  );
  const sampler = new PlaySampler(catalog, new Sfc32(seed, STREAMS.plays), shape.maxSongsPerUser);
  const users: Record<string, UserTruth> | undefined = shape.truthLayout === 'json' ? {} : undefined;
  const usersSink = users ? undefined : await TextSink.create(join(dir, DATASET_FILES.truthUsers));
  let written = 0;
  try {
    await withSink(join(dir, DATASET_FILES.triplets), async (sink) => {
      for (let u = 0; u < shape.users; u++) {
        const userId = catalog.ids.userId(u);
        const primary = plan.primary[u] as number;
        const secondary = plan.secondary[u] as number;
        const songs = sampler.songsOf(u, plan.songsPerUser[u] as number, primary, secondary);
        for (const s of songs) {
          if (
            sink.add(
              formatTripletLine({ userId, songId: catalog.songIds[s] as string, count: sampler.playCount() }),
            )
          )
            await sink.flush();
        }
        written += songs.length;
        const truth: UserTruth = { primary, secondary: secondary < 0 ? null : secondary };
        if (users) users[userId] = truth;
        else if (usersSink?.add(`${JSON.stringify({ userId, ...truth })}\n`)) await usersSink.flush();
        progress('triplets', written, shape.triplets);
      }
    });
  } finally {
    await usersSink?.close();
  }
  if (written !== shape.triplets)
    throw new Error(`internal error: wrote ${written} triplets, planned ${shape.triplets}`);
  return users;
}

async function writeTruth(
  dir: string,
  opts: GenerateOptions,
  shape: PresetShape,
  catalog: Catalog,
  lyrics: LyricsModel,
  users: Record<string, UserTruth> | undefined,
): Promise<void> {
  const hasLyrics = new Uint8Array(catalog.songIds.length);
  for (const s of lyrics.lyricSongs) hasLyrics[s] = 1;
  const songTruth = (s: number): SongTruth => ({
    group: catalog.songGroup[s] as number,
    artistId: catalog.artistIds[catalog.songArtist[s] as number] as string,
    trackId: catalog.trackIds[s] as string,
    hasLyrics: hasLyrics[s] === 1,
  });
  const truth: TruthFile = {
    preset: opts.preset,
    seed: opts.seed,
    groups: shape.groups,
    groupTopStems: lyrics.topicStems.map((stems) =>
      Array.from(stems.subarray(0, STRUCTURE.truthTopStems), (i) => lyrics.vocabulary[i] as string),
    ),
    artists: Object.fromEntries(
      catalog.artistIds.map((id, a) => [
        id,
        { name: catalog.artistNames[a] as string, group: catalog.artistGroup[a] as number },
      ]),
    ),
  };
  if (users) {
    truth.songs = Object.fromEntries(catalog.songIds.map((id, s) => [id, songTruth(s)]));
    truth.users = users;
  } else {
    truth.songsFile = DATASET_FILES.truthSongs;
    truth.usersFile = DATASET_FILES.truthUsers;
    await withSink(join(dir, DATASET_FILES.truthSongs), async (sink) => {
      for (let s = 0; s < catalog.songIds.length; s++) {
        if (sink.add(`${JSON.stringify({ songId: catalog.songIds[s], ...songTruth(s) })}\n`))
          await sink.flush();
      }
    });
  }
  await writeFile(join(dir, DATASET_FILES.truth), `${JSON.stringify(truth)}\n`);
}

/**
 * Writes an MSD-format dataset with planted taste groups into `outDir`; the same preset and seed give
 * byte-identical files.
 */
export async function generateDataset(opts: GenerateOptions): Promise<GenerateSummary> {
  const started = performance.now();
  const preset = PRESETS[opts.preset];
  if (preset === undefined) {
    throw new RangeError(`unknown preset '${opts.preset}' (expected ${Object.keys(PRESETS).join(', ')})`);
  }
  const shape: PresetShape = { ...preset, ...opts.overrides };
  validateShape(shape);
  if (!Number.isSafeInteger(opts.seed)) throw new RangeError(`seed must be a safe integer, got ${opts.seed}`);
  const progress = throttle(opts.onProgress);
  const dir = opts.outDir;
  await mkdir(dir, { recursive: true });

  progress('catalog', 0, 1);
  const catalog = buildCatalog(shape, opts.seed);
  const lyricsRng = new Sfc32(opts.seed, STREAMS.lyrics);
  const lyrics = buildLyricsModel(shape, catalog, lyricsRng);
  progress('catalog', 1, 1);

  await writeUniqueTracks(join(dir, DATASET_FILES.uniqueTracks), catalog, progress);
  await writeLyrics(dir, opts, catalog, lyrics, lyricsRng, progress);
  const users = await writeTriplets(dir, shape, opts.seed, catalog, progress);
  progress('truth', 0, 1);
  await writeTruth(dir, opts, shape, catalog, lyrics, users);
  progress('truth', 1, 1);

  const files: Record<string, string> = {};
  for (const [role, name] of Object.entries(DATASET_FILES)) {
    if (shape.truthLayout === 'json' && (role === 'truthSongs' || role === 'truthUsers')) continue;
    files[role] = join(dir, name);
  }
  return {
    files,
    users: shape.users,
    songs: shape.songs,
    triplets: shape.triplets,
    lyricsSongs: shape.lyricsSongs,
    seconds: (performance.now() - started) / 1000,
  };
}

import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Preset } from './presets.config';

export interface SongTruth {
  group: number;
  artistId: string;
  trackId: string;
  hasLyrics: boolean;
}

export interface UserTruth {
  primary: number;
  /** null for users who only have a primary group. */
  secondary: number | null;
}

/**
 * truth.json. With the `json` layout it holds `songs` and `users`; with `jsonl` (msd preset) they are streamed to
 * `songsFile` (`{"songId",...SongTruth}` per line) and `usersFile` (`{"userId",...UserTruth}` per line) instead.
 */
export interface TruthFile {
  preset: Preset;
  seed: number;
  groups: number;
  /** Per group, its highest-weight lyric topic stems. */
  groupTopStems: string[][];
  artists: Record<string, { name: string; group: number }>;
  songs?: Record<string, SongTruth>;
  users?: Record<string, UserTruth>;
  songsFile?: string;
  usersFile?: string;
}

export interface Truth {
  preset: Preset;
  seed: number;
  groups: number;
  groupTopStems: string[][];
  artists: Map<string, { name: string; group: number }>;
  songs: Map<string, SongTruth>;
  users: Map<string, UserTruth>;
}

export const TRUTH_FILE = 'truth.json';

async function readJsonLines<T>(path: string, key: string, into: Map<string, T>): Promise<void> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line === '') continue;
    const { [key]: id, ...rest } = JSON.parse(line) as Record<string, unknown>;
    if (typeof id !== 'string') throw new Error(`${path} line ${lineNo}: no string "${key}"`);
    into.set(id, rest as T);
  }
}

/** Loads the planted truth of a generated dataset, whichever layout it was written in. */
export async function readTruth(dir: string): Promise<Truth> {
  const file = JSON.parse(await readFile(join(dir, TRUTH_FILE), 'utf8')) as TruthFile;
  const songs = new Map(Object.entries(file.songs ?? {}));
  const users = new Map(Object.entries(file.users ?? {}));
  if (file.songsFile !== undefined) await readJsonLines(join(dir, file.songsFile), 'songId', songs);
  if (file.usersFile !== undefined) await readJsonLines(join(dir, file.usersFile), 'userId', users);
  return {
    preset: file.preset,
    seed: file.seed,
    groups: file.groups,
    groupTopStems: file.groupTopStems,
    artists: new Map(Object.entries(file.artists)),
    songs,
    users,
  };
}

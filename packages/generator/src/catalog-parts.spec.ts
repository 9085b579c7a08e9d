import { mkdtempSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planActivity, planSongsPerUser } from './activity.planner';
import { generateDataset } from './dataset.generator';
import { IdForge } from './ids.forge';
import { PRESETS, type PresetShape, validateShape } from './presets.config';
import { Sfc32 } from './sfc32.prng';
import { readTruth } from './truth.io';
import { forgeArtistNames, forgeDistinctWords, forgeTitle, forgeWordsForStems } from './words.forge';

const root = mkdtempSync(join(tmpdir(), 'gen-parts-'));
afterAll(() => rm(root, { recursive: true, force: true }));

describe('planSongsPerUser', () => {
  it.each(Object.entries(PRESETS))(
    '%s: sums to the exact triplet count within the per-user bounds',
    (_, shape) => {
      const plan = planSongsPerUser(shape, new Sfc32(5, 0));
      let total = 0;
      let min = Infinity;
      let max = 0;
      for (const n of plan) {
        total += n;
        min = Math.min(min, n);
        max = Math.max(max, n);
      }
      expect(plan.length).toBe(shape.users);
      expect(total).toBe(shape.triplets);
      expect(min).toBe(shape.minSongsPerUser);
      expect(max).toBeLessThanOrEqual(shape.maxSongsPerUser);
    },
  );

  it('hits the target at the extremes of what the bounds allow', () => {
    const tight = { ...PRESETS.demo, users: 10, triplets: 50, minSongsPerUser: 5, maxSongsPerUser: 5 };
    expect(Array.from(planSongsPerUser(tight, new Sfc32(1, 0)))).toEqual(new Array(10).fill(5));
    const full = { ...tight, triplets: 100, maxSongsPerUser: 10 };
    expect(Array.from(planSongsPerUser(full, new Sfc32(1, 0)))).toEqual(new Array(10).fill(10));
  });

  it('draws secondary groups different from the primary one', () => {
    const plan = planActivity(PRESETS.demo, [300, 300, 300, 300, 300, 300, 300, 400], new Sfc32(2, 0));
    let withSecondary = 0;
    plan.primary.forEach((p, u) => {
      const s = plan.secondary[u] as number;
      if (s >= 0) withSecondary++;
      expect(s).not.toBe(p);
    });
    expect(withSecondary / PRESETS.demo.users).toBeCloseTo(0.25, 1);
  });
});

describe('validateShape', () => {
  it('accepts the presets', () => {
    for (const shape of Object.values(PRESETS)) expect(() => validateShape(shape)).not.toThrow();
  });

  it.each<[Partial<PresetShape>, RegExp]>([
    [{ users: 0 }, /users must be a positive integer/],
    [{ songs: 2.5 }, /songs must be a positive integer/],
    [{ artists: 10_000 }, /need songs >= artists >= groups/],
    [{ groups: 300 }, /need songs >= artists >= groups/],
    [{ lyricsSongs: 3000 }, /3000 lyric songs but only 2500 songs/],
    [{ maxSongsPerUser: 4 }, /need minSongsPerUser <= maxSongsPerUser <= songs/],
    [{ triplets: 1000 }, /1000 triplets cannot be spread over 1500 users with 5..150 songs each/],
    [{ truthLayout: 'xml' as 'json' }, /truthLayout must be json or jsonl/],
  ])('rejects %j', (change, message) => {
    expect(() => validateShape({ ...PRESETS.demo, ...change })).toThrow(message);
  });

  it('is applied to overrides before anything is written', async () => {
    const dir = join(root, 'invalid');
    await expect(
      generateDataset({ preset: 'demo', seed: 1, outDir: dir, overrides: { users: 0 } }),
    ).rejects.toThrow(/invalid dataset shape: users must be a positive integer/);
    await expect(readFile(join(dir, 'train_triplets.txt'))).rejects.toThrow(/ENOENT/);
    await expect(generateDataset({ preset: 'huge' as 'demo', seed: 1, outDir: dir })).rejects.toThrow(
      /unknown preset 'huge'/,
    );
  });
});

describe('IdForge', () => {
  it('issues distinct MSD-shaped ids', () => {
    const ids = new IdForge(new Sfc32(4, 0));
    const songs = Array.from({ length: 100_000 }, (_, i) => ids.msdId('SO', i));
    const tracks = Array.from({ length: 1000 }, (_, i) => ids.msdId('TR', i));
    const users = Array.from({ length: 100_000 }, (_, i) => ids.userId(i));
    expect(new Set(songs).size).toBe(songs.length);
    expect(new Set(users).size).toBe(users.length);
    expect(songs.every((s) => /^SO[A-Z0-9]{16}$/.test(s))).toBe(true);
    expect(tracks.every((t) => /^TR[A-Z0-9]{16}$/.test(t))).toBe(true);
    expect(users.every((u) => /^[0-9a-f]{40}$/.test(u))).toBe(true);
    expect(/^AR[A-Z0-9]{16}$/.test(ids.msdId('AR', 0))).toBe(true);
    // A song and its track must not give their join away through a shared prefix.
    expect(tracks.filter((t, i) => t.slice(2, 7) === songs[i]?.slice(2, 7)).length).toBeLessThan(5);
    expect(() => ids.msdId('SO', 26 ** 5)).toThrow(/outside/);
  });
});

describe('word forging', () => {
  it('makes distinct lowercase stems, distinct words for them, distinct artist names and short titles', () => {
    const rng = new Sfc32(6, 0);
    const stems = forgeDistinctWords(rng, 5000, 1, 2);
    expect(new Set(stems).size).toBe(5000);
    expect(stems.every((s) => /^[a-z]+$/.test(s))).toBe(true);
    const words = forgeWordsForStems(rng, stems);
    expect(new Set(words).size).toBe(5000);
    expect(words.every((w, i) => w.startsWith(stems[i] as string))).toBe(true);
    const names = forgeArtistNames(rng, 3000);
    expect(new Set(names).size).toBe(3000);
    expect(names.every((n) => /^[A-Z][a-z]*( [A-Z][a-z]*)?$|^The [A-Z][a-z]*s$/.test(n))).toBe(true);
    const titles = Array.from({ length: 1000 }, () => forgeTitle(rng, stems));
    expect(titles.every((t) => /^[A-Z][a-z]*( [A-Z][a-z]*){0,3}$/.test(t))).toBe(true);
  });
});

describe('JSON-lines truth (the msd layout), on a small shape', () => {
  it('streams song and user truth to .jsonl files that readTruth loads back', async () => {
    const dir = join(root, 'jsonl');
    const overrides = {
      users: 200,
      songs: 400,
      triplets: 4000,
      artists: 40,
      lyricsSongs: 100,
      truthLayout: 'jsonl' as const,
    };
    const summary = await generateDataset({ preset: 'demo', seed: 3, outDir: dir, overrides });
    expect(Object.keys(summary.files).sort()).toEqual([
      'mxmBow',
      'mxmReverseMapping',
      'triplets',
      'truth',
      'truthSongs',
      'truthUsers',
      'uniqueTracks',
    ]);
    expect(summary).toMatchObject({ users: 200, songs: 400, triplets: 4000, lyricsSongs: 100 });
    const head = JSON.parse(await readFile(summary.files.truth as string, 'utf8')) as Record<string, unknown>;
    expect(head).toMatchObject({ songsFile: 'truth.songs.jsonl', usersFile: 'truth.users.jsonl' });
    expect(head.songs).toBeUndefined();
    const truth = await readTruth(dir);
    expect([truth.songs.size, truth.users.size, truth.groups]).toEqual([400, 200, 8]);
    const firstUser = (await readFile(summary.files.truthUsers as string, 'utf8')).split('\n')[0] as string;
    const user = JSON.parse(firstUser) as { userId: string; primary: number; secondary: number | null };
    expect(user.userId).toMatch(/^[0-9a-f]{40}$/);
    expect(truth.users.get(user.userId)).toEqual({ primary: user.primary, secondary: user.secondary });
  });
});

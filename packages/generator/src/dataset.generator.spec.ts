import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertFormat, openMsdFile } from '@tunegraph/msd-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GenerateSummary, generateDataset } from './dataset.generator';
import { PRESETS } from './presets.config';
import { readTruth, type Truth } from './truth.io';

async function digests(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) {
    out[name] = createHash('sha256')
      .update(await readFile(join(dir, name)))
      .digest('hex');
  }
  return out;
}

describe('generateDataset, demo preset', () => {
  let dir: string;
  let summary: GenerateSummary;
  let truth: Truth;
  const progress: { phase: string; done: number; total: number }[] = [];

  const root = mkdtempSync(join(tmpdir(), 'gen-demo-'));
  afterAll(() => rm(root, { recursive: true, force: true }));

  beforeAll(async () => {
    dir = join(root, 'seed7');
    summary = await generateDataset({
      preset: 'demo',
      seed: 7,
      outDir: dir,
      onProgress: (p) => progress.push(p),
    });
    truth = await readTruth(dir);
  });

  it('writes the files the summary names, with the preset counts', async () => {
    expect(Object.keys(summary.files).sort()).toEqual([
      'mxmBow',
      'mxmReverseMapping',
      'triplets',
      'truth',
      'uniqueTracks',
    ]);
    expect(await readdir(dir)).toEqual(
      expect.arrayContaining(Object.values(summary.files).map((p) => p.slice(dir.length + 1))),
    );
    expect(summary).toMatchObject({ users: 1500, songs: 2500, triplets: 60_000, lyricsSongs: 1500 });
    expect(summary.seconds).toBeGreaterThan(0);
  });

  it('is byte-identical for the same seed and different for another', async () => {
    const again = join(root, 'seed7-again');
    await generateDataset({ preset: 'demo', seed: 7, outDir: again });
    expect(await digests(again)).toEqual(await digests(dir));
    const other = join(root, 'seed8');
    await generateDataset({ preset: 'demo', seed: 8, outDir: other });
    const [a, b] = [await digests(dir), await digests(other)];
    for (const name of Object.keys(a)) expect(b[name], name).not.toBe(a[name]);
  });

  it('reports progress through every phase up to its total', () => {
    const ends = progress.filter((p) => p.done === p.total).map((p) => p.phase);
    expect(ends).toEqual(['catalog', 'unique-tracks', 'lyrics', 'triplets', 'truth']);
    const triplets = progress.filter((p) => p.phase === 'triplets');
    expect(triplets.length).toBeGreaterThan(50);
    expect(triplets.length).toBeLessThanOrEqual(102);
    expect(triplets.every((p, i) => i === 0 || p.done > (triplets[i - 1]?.done ?? 0))).toBe(true);
  });

  it('parses back with msd-formats with zero rejected lines and exact counts', async () => {
    const tracks = await openMsdFile(summary.files.uniqueTracks as string, { format: 'unique-tracks' });
    const songOfTrack = new Map<string, string>();
    for await (const r of tracks.records())
      if (r.kind === 'record') songOfTrack.set(r.value.trackId, r.value.songId);
    expect(tracks.stats()).toEqual({ lines: 2500, records: 2500, rejected: 0, skipped: 0, latin1Lines: 0 });
    expect(new Set(songOfTrack.values()).size).toBe(2500);

    // Detected from the content, then narrowed: the generated files must be recognised without a hint.
    const plays = assertFormat(await openMsdFile(summary.files.triplets as string), 'triplets');
    const pairs = new Set<string>();
    const users = new Set<string>();
    for await (const r of plays.records()) {
      if (r.kind !== 'record') continue;
      pairs.add(`${r.value.userId} ${r.value.songId}`);
      users.add(r.value.userId);
    }
    expect(plays.stats()).toEqual({
      lines: 60_000,
      records: 60_000,
      rejected: 0,
      skipped: 0,
      latin1Lines: 0,
    });
    expect(pairs.size).toBe(60_000);
    expect(users.size).toBe(1500);
    const knownSongs = new Set(songOfTrack.values());
    expect([...pairs].every((p) => knownSongs.has(p.split(' ')[1] as string))).toBe(true);

    const bow = assertFormat(await openMsdFile(summary.files.mxmBow as string), 'mxm-bow');
    let lyricTracks = 0;
    for await (const r of bow.records())
      if (r.kind === 'record' && songOfTrack.has(r.value.trackId)) lyricTracks++;
    expect(bow.stats()).toEqual({ lines: 1504, records: 1500, rejected: 0, skipped: 4, latin1Lines: 0 });
    expect(lyricTracks).toBe(1500);
    expect(bow.info.vocabulary).toHaveLength(5000);

    const mapping = await openMsdFile(summary.files.mxmReverseMapping as string, {
      format: 'mxm-reverse-mapping',
    });
    const stems: string[] = [];
    for await (const r of mapping.records()) if (r.kind === 'record') stems.push(r.value.stem);
    expect(mapping.stats().rejected).toBe(0);
    expect(stems).toEqual(bow.info.vocabulary);
  });

  it('writes rows grouped by user with songs sorted by id, and ids that look like MSD ids', async () => {
    const text = await readFile(summary.files.triplets as string, 'utf8');
    const rows = text
      .trimEnd()
      .split('\n')
      .map((l) => l.split('\t') as [string, string, string]);
    const firstRowOfUser = new Map<string, number>();
    rows.forEach(([u], i) => {
      if (!firstRowOfUser.has(u)) firstRowOfUser.set(u, i);
    });
    // Plain loops: one expect per row would dominate the test's run time.
    const problems: string[] = [];
    rows.forEach(([u, s], i) => {
      const previous = rows[i - 1];
      if (!/^[0-9a-f]{40}$/.test(u) || !/^SO[A-Z0-9]{16}$/.test(s))
        problems.push(`row ${i + 1}: ids ${u} ${s}`);
      if (previous?.[0] === u ? s <= previous[1] : firstRowOfUser.get(u) !== i)
        problems.push(`row ${i + 1}: order`);
    });
    expect(problems).toEqual([]);
    for (const artistId of truth.artists.keys()) expect(artistId).toMatch(/^AR[A-Z0-9]{16}$/);
  });

  it('plants the truth it writes: song groups follow their artists, and every song and user is described', () => {
    expect(truth).toMatchObject({ preset: 'demo', seed: 7, groups: 8 });
    expect(truth.songs.size).toBe(2500);
    expect(truth.users.size).toBe(1500);
    expect(truth.artists.size).toBe(PRESETS.demo.artists);
    for (const song of truth.songs.values()) expect(truth.artists.get(song.artistId)?.group).toBe(song.group);
    expect([...truth.songs.values()].filter((s) => s.hasLyrics)).toHaveLength(1500);
    expect(truth.groupTopStems).toHaveLength(8);
    expect(truth.groupTopStems.every((stems) => stems.length === 20 && new Set(stems).size === 20)).toBe(
      true,
    );
  });
});

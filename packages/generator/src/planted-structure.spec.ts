import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMsdFile } from '@tunegraph/msd-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from './dataset.generator';
import { readTruth, type Truth } from './truth.io';

interface Row {
  userId: string;
  songId: string;
  count: number;
}

describe('planted structure of the demo preset (seed 7)', () => {
  let dir: string;
  let truth: Truth;
  const rows: Row[] = [];
  const bags: { group: number; stems: Set<number> }[] = [];
  let vocabulary: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gen-structure-'));
    await generateDataset({ preset: 'demo', seed: 7, outDir: dir });
    truth = await readTruth(dir);
    for await (const r of (
      await openMsdFile(join(dir, 'train_triplets.txt'), { format: 'triplets' })
    ).records()) {
      if (r.kind === 'record') rows.push(r.value);
    }
    const groupOfTrack = new Map([...truth.songs.values()].map((s) => [s.trackId, s.group]));
    const bow = await openMsdFile(join(dir, 'mxm_dataset.txt'), { format: 'mxm-bow' });
    vocabulary = bow.info.vocabulary ?? [];
    for await (const r of bow.records()) {
      if (r.kind === 'record')
        bags.push({ group: groupOfTrack.get(r.value.trackId) as number, stems: new Set(r.value.stems) });
    }
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  const groupOf = (songId: string) => truth.songs.get(songId)?.group;

  it('puts about three quarters of the plays inside the user’s primary group', () => {
    let rowsInPrimary = 0;
    let inPrimary = 0;
    let inGroups = 0;
    let plays = 0;
    for (const { userId, songId, count } of rows) {
      const user = truth.users.get(userId);
      const g = groupOf(songId);
      plays += count;
      if (g === user?.primary) {
        inPrimary += count;
        rowsInPrimary++;
      }
      if (g === user?.primary || g === user?.secondary) inGroups += count;
    }
    // Planned: 0.8 * (0.75 + 0.25 * 0.8) + 0.2 * (the primary group's share of global popularity) ≈ 0.785;
    // a heavy user's retries that fall back to global popularity take a little off.
    expect(inPrimary / plays).toBeGreaterThanOrEqual(0.7);
    expect(Math.abs(rowsInPrimary / rows.length - 0.773)).toBeLessThan(0.01);
    expect(Math.abs(inPrimary / plays - 0.772)).toBeLessThan(0.01);
    expect(Math.abs(inGroups / plays - 0.835)).toBeLessThan(0.01);
  });

  it('makes activity heavy-tailed within the bounds and play counts average about 2.9', () => {
    const perUser = new Map<string, number>();
    for (const r of rows) perUser.set(r.userId, (perUser.get(r.userId) ?? 0) + 1);
    const sizes = [...perUser.values()].sort((a, b) => a - b);
    const median = sizes[Math.floor(sizes.length / 2)] as number;
    expect(sizes[0]).toBeGreaterThanOrEqual(5);
    expect(sizes.at(-1)).toBeLessThanOrEqual(150);
    expect(60_000 / 1500 / median).toBeGreaterThan(1.3);
    const counts = rows.map((r) => r.count);
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    expect(mean).toBeGreaterThan(2.6);
    expect(mean).toBeLessThan(3.3);
    expect(counts.filter((c) => c === 1).length / counts.length).toBeCloseTo(0.68, 1);
    expect(Math.max(...counts)).toBeGreaterThan(100);
  });

  it('makes song popularity Zipf-like', () => {
    const playsOf = new Map<string, number>();
    for (const r of rows) playsOf.set(r.songId, (playsOf.get(r.songId) ?? 0) + 1);
    const sorted = [...playsOf.values()].sort((a, b) => b - a);
    const share = (n: number) => sorted.slice(0, n).reduce((a, b) => a + b, 0) / rows.length;
    // Least-squares slope of log(listeners) on log(rank) over ranks 10..1000: about -1 for a Zipf(1) law.
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    const ranks = Array.from({ length: 991 }, (_, i) => i + 10);
    for (const r of ranks) {
      const x = Math.log(r);
      const y = Math.log(sorted[r - 1] as number);
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    const slope = (ranks.length * sxy - sx * sy) / (ranks.length * sxx - sx * sx);
    // Measured: the top 1% of songs get 14.8% of the rows, the top 10% 46.8%, slope -0.74 (the group mixture
    // flattens the global Zipf(1) law a little); every one of the 2,500 songs has listeners.
    expect(Math.abs(share(25) - 0.148)).toBeLessThan(0.03);
    expect(Math.abs(share(250) - 0.468)).toBeLessThan(0.03);
    expect(slope).toBeGreaterThan(-1.1);
    expect(slope).toBeLessThan(-0.5);
    expect(sorted.length).toBe(2500);
  });

  it('gives songs of the same group clearly more shared stems than songs of different groups', () => {
    let same = 0;
    let sameN = 0;
    let diff = 0;
    let diffN = 0;
    for (let i = 0; i < bags.length; i++) {
      for (let j = i + 1; j < bags.length; j += 5) {
        const a = bags[i] as (typeof bags)[number];
        const b = bags[j] as (typeof bags)[number];
        let shared = 0;
        for (const s of a.stems) if (b.stems.has(s)) shared++;
        if (a.group === b.group) {
          same += shared;
          sameN++;
        } else {
          diff += shared;
          diffN++;
        }
      }
    }
    expect(same / sameN / (diff / diffN)).toBeGreaterThan(3);
  });

  it('lists top stems that really are frequent in their own group and rare elsewhere', () => {
    const index = new Map(vocabulary.map((w, i) => [w, i]));
    for (let g = 0; g < truth.groups; g++) {
      const top = new Set((truth.groupTopStems[g] ?? []).map((w) => index.get(w) as number));
      const rate = (inGroup: boolean) => {
        const songs = bags.filter((b) => (b.group === g) === inGroup);
        let hits = 0;
        for (const b of songs) for (const s of top) if (b.stems.has(s)) hits++;
        return hits / songs.length;
      };
      expect(rate(true) / rate(false)).toBeGreaterThan(5);
    }
  });
});

import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsrMatrix } from '@tunegraph/als';
import { DATASET_FILES, generateDataset, readTruth, type Truth } from '@tunegraph/generator';
import { popularityRanking } from '@tunegraph/metrics';
import { openMsdFile } from '@tunegraph/msd-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainAutoencoder, type TrainResult } from './autoencoder.trainer';

/**
 * A generated dataset with planted taste groups (4 groups, 600 users, 1,000 songs, 20,000 plays; seed 7): about
 * 77% of each user's plays are songs of their primary group, the rest follow global popularity. A model that
 * recovers the groups recommends mostly from the user's primary group; popularity cannot.
 */
describe('Mult-VAE recovers the planted taste groups of generated data', () => {
  let dir: string;
  let truth: Truth;
  let result: TrainResult;
  let matrix: CsrMatrix;
  let songIds: string[];
  let userIds: string[];
  const share = { model: 0, popularity: 0 };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ae-groups-'));
    const overrides = { users: 600, songs: 1_000, triplets: 20_000, groups: 4, artists: 100, lyricsSongs: 0 };
    await generateDataset({ preset: 'demo', seed: 7, outDir: dir, overrides });
    truth = await readTruth(dir);
    const users = new Map<string, number>();
    const songs = new Map<string, number>();
    const r: number[] = [];
    const c: number[] = [];
    const file = await openMsdFile(join(dir, DATASET_FILES.triplets), { format: 'triplets' });
    for await (const line of file.records()) {
      if (line.kind !== 'record') throw new Error(`generated line ${line.lineNo} rejected: ${line.reason}`);
      r.push(index(users, line.value.userId));
      c.push(index(songs, line.value.songId));
    }
    userIds = [...users.keys()];
    songIds = [...songs.keys()];
    matrix = CsrMatrix.fromCoo(
      users.size,
      songs.size,
      Int32Array.from(r),
      Int32Array.from(c),
      new Float32Array(r.length).fill(1),
    );
    result = await trainAutoencoder(matrix, {
      variant: 'vae',
      hidden: [32, 16],
      epochs: 10,
      batchSize: 50,
      learningRate: 0.005,
      annealSteps: 200,
      seed: 1,
    });
    const ranking = popularityRanking(
      { users: Int32Array.from(r), items: Int32Array.from(c), counts: new Float32Array(r.length) },
      songs.size,
    );
    const recs = result.model.recommendMany(
      userIds.map((_, u) => matrix.row(u).indices),
      10,
    );
    for (let u = 0; u < userIds.length; u++) {
      const primary = truth.users.get(userIds[u])?.primary;
      const seen = new Set(matrix.row(u).indices);
      const popular = Array.from(ranking)
        .filter((i) => !seen.has(i))
        .slice(0, 10);
      share.model +=
        Array.from(recs[u].ids).filter((i) => groupOf(i) === primary).length / 10 / userIds.length;
      share.popularity += popular.filter((i) => groupOf(i) === primary).length / 10 / userIds.length;
    }
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  const groupOf = (item: number): number | undefined => truth.songs.get(songIds[item])?.group;

  it('recommends mostly from the user’s primary group', () => {
    // Measured: 0.814 of the top-10 in the primary group, against 0.118 for popularity (6.9x).
    expect(share.model).toBeGreaterThan(0.75);
    expect(share.model / share.popularity).toBeGreaterThan(5);
  });
});

function index(map: Map<string, number>, id: string): number {
  let i = map.get(id);
  if (i === undefined) map.set(id, (i = map.size));
  return i;
}

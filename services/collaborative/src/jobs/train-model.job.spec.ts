import { AppError, createLogger, type ModelVersionRow } from '@tunegraph/service-kit';
import { insertPlays, startTestDatabase, type TestDatabase } from '@tunegraph/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SONGS_PER_GROUP,
  SONGS_PER_USER,
  USERS_PER_GROUP,
  groupOfSong,
  recordingBus,
  seedCatalog,
  seedPlantedPlays,
  songId,
  userId,
} from '../planted-plays.test-helpers';
import { ModelVersionsRepository } from '../repositories/model-versions.repository';
import { PlaysRepository } from '../repositories/plays.repository';
import { ActiveModelService } from '../services/active-model.service';
import { RecommendationService } from '../services/recommendation.service';
import { trainModelJob } from './train-model.job';

const logger = createLogger('collaborative-test', 'silent');
let db: TestDatabase;
let service: RecommendationService;
const bus = recordingBus();

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

beforeAll(async () => {
  db = await startTestDatabase();
  await seedCatalog(db.sql);
  const plays = new PlaysRepository(db.sql);
  service = new RecommendationService(
    new ActiveModelService(new ModelVersionsRepository(db.sql), plays, logger),
    plays,
  );
});
afterAll(async () => {
  await db?.stop();
});

describe('trainModelJob (als) and recommendations on a planted two-group dataset', () => {
  it('refuses empty and single-user data before creating a version', async () => {
    expect((await errorOf(trainModelJob({ sql: db.sql, bus, logger }, 'als'))).code).toBe('BAD_USER_INPUT');
    await insertPlays(db.sql, [{ user_id: userId('A', 0), song_id: songId('A', 0), count: 3 }]);
    const single = await errorOf(trainModelJob({ sql: db.sql, bus, logger }, 'als'));
    expect(single.code).toBe('BAD_USER_INPUT');
    expect(single.message).toMatch(/1 user/);
    await db.sql`DELETE FROM play_counts`;
    expect(await db.sql`SELECT id FROM model_versions`).toHaveLength(0);
  });

  it('answers MODEL_NOT_READY before any version is active', async () => {
    expect((await errorOf(service.recommend(userId('A', 0), 5))).code).toBe('MODEL_NOT_READY');
  });

  it('trains, records holdout metrics, stores factors and activates the version', async () => {
    await seedPlantedPlays(db.sql);
    // The planted structure has rank 2; 64 factors on 60 users fit each user's random song subset instead
    // (measured: a quarter of the top-4 lists then leak songs of the other group).
    const summary = await trainModelJob({ sql: db.sql, bus, logger }, 'als', { factors: 2 });
    expect(summary).toMatchObject({
      version: 1,
      users: 2 * USERS_PER_GROUP,
      songs: 2 * SONGS_PER_GROUP,
      plays: 2 * USERS_PER_GROUP * SONGS_PER_USER,
    });
    const [version] = await db.sql<ModelVersionRow[]>`SELECT * FROM model_versions WHERE model = 'als'`;
    expect(version).toMatchObject({ status: 'ready', active: true, dim: 2 });
    expect(version.metrics).toEqual(summary.metrics);
    expect(version.params).toMatchObject({
      factors: 2,
      iterations: 15,
      alpha: 10,
      confidence: 'log',
      holdout: { testFraction: 0.2 },
    });
    expect(summary.metrics.evaluatedUsers).toBe(2 * USERS_PER_GROUP);
    // Measured 0.600 / 0.470: the held-out song always ranks among the 5 unplayed songs of the user's group
    // (chance within the group gives about 0.59); a model mixing the groups would give about 0.32.
    expect(summary.metrics.ndcgAt10).toBeGreaterThan(0.58);
    expect(summary.metrics.ndcgAt10).toBeLessThan(0.62);
    expect(summary.metrics.mapAt500).toBeGreaterThan(0.45);
    expect(summary.metrics.mapAt500).toBeLessThan(0.49);
    expect(summary.metrics.recallAt50).toBe(1);
    const [{ songs }] =
      await db.sql`SELECT count(*)::int AS songs FROM song_embeddings WHERE model_version_id = ${version.id}`;
    const [{ users }] =
      await db.sql`SELECT count(*)::int AS users FROM user_embeddings WHERE model_version_id = ${version.id}`;
    expect({ songs, users }).toEqual({ songs: 2 * SONGS_PER_GROUP, users: 2 * USERS_PER_GROUP });
    expect(bus.published).toEqual([
      { topic: 'models.activated', values: [{ model: 'als', version: 1, collection: 'als' }] },
    ]);
  });

  it('recommends unplayed songs of the user own group, each with the played song behind it', async () => {
    const user = userId('A', 3);
    const played = new Set(
      (await db.sql<{ song_id: string }[]>`SELECT song_id FROM plays WHERE user_id = ${user}`).map(
        (r) => r.song_id,
      ),
    );
    const result = await service.recommend(user, 4);
    expect(result.modelVersion).toBe(1);
    expect(result.items).toHaveLength(4);
    for (const item of result.items) {
      expect(groupOfSong(item.songId)).toBe('A');
      expect(played.has(item.songId)).toBe(false);
      expect(played.has(item.becauseOfSongId as string)).toBe(true);
      expect(item.reason).toBe(`because you played ${item.becauseOfSongId}`);
    }
  });

  it('reflects a play stored after training at once: the just-played song disappears', async () => {
    const user = userId('B', 5);
    const [top] = (await service.recommend(user, 3)).items;
    await insertPlays(db.sql, [{ user_id: user, song_id: top.songId, count: 4 }]);
    const after = await service.recommend(user, 3);
    expect(after.items.map((i) => i.songId)).not.toContain(top.songId);
    expect(after.items.every((i) => groupOfSong(i.songId) === 'B')).toBe(true);
  });

  it('gives users without plays the most listened songs', async () => {
    const result = await service.recommend('someone-new', 4);
    expect(result.items).toHaveLength(4);
    expect(result.items.every((i) => i.reason === 'popular')).toBe(true);
    const listeners = result.items.map((i) => i.score);
    expect([...listeners].sort((a, b) => b - a)).toEqual(listeners);
  });

  it('rejects first outside 1..100 as BAD_USER_INPUT', async () => {
    for (const first of [0, 101, 2.5]) {
      expect((await errorOf(service.recommend(userId('A', 1), first))).code).toBe('BAD_USER_INPUT');
    }
  });

  it('refuses absurd hyperparameters and unknown models before creating a version, naming every problem', async () => {
    const deps = { sql: db.sql, bus, logger };
    const bad = await errorOf(trainModelJob(deps, 'als', { factors: 0, alpha: -1, colour: 'red' }));
    expect(bad.code).toBe('BAD_USER_INPUT');
    expect(bad.details).toHaveLength(3);
    expect(bad.message).toMatch(/factors.*alpha|alpha.*factors/);
    expect((await errorOf(trainModelJob(deps, 'itemknn', { alpha: 3 }))).message).toMatch(/alpha/);
    expect((await errorOf(trainModelJob(deps, 'svd'))).message).toMatch(
      /Unknown collaborative model "svd"; known: als, popularity, itemknn, ease, autoencoder/,
    );
    expect(await db.sql`SELECT id FROM model_versions WHERE model <> 'als' OR version > 1`).toHaveLength(0);
  });

  it('keeps the previous version active, and stores nothing of a run that fails mid-way', async () => {
    const deps = { sql: db.sql, bus, logger };
    await trainModelJob(deps, 'ease', { lambda: 5 });
    // 20 songs are more than maxItems 10: EASE refuses inside the run, after the version was opened.
    const err = await errorOf(trainModelJob(deps, 'ease', { maxItems: 10 }));
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.message).toMatch(/20 songs, above maxItems 10/);
    const versions = await db.sql<
      (ModelVersionRow & { error: string })[]
    >`SELECT * FROM model_versions WHERE model = 'ease' ORDER BY version`;
    expect(versions.map((v) => [v.version, v.status, v.active])).toEqual([
      [1, 'ready', true],
      [2, 'failed', false],
    ]);
    expect(versions[1].error).toMatch(/maxItems 10/);
    expect(
      await db.sql`SELECT 1 FROM model_artifacts WHERE model_version_id = ${versions[1].id}`,
    ).toHaveLength(0);
    expect((await service.recommend(userId('A', 2), 2, 'ease')).modelVersion).toBe(1);
    expect((await service.recommend(userId('A', 2), 2)).modelVersion).toBe(1);
  });
});

// The floors sit a little under each model's figure on this split (0.577 and 0.619).
describe.each([
  ['itemknn', {}, 0.55],
  ['ease', { lambda: 5 }, 0.58],
])('trainModelJob (%s) on the planted two-group dataset', (model, params, ndcgFloor) => {
  it('recovers the groups: holdout metrics like ALS, recommendations from the own group explained by a played song', async () => {
    const summary = await trainModelJob({ sql: db.sql, bus, logger }, model, params);
    expect(summary.metrics.recallAt50).toBe(1);
    expect(summary.metrics.ndcgAt10).toBeGreaterThan(ndcgFloor);
    const user = userId('B', 2);
    const played = new Set(
      (await db.sql<{ song_id: string }[]>`SELECT song_id FROM plays WHERE user_id = ${user}`).map(
        (r) => r.song_id,
      ),
    );
    const result = await service.recommend(user, 4, model);
    expect(result.model).toBe(model);
    for (const item of result.items) {
      expect(groupOfSong(item.songId)).toBe('B');
      expect(played.has(item.songId)).toBe(false);
      expect(played.has(item.becauseOfSongId as string)).toBe(true);
    }
  });
});

describe('trainModelJob (popularity)', () => {
  it('serves the most listened unplayed songs, each marked popular', async () => {
    const summary = await trainModelJob({ sql: db.sql, bus, logger }, 'popularity');
    expect(summary.metrics.evaluatedUsers).toBe(2 * USERS_PER_GROUP);
    const result = await service.recommend(userId('A', 1), 3, 'popularity');
    expect(result.items.every((i) => i.reason === 'popular' && i.becauseOfSongId === undefined)).toBe(true);
  });
});

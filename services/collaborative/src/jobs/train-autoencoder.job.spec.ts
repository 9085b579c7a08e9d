import { createLogger, type ModelVersionRow } from '@tunegraph/service-kit';
import { insertPlays, startTestDatabase, type TestDatabase } from '@tunegraph/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  USERS_PER_GROUP,
  groupOfSong,
  recordingBus,
  seedCatalog,
  seedPlantedPlays,
  userId,
} from '../planted-plays.test-helpers';
import { ModelVersionsRepository } from '../repositories/model-versions.repository';
import { PlaysRepository } from '../repositories/plays.repository';
import { ActiveModelService } from '../services/active-model.service';
import { RecommendationService } from '../services/recommendation.service';
import { trainModelJob } from './train-model.job';

const logger = createLogger('collaborative-test', 'silent');
const bus = recordingBus();
let db: TestDatabase;
let service: RecommendationService;

beforeAll(async () => {
  db = await startTestDatabase();
  await seedCatalog(db.sql);
  await seedPlantedPlays(db.sql);
  const plays = new PlaysRepository(db.sql);
  service = new RecommendationService(
    new ActiveModelService(new ModelVersionsRepository(db.sql), plays, logger),
    plays,
  );
});
afterAll(async () => {
  await db?.stop();
});

/** A network small enough for 60 users and 20 songs; early stopping on the kind's own validation holdout. */
const PARAMS = {
  hidden: [12, 6],
  epochs: 30,
  batchSize: 16,
  learningRate: 0.02,
  minItemUsers: 1,
  patience: 5,
};

describe('trainModelJob (autoencoder) on the planted two-group dataset', () => {
  it('trains a version with holdout metrics, stores its bytes and activates it', async () => {
    const summary = await trainModelJob({ sql: db.sql, bus, logger }, 'autoencoder', PARAMS);
    expect(summary.metrics.evaluatedUsers).toBe(2 * USERS_PER_GROUP);
    // The held-out song is one of the 5 unplayed songs of the user's group: within-group chance gives about 0.59.
    expect(summary.metrics.recallAt50).toBe(1);
    expect(summary.metrics.ndcgAt10).toBeGreaterThan(0.55);
    const [version] = await db.sql<
      ModelVersionRow[]
    >`SELECT * FROM model_versions WHERE model = 'autoencoder'`;
    expect(version).toMatchObject({ status: 'ready', active: true });
    expect(version.params).toMatchObject({ variant: 'vae', hidden: [12, 6], earlyStopping: true });
    const [artifact] = await db.sql<{ bytes: number }[]>`
      SELECT octet_length(artifact)::int AS bytes FROM model_artifacts WHERE model_version_id = ${version.id}`;
    expect(artifact.bytes).toBeGreaterThan(1000);
  });

  it('recommends unplayed songs of the user’s own group with model AUTOENCODER, each explained by a played song', async () => {
    const user = userId('A', 4);
    const played = new Set(
      (await db.sql<{ song_id: string }[]>`SELECT song_id FROM plays WHERE user_id = ${user}`).map(
        (r) => r.song_id,
      ),
    );
    const result = await service.recommend(user, 4, 'autoencoder');
    expect(result.model).toBe('autoencoder');
    expect(result.items).toHaveLength(4);
    for (const item of result.items) {
      expect(groupOfSong(item.songId)).toBe('A');
      expect(played.has(item.songId)).toBe(false);
      expect(played.has(item.becauseOfSongId as string)).toBe(true);
    }
  });

  it('folds in a play stored after training: the just-played song disappears, the rest stays in the group', async () => {
    const user = userId('B', 1);
    const [top] = (await service.recommend(user, 3, 'autoencoder')).items;
    await insertPlays(db.sql, [{ user_id: user, song_id: top.songId, count: 2 }]);
    const after = await service.recommend(user, 3, 'autoencoder');
    expect(after.items.map((i) => i.songId)).not.toContain(top.songId);
    expect(after.items.every((i) => groupOfSong(i.songId) === 'B')).toBe(true);
  });
});

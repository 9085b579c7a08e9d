import { reportMarkdown } from '@tunegraph/metrics';
import { AppError, createLogger } from '@tunegraph/service-kit';
import { startTestDatabase, type TestDatabase } from '@tunegraph/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USERS_PER_GROUP, seedCatalog, seedPlantedPlays } from '../planted-plays.test-helpers';
import { evaluateModels } from './evaluate-models.job';

const logger = createLogger('collaborative-test', 'silent');
let db: TestDatabase;

beforeAll(async () => {
  db = await startTestDatabase();
  await seedCatalog(db.sql);
});
afterAll(async () => {
  await db?.stop();
});

describe('evaluateModels', () => {
  it('refuses an empty plays table and an unknown split', async () => {
    await expect(evaluateModels({ sql: db.sql, logger })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringMatching(/empty/),
    });
    const err = await evaluateModels({ sql: db.sql, logger }, { split: 'random' as 'holdout' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(
      /Unknown split "random"; known: holdout, msd-challenge, strong/,
    );
  });

  it('scores every registered kind on one MSD-Challenge split; personal models beat popularity on planted groups', async () => {
    await seedPlantedPlays(db.sql);
    const report = await evaluateModels(
      { sql: db.sql, logger },
      { split: 'msd-challenge', testUsers: 20, k: [5], params: { als: { factors: 2 } } },
    );
    expect(report.split).toMatchObject({ name: 'msd-challenge', testUsers: 20, numItems: 20 });
    expect(report.models.map((m) => m.name)).toEqual(['als', 'popularity', 'itemknn', 'ease', 'autoencoder']);
    const ndcg = Object.fromEntries(report.models.map((m) => [m.name, m.result.ndcg[5]]));
    for (const model of ['als', 'itemknn', 'ease'])
      expect(ndcg[model], model).toBeGreaterThan(1.3 * ndcg.popularity);
    expect(report.models.every((m) => m.result.users === 20)).toBe(true);
    expect(reportMarkdown(report)).toContain('| itemknn |');
    expect(report.split.trainPlays).toBeLessThan(2 * USERS_PER_GROUP * 6);
  });

  it('lists a kind that cannot run on the split as skipped, with the reason', async () => {
    const report = await evaluateModels(
      { sql: db.sql, logger },
      { models: ['popularity', 'ease'], params: { ease: { maxItems: 10 } } },
    );
    expect(report.models.map((m) => m.name)).toEqual(['popularity']);
    expect(report.skipped).toEqual([
      { name: 'ease', reason: expect.stringMatching(/20 songs, above maxItems 10/) },
    ]);
  });
});

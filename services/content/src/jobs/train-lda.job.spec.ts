import { AppError, createLogger, fromVectorLiteral } from '@tunegraph/service-kit';
import { startTestDatabase, type TestDatabase } from '@tunegraph/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SONGS, recordingBus, seedCatalogAndStems, seedLyrics } from '../lyrics-fixture.test-helpers';
import { SongVectorsRepository } from '../repositories/song-vectors.repository';
import { ActiveModelsService } from '../services/active-models.service';
import { TopicsService } from '../services/topics.service';
import { trainLdaJob } from './train-lda.job';

const logger = createLogger('content-test', 'silent');
const bus = recordingBus();
let db: TestDatabase;
let topics: TopicsService;

beforeAll(async () => {
  db = await startTestDatabase();
  await seedCatalogAndStems(db.sql);
  const repo = new SongVectorsRepository(db.sql);
  topics = new TopicsService(repo, new ActiveModelsService(repo));
});
afterAll(async () => {
  await db?.stop();
});

describe('trainLdaJob and Song.topics', () => {
  it('refuses without lyrics or with absurd topic counts, creating no version', async () => {
    await expect(trainLdaJob({ sql: db.sql, bus, logger })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(trainLdaJob({ sql: db.sql, bus, logger }, { topics: 1 })).rejects.toBeInstanceOf(AppError);
    expect(await db.sql`SELECT id FROM model_versions`).toHaveLength(0);
    await expect(topics.topics(SONGS.ballad, 2)).rejects.toMatchObject({ code: 'MODEL_NOT_READY' });
  });

  it('stores a topic mixture per song with lyrics, activates the version and announces it', async () => {
    await seedLyrics(db.sql);
    const summary = await trainLdaJob(
      { sql: db.sql, bus, logger },
      { topics: 2, passes: 20, batchSize: 4, seed: 3 },
    );
    expect(summary).toMatchObject({ version: 1, topics: 2, songs: 3, heldOutPerplexity: null });
    const rows = await db.sql<{ song_id: string; embedding: string }[]>`
      SELECT song_id, embedding::text AS embedding FROM song_embeddings e
      JOIN model_versions v ON v.id = e.model_version_id WHERE v.model = 'lda' AND v.active ORDER BY song_id`;
    expect(rows.map((r) => r.song_id)).toEqual([SONGS.ballad, SONGS.crime, SONGS.lullaby].sort());
    for (const r of rows) {
      const mix = fromVectorLiteral(r.embedding);
      expect(mix).toHaveLength(2);
      expect(mix[0] + mix[1]).toBeCloseTo(1, 4);
    }
    expect(bus.published.some((p) => JSON.stringify(p.values).includes('"model":"lda"'))).toBe(true);
  });

  it('shows a song’s topics with readable words, and nothing for a song without lyrics', async () => {
    const ballad = await topics.topics(SONGS.ballad, 2);
    expect(ballad).toHaveLength(2);
    expect(ballad[0].weight).toBeGreaterThanOrEqual(ballad[1].weight);
    expect(ballad.flatMap((t) => t.words)).toContain('love');
    expect(await topics.topics(SONGS.silent, 2)).toEqual([]);
    await expect(topics.topics('SOUNKNOWN000000000', 2)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(topics.topics(SONGS.ballad, 0)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});

import { AppError, createLogger, fromSparseLiteral, type ModelVersionRow } from '@tunegraph/service-kit';
import { startTestDatabase, type TestDatabase } from '@tunegraph/service-kit/testing';
import { TfidfModel } from '@tunegraph/tfidf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SONGS, recordingBus, seedCatalogAndStems, seedLyrics } from '../lyrics-fixture.test-helpers';
import { SongVectorsRepository } from '../repositories/song-vectors.repository';
import { ActiveModelsService } from '../services/active-models.service';
import { ContentService } from '../services/content.service';
import { SimilarityReasonsService } from '../services/similarity-reasons.service';
import { trainTfidfJob } from './train-tfidf.job';

const logger = createLogger('content-test', 'silent');
const bus = recordingBus();
let db: TestDatabase;
let content: ContentService;
let reasons: SimilarityReasonsService;

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
  await seedCatalogAndStems(db.sql);
  const repo = new SongVectorsRepository(db.sql);
  const models = new ActiveModelsService(repo);
  content = new ContentService(repo, models);
  reasons = new SimilarityReasonsService(repo, models);
});
afterAll(async () => {
  await db?.stop();
});

describe('trainTfidfJob and the content use cases on a small lyric catalogue', () => {
  it('refuses to train without lyrics, before creating a version', async () => {
    expect((await errorOf(trainTfidfJob({ sql: db.sql, bus, logger }))).code).toBe('BAD_USER_INPUT');
    expect(await db.sql`SELECT id FROM model_versions`).toHaveLength(0);
  });

  it('answers MODEL_NOT_READY before any version is active', async () => {
    expect((await errorOf(content.topWords(SONGS.ballad, 3))).code).toBe('MODEL_NOT_READY');
  });

  it('stores one unit-length sparse vector per song with lyrics, the idf artifact, and activates the version', async () => {
    await seedLyrics(db.sql);
    const summary = await trainTfidfJob({ sql: db.sql, bus, logger });
    expect(summary).toMatchObject({
      version: 1,
      songs: 3,
      vocabularySize: 10,
      termsUsed: 9,
      unmappedTracks: 1,
    });
    // ballad 4 terms, lullaby 4, crime 5
    expect(summary.meanNonZeros).toBeCloseTo(13 / 3, 6);
    const [version] = await db.sql<ModelVersionRow[]>`SELECT * FROM model_versions`;
    expect(version).toMatchObject({ status: 'ready', active: true, dim: 10 });
    const rows = await db.sql<{ song_id: string; embedding: string }[]>`
      SELECT song_id, embedding::text AS embedding FROM song_sparse_embeddings WHERE model_version_id = ${version.id}
      ORDER BY song_id`;
    expect(rows.map((r) => r.song_id)).toEqual([SONGS.ballad, SONGS.crime, SONGS.lullaby]);
    for (const r of rows) {
      const { weights, dim } = fromSparseLiteral(r.embedding);
      expect(dim).toBe(10);
      expect(Math.hypot(...weights)).toBeCloseTo(1, 5);
    }
    const [{ artifact }] = await db.sql<{ artifact: Buffer }[]>`
      SELECT artifact FROM model_artifacts WHERE model_version_id = ${version.id}`;
    const model = TfidfModel.fromBuffer(artifact);
    // The stored model reproduces the stored vector: ballad = both tracks summed (love 8, heart 2, baby 4, the 5).
    const ballad = model.transform({ terms: [0, 1, 2, 8], counts: [8, 2, 4, 5] });
    const stored = fromSparseLiteral(rows[0].embedding);
    expect(Array.from(stored.terms)).toEqual([0, 1, 2, 8]);
    stored.weights.forEach((w, i) => expect(w).toBeCloseTo(ballad.weights[i], 5));
    expect(bus.published).toEqual([
      { topic: 'models.activated', values: [{ model: 'tfidf', version: 1, collection: 'tfidf' }] },
    ]);
  });

  it('lists a song top words by TF-IDF weight, as readable words or else the stem', async () => {
    // weight = (1 + ln tf) · (ln(4 / (1 + df)) + 1): ballad baby 4.04, love 3.97, the 2.61, heart 2.18.
    expect(await content.topWords(SONGS.ballad, 3)).toEqual(['baby', 'love', 'the']);
    // crime: money 4.42, gun 3.55, street 2.87, the 2.79, danc 1.69 (no readable word: shown as its stem).
    expect(await content.topWords(SONGS.crime, 5)).toEqual(['money', 'gun', 'street', 'the', 'danc']);
    expect(await content.topWords(SONGS.silent, 5)).toEqual([]);
  });

  it('explains similarity by the shared words that weigh most in both songs', async () => {
    // ballad · lullaby products: love 3.97·2.70, the 2.61·2.39, heart 2.18·2.70; night is the lullaby's only.
    const items = await reasons.explain(SONGS.ballad, [SONGS.lullaby, SONGS.crime, SONGS.silent], 5);
    expect(items).toEqual([
      { songId: SONGS.lullaby, words: ['love', 'the', 'heart'], reason: 'shared words: love, the, heart' },
      { songId: SONGS.crime, words: ['the'], reason: 'shared words: the' },
      { songId: SONGS.silent, words: [], reason: '' },
    ]);
  });

  it('reports unknown songs as NOT_FOUND and a bad first as BAD_USER_INPUT', async () => {
    expect((await errorOf(content.topWords('SONOTHERE00000000A', 3))).code).toBe('NOT_FOUND');
    expect((await errorOf(reasons.explain('SONOTHERE00000000A', [SONGS.ballad], 3))).code).toBe('NOT_FOUND');
    for (const first of [0, 101, 1.5]) {
      expect((await errorOf(content.topWords(SONGS.ballad, first))).code).toBe('BAD_USER_INPUT');
    }
    expect((await errorOf(reasons.explain(SONGS.ballad, [SONGS.crime], 51))).code).toBe('BAD_USER_INPUT');
    expect((await errorOf(reasons.explain(SONGS.ballad, [SONGS.crime], 3, 'bm25'))).code).toBe(
      'BAD_USER_INPUT',
    );
    // 0 is proto3's unset value: the default of 5 shared words.
    expect((await reasons.explain(SONGS.ballad, [SONGS.lullaby], 0))[0].words).toEqual([
      'love',
      'the',
      'heart',
    ]);
  });
});

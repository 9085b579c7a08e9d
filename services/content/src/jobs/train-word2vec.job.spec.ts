import { createLogger, fromVectorLiteral, type ModelVersionRow } from '@tunegraph/service-kit';
import { startTestDatabase, type TestDatabase } from '@tunegraph/service-kit/testing';
import { LyricEmbedding } from '@tunegraph/word2vec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SONGS, recordingBus, seedCatalogAndStems, seedLyrics } from '../lyrics-fixture.test-helpers';
import { SongVectorsRepository } from '../repositories/song-vectors.repository';
import { ActiveModelsService } from '../services/active-models.service';
import { ColdStartService } from '../services/cold-start.service';
import { ContentService } from '../services/content.service';
import { SimilarityReasonsService } from '../services/similarity-reasons.service';
import { trainLdaJob } from './train-lda.job';
import { trainTfidfJob } from './train-tfidf.job';
import { trainWord2VecJob } from './train-word2vec.job';

const logger = createLogger('content-test', 'silent');
const bus = recordingBus();
const SMALL = { dim: 8, minCount: 1, epochs: 20, subsample: 0, seed: 3 };
let db: TestDatabase;
let models: ActiveModelsService;
let content: ContentService;
let reasons: SimilarityReasonsService;

beforeAll(async () => {
  db = await startTestDatabase();
  await seedCatalogAndStems(db.sql);
  const repo = new SongVectorsRepository(db.sql);
  models = new ActiveModelsService(repo);
  content = new ContentService(repo, models);
  reasons = new SimilarityReasonsService(repo, models);
});
afterAll(async () => {
  await db?.stop();
});

async function activeVectors(model: string): Promise<Map<string, string>> {
  const rows = await db.sql<{ song_id: string; embedding: string }[]>`
    SELECT e.song_id, e.embedding::text AS embedding
    FROM song_embeddings e JOIN model_versions v ON v.id = e.model_version_id AND v.active AND v.model = ${model}
    UNION ALL
    SELECT e.song_id, e.embedding::text FROM song_sparse_embeddings e
    JOIN model_versions v ON v.id = e.model_version_id AND v.active AND v.model = ${model}`;
  return new Map(rows.map((r) => [r.song_id, r.embedding]));
}

describe('trainWord2VecJob, wordNeighbours and the lyric reasons', () => {
  it('refuses without lyrics or with absurd options, creating no usable version', async () => {
    await expect(trainWord2VecJob({ sql: db.sql, bus, logger })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    await seedLyrics(db.sql);
    await expect(trainWord2VecJob({ sql: db.sql, bus, logger }, { dim: 0 })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    expect(await db.sql`SELECT id FROM model_versions WHERE status <> 'failed'`).toHaveLength(0);
    await expect(content.wordNeighbours('love', 3)).rejects.toMatchObject({ code: 'MODEL_NOT_READY' });
  });

  it('stores word vectors with their idf and an idf-weighted song vector per song, then activates', async () => {
    const summary = await trainWord2VecJob({ sql: db.sql, bus, logger }, SMALL);
    expect(summary).toMatchObject({ songs: 3, wordsWithVectors: 9 });
    const [version] = await db.sql<
      ModelVersionRow[]
    >`SELECT * FROM model_versions WHERE model = 'word2vec' AND active`;
    expect(version).toMatchObject({ status: 'ready', dim: 8, version: summary.version });
    const [{ artifact }] = await db.sql<
      { artifact: Buffer }[]
    >`SELECT artifact FROM model_artifacts WHERE model_version_id = ${version.id}`;
    const embedding = LyricEmbedding.fromBuffer(artifact);
    const vectors = await activeVectors('word2vec');
    expect([...vectors.keys()].sort()).toEqual([SONGS.ballad, SONGS.crime, SONGS.lullaby].sort());
    // The lullaby's bag (love 3, heart 3, night 2, the 4) gives back its stored vector.
    const lullaby = embedding.songVector({ terms: [0, 1, 3, 8], counts: [3, 3, 2, 4] });
    fromVectorLiteral(vectors.get(SONGS.lullaby)!).forEach((x, i) => expect(x).toBeCloseTo(lullaby[i], 5));
    const [index] =
      await db.sql`SELECT indexname FROM pg_indexes WHERE indexname = ${`song_embeddings_hnsw_v${version.id}`}`;
    expect(index).toBeDefined();
    expect(bus.published.at(-1)).toEqual({
      topic: 'models.activated',
      values: [{ model: 'word2vec', version: summary.version, collection: 'word2vec' }],
    });
  });

  it('lists a word’s neighbours by cosine, by readable word or stem', async () => {
    const love = await content.wordNeighbours('love', 3);
    expect(love).toHaveLength(3);
    expect(love[0].score).toBeGreaterThanOrEqual(love[2].score);
    expect(love.map((n) => n.word)).not.toContain('love');
    expect(await content.wordNeighbours('danc', 2)).toHaveLength(2);
    // "unused" is a stem no song has: it has no vector.
    expect(await content.wordNeighbours('unused', 2)).toEqual([]);
    await expect(content.wordNeighbours('zzz', 2)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(content.wordNeighbours('love', 0)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('explains Word2Vec similarity by word pairs and LDA similarity by shared topics', async () => {
    const w2v = await reasons.explain(SONGS.ballad, [SONGS.lullaby, SONGS.silent], 3, 'word2vec');
    expect(w2v[0].words).toHaveLength(3);
    expect(w2v[0].reason).toBe(`related words: ${w2v[0].words.join(', ')}`);
    expect(w2v[1]).toEqual({ songId: SONGS.silent, words: [], reason: '' });
    await expect(reasons.explain(SONGS.ballad, [SONGS.lullaby], 3, 'lda')).rejects.toMatchObject({
      code: 'MODEL_NOT_READY',
    });

    await trainLdaJob({ sql: db.sql, bus, logger }, { topics: 2, passes: 20, batchSize: 4, seed: 3 });
    const [lda] = await reasons.explain(SONGS.ballad, [SONGS.lullaby], 3, 'lda');
    expect(lda.words.length).toBeGreaterThanOrEqual(3);
    expect(lda.words.length % 3).toBe(0);
    expect(lda.reason).toMatch(/^shared topics: /);
  });

  it('gives a song whose lyrics arrive later vectors from every active model, equal to the trained ones', async () => {
    await trainTfidfJob({ sql: db.sql, bus, logger });
    await db.sql`INSERT INTO songs (id, title, artist_id) VALUES ('SOLATECOMER00000A', 'late', 'ARLYRICS000000000')`;
    await db.sql`INSERT INTO tracks (id, song_id) VALUES ('TRLATECOMER0000A1', 'SOLATECOMER00000A')`;
    // The same bag as the lullaby.
    await db.sql`
      INSERT INTO lyrics (track_id, stem_idx, count)
      SELECT 'TRLATECOMER0000A1', stem_idx, count FROM lyrics WHERE track_id = 'TRLULLABY0000000A1'`;
    const coldStart = new ColdStartService(db.sql, bus, models, logger);
    bus.published.length = 0;
    expect(await coldStart.embed(['SOLATECOMER00000A', 'SONOLYRICS0000000'])).toEqual({
      songs: 1,
      tfidf: 1,
      lda: 1,
      word2vec: 1,
    });
    for (const model of ['tfidf', 'lda', 'word2vec']) {
      const vectors = await activeVectors(model);
      expect(vectors.get('SOLATECOMER00000A'), model).toBe(vectors.get(SONGS.lullaby));
    }
    // The dense ones are announced for the lsh service, with the version they were written into.
    const versionIds = new Map(
      (
        await db.sql<{ model: string; id: number }[]>`
        SELECT model, id FROM model_versions WHERE active`
      ).map((r) => [r.model, r.id]),
    );
    expect(bus.published).toEqual(
      ['lda', 'word2vec'].map((collection) => ({
        topic: 'vectors.stored',
        values: [{ collection, versionId: versionIds.get(collection), songIds: ['SOLATECOMER00000A'] }],
      })),
    );
  });
});

import { createLogger, fromVectorLiteral } from '@tunegraph/service-kit';
import { startTestDatabase, type TestDatabase } from '@tunegraph/service-kit/testing';
import { cosine } from '@tunegraph/vectors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupOfSong, recordingBus, seedCatalog, seedPlantedPlays } from '../planted-plays.test-helpers';
import { trainItem2VecJob } from './train-item2vec.job';

const logger = createLogger('collaborative-test', 'silent');
let db: TestDatabase;

beforeAll(async () => {
  db = await startTestDatabase();
  await seedCatalog(db.sql);
});
afterAll(async () => {
  await db?.stop();
});

describe('trainItem2VecJob', () => {
  it('refuses to train without plays, creating no version', async () => {
    await expect(trainItem2VecJob({ sql: db.sql, bus: recordingBus(), logger })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    expect(await db.sql`SELECT id FROM model_versions`).toHaveLength(0);
  });

  it('embeds songs so that songs of the same taste group are closer, and activates the version', async () => {
    await seedPlantedPlays(db.sql);
    const bus = recordingBus();
    const summary = await trainItem2VecJob(
      { sql: db.sql, bus, logger },
      { dim: 8, epochs: 30, minCount: 1, subsample: 0, seed: 3 },
    );
    expect(summary).toMatchObject({ version: 1, songs: 20, songsWithVectors: 20 });
    const rows = await db.sql<{ song_id: string; embedding: string }[]>`
      SELECT e.song_id, e.embedding::text AS embedding FROM song_embeddings e
      JOIN model_versions v ON v.id = e.model_version_id WHERE v.model = 'item2vec' AND v.active`;
    const vectors = rows.map((r) => ({ group: groupOfSong(r.song_id), v: fromVectorLiteral(r.embedding) }));
    let same = 0;
    let sameN = 0;
    let other = 0;
    let otherN = 0;
    for (const a of vectors) {
      for (const b of vectors) {
        if (a === b) continue;
        const c = cosine(a.v, b.v);
        if (a.group === b.group) {
          same += c;
          sameN++;
        } else {
          other += c;
          otherN++;
        }
      }
    }
    expect(same / sameN).toBeGreaterThan(other / otherN + 0.3);
    expect(bus.published.some((p) => JSON.stringify(p.values).includes('"model":"item2vec"'))).toBe(true);
  });
});

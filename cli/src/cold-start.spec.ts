import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMxmHeader, formatMxmRecord, openMsdFile, type LyricsBow } from '@tunegraph/msd-formats';
import { msdDataDir } from '@tunegraph/msd-formats/testing';
import { ingestFiles } from '@tunegraph/ingestion-service';
import { trainLdaJob, trainTfidfJob, trainWord2VecJob } from '@tunegraph/content-service';
import { createEventBus, createLogger, type EventBus } from '@tunegraph/service-kit';
import {
  freePort,
  startTestDatabase,
  testTopicPrefix,
  type TestDatabase,
} from '@tunegraph/service-kit/testing';

/*
 * Cold start through the real path: lyrics ingested after the content models were trained are announced on
 * lyrics.stored (Kafka when KAFKA_BROKERS is set, else the embedded log), and the running content service gives the
 * new songs TF-IDF, LDA and Word2Vec vectors in the active versions, without retraining.
 */
const CONTENT_MAIN = path.resolve(__dirname, '../../services/content/dist/main.js');
const logger = createLogger('cold-start-test', 'silent');
const MODELS = ['tfidf', 'lda', 'word2vec'] as const;

describe('a song whose lyrics arrive after training', () => {
  let db: TestDatabase;
  let bus: EventBus;
  let content: ChildProcess;
  let graphqlUrl: string;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cold-start-'));
  const prefix = testTopicPrefix();
  const env = { KAFKA_TOPIC_PREFIX: prefix, TUNEGRAPH_HOME: home };
  let original: LyricsBow;

  beforeAll(async () => {
    db = await startTestDatabase();
    bus = createEventBus({
      brokers: process.env.KAFKA_BROKERS?.split(',').filter(Boolean),
      clientId: 'cold-start-test',
      topicPrefix: prefix,
      home,
      logger,
    });
    const lyrics = path.join(msdDataDir(), 'lyrics');
    await ingestFiles({ sql: db.sql, logger, bus }, [
      path.join(lyrics, 'mxm_dataset_train.head.txt'),
      path.join(lyrics, 'mxm_reverse_mapping.txt'),
    ]);
    const deps = { sql: db.sql, bus, logger };
    await trainTfidfJob(deps);
    await trainLdaJob(deps, { topics: 5, passes: 5, batchSize: 32 });
    await trainWord2VecJob(deps, { dim: 16, minCount: 2, epochs: 10 });

    const [httpPort, grpcPort] = [await freePort(), await freePort()];
    content = spawn(process.execPath, [CONTENT_MAIN], {
      env: {
        ...process.env,
        ...env,
        DATABASE_URL: db.url,
        HTTP_PORT: String(httpPort),
        GRPC_PORT: String(grpcPort),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    graphqlUrl = `http://127.0.0.1:${httpPort}/graphql`;
    for (let i = 0; i < 300; i++) {
      const up = await fetch(`http://127.0.0.1:${httpPort}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      await new Promise((r) => setTimeout(r, 200));
    }

    // The new file: a copy of a trained song's lyrics under a new track id, so its nearest neighbour is known.
    const file = await openMsdFile(path.join(lyrics, 'mxm_dataset_train.head.txt'), { format: 'mxm-bow' });
    for await (const parsed of file.records()) {
      if (parsed.kind === 'record' && parsed.value.stems.length > 40) {
        original = parsed.value;
        break;
      }
    }
    const copy = { ...original, trackId: 'TRCOLDSTART0000001', mxmTrackId: 1 };
    fs.writeFileSync(
      path.join(home, 'new-lyrics.txt'),
      formatMxmHeader(file.info.vocabulary ?? []) + formatMxmRecord(copy),
    );
  }, 300_000);

  afterAll(async () => {
    content?.kill('SIGTERM');
    await bus?.close();
    await db?.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('gets vectors from every active content model and finds its twin as the nearest song', async () => {
    const summary = await ingestFiles({ sql: db.sql, logger, bus }, [path.join(home, 'new-lyrics.txt')]);
    expect(summary.files[0]).toMatchObject({ status: 'loaded', records: 1 });

    const vectorsOfNewSong = async () => {
      const [row] = await db.sql<{ n: number }[]>`
        SELECT (SELECT count(*) FROM song_embeddings e JOIN model_versions v ON v.id = e.model_version_id
                WHERE v.active AND e.song_id = 'TRCOLDSTART0000001')
             + (SELECT count(*) FROM song_sparse_embeddings e JOIN model_versions v ON v.id = e.model_version_id
                WHERE v.active AND e.song_id = 'TRCOLDSTART0000001') AS n`;
      return Number(row.n);
    };
    for (let i = 0; i < 300 && (await vectorsOfNewSong()) < 3; i++)
      await new Promise((r) => setTimeout(r, 200));
    expect(await vectorsOfNewSong()).toBe(3);

    const [twin] = await db.sql<
      { song_id: string }[]
    >`SELECT song_id FROM tracks WHERE id = ${original.trackId}`;
    for (const model of MODELS) {
      const table = model === 'tfidf' ? 'song_sparse_embeddings' : 'song_embeddings';
      const nearest = await db.sql<{ song_id: string; distance: number }[]>`
        SELECT e.song_id, e.embedding <=> q.embedding AS distance
        FROM ${db.sql(table)} e
        JOIN model_versions v ON v.id = e.model_version_id AND v.active AND v.model = ${model}
        JOIN ${db.sql(table)} q ON q.model_version_id = v.id AND q.song_id = 'TRCOLDSTART0000001'
        WHERE e.song_id <> 'TRCOLDSTART0000001'
        ORDER BY distance LIMIT 1`;
      expect(nearest[0].song_id, model).toBe(twin.song_id);
      expect(nearest[0].distance, model).toBeLessThan(1e-4);
    }

    const res = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Song { id topWords(first: 5) topics(first: 1) { topic } } } }`,
        variables: {
          reps: [
            { __typename: 'Song', id: 'TRCOLDSTART0000001' },
            { __typename: 'Song', id: twin.song_id },
          ],
        },
      }),
    });
    const body = (await res.json()) as {
      data: { _entities: { topWords: string[]; topics: { topic: number }[] }[] };
    };
    const [fresh, old] = body.data._entities;
    expect(fresh.topWords).toHaveLength(5);
    expect(fresh.topWords).toEqual(old.topWords);
    expect(fresh.topics).toEqual(old.topics);
  }, 120_000);
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { TOPICS, type PlayEvent } from '@tunegraph/contracts';
import { testTopicPrefix } from '../testing/test-database';
import type { EventBus, IncomingMessage, RawMessage } from './event-bus';
import { createEventBus } from './event-bus.factory';

/** Runs on the real Kafka broker when KAFKA_BROKERS is set (CI), else on the embedded durable log. */
const logger = pino({ level: 'silent' });
const buses: EventBus[] = [];

function newBus(prefix: string, home: string) {
  const bus = createEventBus({
    brokers: process.env.KAFKA_BROKERS?.split(','),
    clientId: 'event-bus-spec',
    topicPrefix: prefix,
    home,
    logger,
  });
  buses.push(bus);
  return bus;
}

const play = (i: number, user = `user-${i % 3}`): PlayEvent => ({
  eventId: `e-${i}`,
  userId: user,
  songId: 'SOAAAAAAAAAAAAAAAA',
  count: 1 + (i % 5),
  timestampMs: 1_700_000_000_000 + i,
  source: 'test',
});

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`condition not met in time: ${check.toString().slice(0, 120)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

afterEach(async () => {
  await Promise.all(buses.splice(0).map((b) => b.close()));
});

describe(`event bus (${process.env.KAFKA_BROKERS ? 'Kafka' : 'embedded log'})`, () => {
  it('delivers valid events in order per key and dead-letters malformed ones with a reason', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'bus-'));
    const prefix = testTopicPrefix();
    const bus = newBus(prefix, home);
    const received: IncomingMessage<PlayEvent>[] = [];
    const dead: IncomingMessage<unknown>[] = [];
    await bus.subscribe({
      groupId: 'store',
      topic: TOPICS.plays,
      handleBatch: async (m) => void received.push(...m),
    });
    await bus.subscribe({
      groupId: 'dlq-reader',
      topic: TOPICS.playsDeadLetter,
      handleBatch: async (m) => void dead.push(...m),
    });
    const good = Array.from({ length: 60 }, (_, i) => play(i));
    await bus.publish(
      TOPICS.plays,
      good.map((p) => ({ key: p.userId, value: p })),
    );
    const malformed: RawMessage[] = [
      { key: 'u', value: 'not json', headers: {} },
      { key: 'u', value: JSON.stringify({ ...play(1), count: -3 }), headers: {} },
      { key: 'u', value: JSON.stringify({ ...play(2), songId: 'nope' }), headers: {} },
      { key: 'u', value: JSON.stringify({ eventId: 'x' }), headers: {} },
    ];
    await bus.publishRaw(TOPICS.plays, malformed);
    await until(() => received.length >= 60 && dead.length >= 4).catch((e) => {
      throw new Error(`${e.message} received=${received.length} dead=${dead.length}`);
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(received).toHaveLength(60);
    expect(dead).toHaveLength(4);
    for (const user of ['user-0', 'user-1', 'user-2']) {
      const ids = received
        .filter((m) => m.value.userId === user)
        .map((m) => Number(m.value.eventId.slice(2)));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    }
    const reasons = dead.map((d) => (d.value as { reason: string }).reason);
    expect(reasons.some((r) => r.startsWith('not JSON'))).toBe(true);
    expect(reasons.some((r) => r.includes('count must be at least 1'))).toBe(true);
    expect(reasons.some((r) => r.includes('songId'))).toBe(true);
    expect(dead.every((d) => typeof (d.value as { payload: string }).payload === 'string')).toBe(true);
    await until(async () => (await bus.lag('store', TOPICS.plays)) === 0);
  });

  it('delivers one publish of more bytes than the broker takes in a request (a whole catalogue of lyrics)', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'bus-'));
    const bus = newBus(testTopicPrefix(), home);
    const received: string[][] = [];
    await bus.subscribe({
      groupId: 'lyrics-reader',
      topic: TOPICS.lyricsStored,
      handleBatch: async (m) => void received.push(...m.map((e) => e.value.songIds)),
    });
    // 300 messages of 1,000 song ids: 5.7 MB, over Kafka's 1 MiB default request limit.
    const messages = Array.from({ length: 300 }, (_, i) => {
      const songIds = Array.from({ length: 1000 }, (_, j) => `SO${String(i * 1000 + j).padStart(16, '0')}`);
      return { key: songIds[0], value: { songIds } };
    });
    await bus.publish(TOPICS.lyricsStored, messages);
    await until(() => received.length >= 300);
    expect(received.flat()).toHaveLength(300_000);
    expect(new Set(received.flat()).size).toBe(300_000);
  });

  it('redelivers a batch whose handler failed, so nothing is lost', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'bus-'));
    const prefix = testTopicPrefix();
    const bus = newBus(prefix, home);
    const seen = new Set<string>();
    let failures = 0;
    let whileFailing: ReturnType<EventBus['consumers']> = [];
    await bus.subscribe({
      groupId: 'flaky',
      topic: TOPICS.plays,
      handleBatch: async (messages) => {
        if (failures === 1) whileFailing = bus.consumers();
        if (failures < 2) {
          failures++;
          throw new Error('database down');
        }
        for (const m of messages) seen.add(m.value.eventId);
      },
    });
    expect(bus.consumers()).toMatchObject([{ groupId: 'flaky', state: 'running', failures: 0 }]);
    // One key, so one partition: the batches come one after another.
    await bus.publish(
      TOPICS.plays,
      Array.from({ length: 20 }, (_, i) => ({ key: 'u', value: play(i, 'u') })),
    );
    await until(() => seen.size === 20, 120_000);
    expect(failures).toBe(2);
    // /health shows a failing consumer as retrying, with the reason, and as running once a batch is stored.
    expect(whileFailing).toMatchObject([{ state: 'retrying', lastError: 'database down' }]);
    expect(whileFailing[0].failures).toBeGreaterThanOrEqual(1);
    await until(() => bus.consumers()[0].failures === 0);
    expect(bus.consumers()[0]).toMatchObject({ state: 'running', lastBatchAt: expect.any(String) });
  });

  it('resumes a group from its committed position after a restart', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'bus-'));
    const prefix = testTopicPrefix();
    const first = newBus(prefix, home);
    const a: string[] = [];
    await first.subscribe({
      groupId: 'g',
      topic: TOPICS.plays,
      handleBatch: async (m) => void a.push(...m.map((x) => x.value.eventId)),
    });
    await first.publish(
      TOPICS.plays,
      [0, 1, 2].map((i) => ({ key: 'u', value: play(i, 'u') })),
    );
    await until(() => a.length === 3);
    await first.close();
    buses.splice(buses.indexOf(first), 1);
    const second = newBus(prefix, home);
    await second.publish(
      TOPICS.plays,
      [3, 4].map((i) => ({ key: 'u', value: play(i, 'u') })),
    );
    const b: string[] = [];
    await second.subscribe({
      groupId: 'g',
      topic: TOPICS.plays,
      handleBatch: async (m) => void b.push(...m.map((x) => x.value.eventId)),
    });
    await until(() => b.length === 2);
    expect(b).toEqual(['e-3', 'e-4']);
  });
});

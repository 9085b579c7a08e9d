import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { TOPICS, type PlayEvent } from '@tunegraph/contracts';
import { FileLogEventBus } from '../events/file-log.event-bus';
import { Metrics } from './metrics';

const play = (i: number): PlayEvent => ({
  eventId: `e-${i}`,
  userId: 'u',
  songId: 'SOAAAAAAAAAAAAAAAA',
  count: 1,
  timestampMs: 1_700_000_000_000 + i,
  source: 'test',
});

describe('service metrics', () => {
  const buses: FileLogEventBus[] = [];
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((b) => b.close()));
  });

  it("count a consumer's batches by outcome and show it running with no lag", async () => {
    const bus = new FileLogEventBus(
      fs.mkdtempSync(path.join(os.tmpdir(), 'metrics-')),
      't.',
      pino({ level: 'silent' }),
      20,
    );
    buses.push(bus);
    const metrics = new Metrics('test', bus);
    let calls = 0;
    let handled = 0;
    await bus.subscribe(
      metrics.instrument({
        groupId: 'g',
        topic: TOPICS.plays,
        handleBatch: async (messages) => {
          if (calls++ === 0) throw new Error('database down');
          handled += messages.length;
        },
      }),
    );
    await bus.publish(
      TOPICS.plays,
      [0, 1, 2].map((i) => ({ key: 'u', value: play(i) })),
    );
    for (const deadline = Date.now() + 20_000; handled < 3 && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 20));
    }
    /** A series' value, found by its labels in any order. */
    const value = async (name: string, labels: Record<string, string>) => {
      const { values } = await metrics.registry.getSingleMetric(name)!.get();
      return values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
    };
    const series = { topic: 'plays', group: 'g' }; // the service label is added when scraped
    expect(await value('tunegraph_events_handled_total', series)).toBe(3);
    const batches = 'tunegraph_event_batch_seconds';
    expect(await value(batches, { ...series, outcome: 'failed', le: '+Inf' })).toBe(1);
    expect(await value(batches, { ...series, outcome: 'stored', le: '+Inf' })).toBe(1);
    expect(await value('tunegraph_event_consumer_up', series)).toBe(1);
    expect(await value('tunegraph_event_consumer_lag', series)).toBe(0);
    expect(await metrics.registry.metrics()).toMatch(/^nodejs_eventloop_lag_seconds\{service="test"\} /m);
  });
});

import type { TopicName } from '@tunegraph/contracts';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EventBus, Subscription } from '../events/event-bus';

/** A scrape must not wait on a broker that is away: lag is left out of that scrape instead. */
const LAG_TIMEOUT_MS = 2_000;

/**
 * One service's Prometheus metrics (served at /metrics): Node's own (CPU, memory, event loop, GC), the event
 * consumers' state, lag and batches, and whatever the service adds to `registry`.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly batches: Histogram<'topic' | 'group' | 'outcome'>;
  private readonly events: Counter<'topic' | 'group'>;

  constructor(service: string, bus: EventBus) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.batches = new Histogram({
      name: 'tunegraph_event_batch_seconds',
      help: 'Time to handle one batch of consumed events, by outcome (stored or failed: failed batches come again)',
      labelNames: ['topic', 'group', 'outcome'],
      buckets: [0.005, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.events = new Counter({
      name: 'tunegraph_events_handled_total',
      help: 'Valid events handed to a consumer in batches that succeeded (redeliveries count again)',
      labelNames: ['topic', 'group'],
      registers,
    });
    new Gauge({
      name: 'tunegraph_event_consumer_up',
      help: '1 while the consumer runs, 0 while it waits to start again (see /health for why)',
      labelNames: ['topic', 'group'],
      registers,
      collect() {
        this.reset();
        for (const c of bus.consumers())
          this.set({ topic: c.topic, group: c.groupId }, c.state === 'running' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'tunegraph_event_consumer_lag',
      help: 'Events on the topic not yet committed by the group',
      labelNames: ['topic', 'group'],
      registers,
      async collect() {
        this.reset();
        await Promise.all(
          bus.consumers().map(async (c) => {
            const lag = await withTimeout(bus.lag(c.groupId, c.topic as TopicName), LAG_TIMEOUT_MS);
            if (lag !== undefined) this.set({ topic: c.topic, group: c.groupId }, lag);
          }),
        );
      },
    });
  }

  /** The same subscription, its batches timed and counted. */
  instrument<T extends TopicName>(sub: Subscription<T>): Subscription<T> {
    const labels = { topic: sub.topic, group: sub.groupId };
    return {
      ...sub,
      handleBatch: async (messages) => {
        const done = this.batches.startTimer(labels);
        try {
          await sub.handleBatch(messages);
        } catch (err) {
          done({ outcome: 'failed' });
          throw err;
        }
        done({ outcome: 'stored' });
        this.events.inc(labels, messages.length);
      },
    };
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

import {
  Kafka,
  KafkaJSError,
  logLevel,
  Partitioners,
  type Admin,
  type Consumer,
  type Producer,
} from 'kafkajs';
import type { TopicName } from '@tunegraph/contracts';
import type { Logger } from 'pino';
import { CORRELATION_HEADER, currentCorrelationId, withCorrelation } from '../logging/correlation';
import { ConsumerHealth } from './consumer-health';
import type { EventBus, IncomingMessage, OutgoingMessage, RawMessage, Subscription } from './event-bus';
import { deadLetterMessage, deadLetterTopic, decodeMessage } from './message-decoder';

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  topicPrefix: string;
  partitions: number;
  logger: Logger;
}

const KAFKA_LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug' | 'trace'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'debug',
  [logLevel.DEBUG]: 'trace',
};

function headersOf(raw: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined) {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw ?? {})) {
    if (v !== undefined) out[k] = String(Array.isArray(v) ? v[0] : v);
  }
  return out;
}

/** Kafka through kafkajs: per-user ordering by key, offsets committed only after a batch is stored. */
export class KafkaEventBus implements EventBus {
  readonly kind = 'kafka' as const;
  private readonly kafka: Kafka;
  private producer?: Promise<Producer>;
  private admin?: Promise<Admin>;
  /** Each running consumer and what it consumes, to start it again after a crash. */
  private readonly live = new Map<Consumer, Subscription<never>>();
  private readonly health = new ConsumerHealth();
  private readonly knownTopics = new Set<string>();
  private readonly log: Logger;
  private closed = false;

  constructor(private readonly opts: KafkaBusOptions) {
    this.log = opts.logger.child({ component: 'event-bus' });
    const log = opts.logger.child({ component: 'kafkajs' });
    this.kafka = new Kafka({
      clientId: opts.clientId,
      brokers: opts.brokers,
      // kafkajs formats every entry it is asked for, so it is asked only for what the logger will write.
      logLevel: log.isLevelEnabled('trace')
        ? logLevel.DEBUG
        : log.isLevelEnabled('debug')
          ? logLevel.INFO
          : logLevel.WARN,
      logCreator: () => (entry) =>
        log[KAFKA_LEVELS[entry.level] ?? 'info'](
          { ...entry.log, namespace: entry.namespace },
          entry.log.message,
        ),
      retry: { retries: 8 },
    });
    process.on('unhandledRejection', this.onUnhandled);
  }

  private name(topic: string) {
    return this.opts.topicPrefix + topic;
  }

  private getAdmin() {
    this.admin ??= connected(this.kafka.admin(), () => (this.admin = undefined));
    return this.admin;
  }

  private async ensureTopic(topic: string) {
    const name = this.name(topic);
    if (this.knownTopics.has(name)) return;
    const admin = await this.getAdmin();
    await admin.createTopics({
      topics: [{ topic: name, numPartitions: this.opts.partitions }],
      waitForLeaders: true,
    });
    this.knownTopics.add(name);
  }

  private getProducer() {
    this.producer ??= connected(
      // Named so kafkajs does not warn of its v2 change: murmur2, as the Java client, so both agree on partitions.
      this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
      }),
      () => (this.producer = undefined),
    );
    return this.producer;
  }

  async publish<T extends TopicName>(topic: T, messages: OutgoingMessage<unknown>[]): Promise<void> {
    await this.publishRaw(
      topic,
      messages.map((m) => ({ key: m.key, value: JSON.stringify(m.value), headers: m.headers ?? {} })),
    );
  }

  async publishRaw(topic: string, messages: RawMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.ensureTopic(topic);
    const correlationId = currentCorrelationId();
    const producer = await this.getProducer();
    for (const part of underRequestLimit(messages)) {
      await producer.send({
        topic: this.name(topic),
        acks: -1,
        messages: part.map((m) => ({
          key: m.key,
          value: m.value,
          headers: correlationId ? { [CORRELATION_HEADER]: correlationId, ...m.headers } : m.headers,
        })),
      });
    }
  }

  /** Resolves once the consumer runs: while the broker cannot be reached it keeps trying (or until close()). */
  async subscribe<T extends TopicName>(sub: Subscription<T>): Promise<void> {
    await this.start(sub);
  }

  /**
   * Left to itself kafkajs restarts a crashed consumer only after some errors (a failing store is not one of them:
   * the consumer would stop for good while the service looks healthy), and a restart that fails again, as while the
   * broker is still down, is an unhandled rejection that ends the process. So every crash is restarted here.
   * Offsets move only after a batch is stored: nothing is skipped.
   */
  private async restart<T extends TopicName>(sub: Subscription<T>, crashed: Consumer, error: Error) {
    if (!this.live.has(crashed)) return; // already being restarted
    await this.forget(crashed);
    this.health.failed(sub, error);
    this.log.error({ err: error, groupId: sub.groupId }, 'consumer crashed: restarting');
    await this.start(sub);
  }

  /**
   * Starts a consumer, again and again after a pause that grows to 30 s while the broker is away or the consumer
   * keeps crashing before it stores a batch, until it runs or the bus closes.
   */
  private async start<T extends TopicName>(sub: Subscription<T>) {
    while (!this.closed) {
      const failures = this.health.failures(sub);
      if (failures > 0) await new Promise((r) => setTimeout(r, Math.min(30_000, 250 * 2 ** failures)));
      if (this.closed) return;
      try {
        await this.ensureTopic(sub.topic);
        await this.consume(sub);
        this.health.running(sub);
        return;
      } catch (err) {
        this.health.failed(sub, err);
        this.log.error(
          { err, groupId: sub.groupId, failures: failures + 1 },
          'consumer could not start: retrying',
        );
      }
    }
  }

  private async consume<T extends TopicName>(sub: Subscription<T>): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.name(sub.groupId),
      allowAutoTopicCreation: false,
      retry: { restartOnFailure: async () => false },
    });
    this.live.set(consumer, sub as unknown as Subscription<never>);
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!this.closed) void this.restart(sub, consumer, payload.error);
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: this.name(sub.topic), fromBeginning: sub.fromBeginning ?? true });
      await this.run(consumer, sub);
    } catch (err) {
      await this.forget(consumer);
      throw err;
    }
  }

  private async forget(consumer: Consumer) {
    this.live.delete(consumer);
    await consumer.disconnect().catch(() => undefined);
  }

  private async run<T extends TopicName>(consumer: Consumer, sub: Subscription<T>) {
    await consumer.run({
      autoCommit: false,
      // Partitions are handled side by side (keys, hence users, never span two), each batch still in order.
      partitionsConsumedConcurrently: this.opts.partitions,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, heartbeat, resolveOffset }) => {
        if (batch.messages.length === 0) return;
        const good: IncomingMessage<never>[] = [];
        const dead: RawMessage[] = [];
        for (const m of batch.messages) {
          const raw = {
            key: m.key?.toString() ?? '',
            value: m.value?.toString() ?? '',
            headers: headersOf(m.headers),
          };
          const decoded = decodeMessage(sub.topic, raw, { offset: m.offset, partition: batch.partition });
          if (decoded.ok) good.push(decoded.message as IncomingMessage<never>);
          else dead.push(deadLetterMessage(sub.topic, decoded.raw, decoded.reason));
        }
        await this.publishRaw(deadLetterTopic(sub.topic), dead);
        if (good.length) {
          await withCorrelation(good[0].headers[CORRELATION_HEADER], () => sub.handleBatch(good)).catch(
            (err: unknown) => {
              // kafkajs retries the batch itself: only here can the failure be seen.
              this.health.failed(sub, err);
              throw err;
            },
          );
        }
        // Stored: only now does the position move (in memory for this consumer, and committed for the group).
        resolveOffset(batch.lastOffset());
        const next = (BigInt(batch.lastOffset()) + 1n).toString();
        await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
        this.health.stored(sub);
        await heartbeat();
      },
    });
  }

  consumers() {
    return this.health.list();
  }

  async lag(groupId: string, topic: TopicName): Promise<number> {
    const admin = await this.getAdmin();
    const name = this.name(topic);
    const [ends, committed] = await Promise.all([
      admin.fetchTopicOffsets(name),
      admin.fetchOffsets({ groupId: this.name(groupId), topics: [name] }),
    ]);
    const done = new Map(committed[0]?.partitions.map((p) => [p.partition, BigInt(p.offset)]) ?? []);
    let lag = 0n;
    for (const p of ends) {
      const c = done.get(p.partition) ?? -1n;
      const start = c < 0n ? BigInt(p.low) : c;
      lag += BigInt(p.high) - start;
    }
    return Number(lag);
  }

  /**
   * kafkajs still rejects promises nobody awaits on some of its internal failure paths while the broker is away
   * (tulios/kafkajs#702, #1686); Node would end the process on them. Such a rejection is logged and every consumer
   * is started again (offsets were committed only after stores, so at worst a batch is delivered again and stored
   * once); anything else still ends the process.
   */
  private readonly onUnhandled = (reason: unknown) => {
    if (!(reason instanceof KafkaJSError)) throw reason;
    this.log.error({ err: reason }, 'kafkajs failed where nothing awaited it: restarting the consumers');
    for (const [consumer, sub] of this.live) void this.restart(sub, consumer, reason);
  };

  async close(): Promise<void> {
    this.closed = true;
    process.off('unhandledRejection', this.onUnhandled);
    await Promise.all([...this.live.keys()].map((c) => c.disconnect()));
    for (const client of [this.producer, this.admin]) {
      await (await client?.catch(() => undefined))?.disconnect();
    }
  }
}

/** A client once connected; a failed connect is forgotten, so that the next call tries again. */
async function connected<C extends { connect(): Promise<void> }>(client: C, forget: () => void): Promise<C> {
  try {
    await client.connect();
    return client;
  } catch (err) {
    forget();
    throw err;
  }
}

/**
 * The broker refuses a request whose batch for one partition is over its message.max.bytes (1 MiB by default):
 * messages go in sends of at most half that, in order.
 */
const SEND_BYTES = 512 * 1024;

function* underRequestLimit(messages: RawMessage[]): Generator<RawMessage[]> {
  let part: RawMessage[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = Buffer.byteLength(m.key) + Buffer.byteLength(m.value);
    if (part.length > 0 && bytes + size > SEND_BYTES) {
      yield part;
      part = [];
      bytes = 0;
    }
    part.push(m);
    bytes += size;
  }
  if (part.length > 0) yield part;
}

import type { EventOf, TopicName } from '@tunegraph/contracts';

export interface OutgoingMessage<T> {
  key: string;
  value: T;
  headers?: Record<string, string>;
}

export interface IncomingMessage<T> {
  key: string;
  value: T;
  headers: Record<string, string>;
  /** Position in the log (Kafka offset or byte offset of the embedded log), for logs and lag. */
  offset: string;
  partition: number;
}

export interface RawMessage {
  key: string;
  value: string;
  headers: Record<string, string>;
}

export interface Subscription<T extends TopicName> {
  groupId: string;
  topic: T;
  fromBeginning?: boolean;
  /** Messages that failed the topic's schema are dead-lettered before this runs; offsets commit after it resolves. */
  handleBatch(messages: IncomingMessage<EventOf<T>>[]): Promise<void>;
}

/** What one subscription's consumer is doing, for /health. */
export interface ConsumerStatus {
  groupId: string;
  topic: string;
  /** `retrying` after a failed start, a crash or a failed batch, until it runs again. */
  state: 'starting' | 'running' | 'retrying';
  /** Failures since the consumer last stored a batch. */
  failures: number;
  lastError?: string;
  lastBatchAt?: string;
}

/** What a service needs from Kafka; implemented by kafkajs and by the embedded durable log. */
export interface EventBus {
  readonly kind: 'kafka' | 'embedded';
  publish<T extends TopicName>(topic: T, messages: OutgoingMessage<EventOf<T>>[]): Promise<void>;
  /** Unvalidated publish, used for dead letters and for tests that need malformed events. */
  publishRaw(topic: string, messages: RawMessage[]): Promise<void>;
  subscribe<T extends TopicName>(subscription: Subscription<T>): Promise<void>;
  /** Messages not yet committed by the group, summed over partitions. */
  lag(groupId: string, topic: TopicName): Promise<number>;
  /** Each subscription's consumer: running, or waiting to start again and why. */
  consumers(): ConsumerStatus[];
  close(): Promise<void>;
}

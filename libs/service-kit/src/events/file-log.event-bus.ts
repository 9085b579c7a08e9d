import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TopicName } from '@tunegraph/contracts';
import type { Logger } from 'pino';
import { CORRELATION_HEADER, currentCorrelationId, withCorrelation } from '../logging/correlation';
import { ConsumerHealth } from './consumer-health';
import type { EventBus, IncomingMessage, OutgoingMessage, RawMessage, Subscription } from './event-bus';
import { deadLetterMessage, deadLetterTopic, decodeMessage } from './message-decoder';

const MAX_READ = 4 * 1024 * 1024;

interface StoredLine {
  k: string;
  v: string;
  h: Record<string, string>;
}

/**
 * The embedded stand-in for Kafka: one append-only, fsync'd JSON-lines file per topic, shared by every process on
 * the machine, with per-group committed byte offsets. A single total order per topic keeps per-user order; offsets
 * are written only after a batch is handled, so a crash redelivers and never loses. One consumer per group.
 */
export class FileLogEventBus implements EventBus {
  readonly kind = 'embedded' as const;
  private readonly health = new ConsumerHealth();
  private readonly loops: { stop: boolean; done: Promise<void> }[] = [];

  constructor(
    private readonly dir: string,
    private readonly topicPrefix: string,
    private readonly logger: Logger,
    private readonly pollMs = 20,
  ) {
    fs.mkdirSync(dir, { recursive: true });
  }

  private logFile(topic: string) {
    return path.join(this.dir, `${this.topicPrefix}${topic}.log`);
  }

  private offsetFile(topic: string, group: string) {
    return path.join(this.dir, `${this.topicPrefix}${topic}.${group}.offset`);
  }

  async publish<T extends TopicName>(topic: T, messages: OutgoingMessage<unknown>[]): Promise<void> {
    await this.publishRaw(
      topic,
      messages.map((m) => ({ key: m.key, value: JSON.stringify(m.value), headers: m.headers ?? {} })),
    );
  }

  async publishRaw(topic: string, messages: RawMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const correlationId = currentCorrelationId();
    const text = messages
      .map((m) => {
        const h = correlationId ? { [CORRELATION_HEADER]: correlationId, ...m.headers } : m.headers;
        return JSON.stringify({ k: m.key, v: m.value, h } satisfies StoredLine) + '\n';
      })
      .join('');
    // One write() on an O_APPEND descriptor: concurrent producers in other processes never interleave inside it.
    const handle = await fs.promises.open(this.logFile(topic), 'a');
    try {
      await handle.write(text);
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }

  private readOffset(topic: string, group: string): number {
    try {
      return Number(fs.readFileSync(this.offsetFile(topic, group), 'utf8')) || 0;
    } catch {
      return 0;
    }
  }

  private writeOffset(topic: string, group: string, offset: number) {
    const file = this.offsetFile(topic, group);
    fs.writeFileSync(`${file}.tmp`, String(offset));
    fs.renameSync(`${file}.tmp`, file);
  }

  private size(topic: string): number {
    try {
      return fs.statSync(this.logFile(topic)).size;
    } catch {
      return 0;
    }
  }

  async subscribe<T extends TopicName>(sub: Subscription<T>): Promise<void> {
    this.health.running(sub);
    const state = { stop: false, done: Promise.resolve() };
    state.done = this.consume(sub, state);
    this.loops.push(state);
  }

  private async consume<T extends TopicName>(sub: Subscription<T>, state: { stop: boolean }) {
    let position = this.readOffset(sub.topic, sub.groupId);
    if (!(sub.fromBeginning ?? true) && position === 0) position = this.size(sub.topic);
    while (!state.stop) {
      const size = this.size(sub.topic);
      if (size <= position) {
        await new Promise((r) => setTimeout(r, this.pollMs));
        continue;
      }
      try {
        position = await this.consumeChunk(sub, position, Math.min(size - position, MAX_READ));
        this.health.stored(sub);
      } catch (err) {
        this.health.failed(sub, err);
        // The batch is not committed: it is retried, as Kafka would redeliver it.
        this.logger.error(
          { err, topic: sub.topic, group: sub.groupId },
          'event handler failed; retrying batch',
        );
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private async consumeChunk<T extends TopicName>(sub: Subscription<T>, position: number, length: number) {
    const buffer = Buffer.alloc(length);
    const handle = await fs.promises.open(this.logFile(sub.topic), 'r');
    try {
      await handle.read(buffer, 0, length, position);
    } finally {
      await handle.close();
    }
    const end = buffer.lastIndexOf(0x0a);
    if (end < 0) return position;
    const good: IncomingMessage<never>[] = [];
    const dead: RawMessage[] = [];
    let lineStart = 0;
    for (const line of buffer.subarray(0, end).toString('utf8').split('\n')) {
      const offset = String(position + lineStart);
      lineStart += Buffer.byteLength(line) + 1;
      let stored: StoredLine;
      try {
        stored = JSON.parse(line) as StoredLine;
      } catch {
        dead.push(deadLetterMessage(sub.topic, { key: '', value: line, headers: {} }, 'corrupt log line'));
        continue;
      }
      const decoded = decodeMessage(
        sub.topic,
        { key: stored.k, value: stored.v, headers: stored.h ?? {} },
        { offset, partition: 0 },
      );
      if (decoded.ok) good.push(decoded.message as IncomingMessage<never>);
      else dead.push(deadLetterMessage(sub.topic, decoded.raw, decoded.reason));
    }
    await this.publishRaw(deadLetterTopic(sub.topic), dead);
    if (good.length) await withCorrelation(good[0].headers[CORRELATION_HEADER], () => sub.handleBatch(good));
    const next = position + end + 1;
    this.writeOffset(sub.topic, sub.groupId, next);
    return next;
  }

  consumers() {
    return this.health.list();
  }

  async lag(groupId: string, topic: TopicName): Promise<number> {
    const position = this.readOffset(topic, groupId);
    const size = this.size(topic);
    if (size <= position) return 0;
    const handle = await fs.promises.open(this.logFile(topic), 'r');
    try {
      let lines = 0;
      const chunk = Buffer.alloc(1 << 20);
      for (let at = position; at < size; at += chunk.length) {
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, at);
        for (let i = 0; i < bytesRead; i++) if (chunk[i] === 0x0a) lines++;
      }
      return lines;
    } finally {
      await handle.close();
    }
  }

  async close(): Promise<void> {
    for (const l of this.loops) l.stop = true;
    await Promise.all(this.loops.map((l) => l.done));
  }
}

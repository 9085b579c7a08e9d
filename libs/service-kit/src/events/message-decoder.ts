import { EVENT_SCHEMAS, TOPICS, type EventOf, type TopicName } from '@tunegraph/contracts';
import type { IncomingMessage, RawMessage } from './event-bus';

export type Decoded<T extends TopicName> =
  { ok: true; message: IncomingMessage<EventOf<T>> } | { ok: false; raw: RawMessage; reason: string };

/** Parses and validates one message against its topic's schema, naming every problem. */
export function decodeMessage<T extends TopicName>(
  topic: T,
  raw: RawMessage,
  position: { offset: string; partition: number },
): Decoded<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.value);
  } catch (e) {
    return { ok: false, raw, reason: `not JSON: ${(e as Error).message}` };
  }
  const result = EVENT_SCHEMAS[topic].safeParse(parsed);
  if (!result.success) {
    const reason = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return { ok: false, raw, reason };
  }
  return {
    ok: true,
    message: { key: raw.key, value: result.data as EventOf<T>, headers: raw.headers, ...position },
  };
}

export function deadLetterTopic(topic: string): string {
  return topic === TOPICS.plays ? TOPICS.playsDeadLetter : `${topic}.dlq`;
}

export function deadLetterMessage(topic: string, raw: RawMessage, reason: string): RawMessage {
  return {
    key: raw.key,
    headers: { ...raw.headers, 'x-dead-letter-reason': reason.slice(0, 1000) },
    value: JSON.stringify({ topic, reason, payload: raw.value, failedAt: new Date().toISOString() }),
  };
}

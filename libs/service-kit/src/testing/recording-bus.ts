import type { EventBus } from '../events/event-bus';

/** An EventBus for unit tests of jobs: it records what is published and refuses everything else. */
export function recordingBus(): EventBus & { published: { topic: string; values: unknown[] }[] } {
  const published: { topic: string; values: unknown[] }[] = [];
  return {
    kind: 'embedded',
    published,
    async publish(topic, messages) {
      published.push({ topic, values: messages.map((m) => m.value) });
    },
    async publishRaw() {
      throw new Error('not used by the job');
    },
    async subscribe() {
      throw new Error('not used by the job');
    },
    async lag() {
      return 0;
    },
    consumers() {
      return [];
    },
    async close() {},
  };
}

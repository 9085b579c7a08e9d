import type { TopicName } from '@tunegraph/contracts';
import type { ConsumerStatus, Subscription } from './event-bus';

/** What each consumer of a bus is doing, for /health: a consumer waiting for its broker is not silent. */
export class ConsumerHealth {
  private readonly byGroup = new Map<string, ConsumerStatus>();

  private of(sub: Subscription<TopicName>): ConsumerStatus {
    let status = this.byGroup.get(sub.groupId);
    if (!status) {
      status = { groupId: sub.groupId, topic: sub.topic, state: 'starting', failures: 0 };
      this.byGroup.set(sub.groupId, status);
    }
    return status;
  }

  failures(sub: Subscription<TopicName>): number {
    return this.of(sub).failures;
  }

  /** Started; failures still count (they set the pause before the next start) until a batch is stored. */
  running(sub: Subscription<TopicName>) {
    this.of(sub).state = 'running';
  }

  failed(sub: Subscription<TopicName>, err: unknown) {
    const status = this.of(sub);
    status.state = 'retrying';
    status.failures++;
    status.lastError = err instanceof Error ? err.message : String(err);
  }

  stored(sub: Subscription<TopicName>) {
    const status = this.of(sub);
    status.state = 'running';
    status.failures = 0;
    status.lastBatchAt = new Date().toISOString();
  }

  list(): ConsumerStatus[] {
    return [...this.byGroup.values()].map((s) => ({ ...s }));
  }
}

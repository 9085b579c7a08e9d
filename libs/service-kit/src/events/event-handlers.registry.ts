import { hostname } from 'node:os';
import { Inject, Injectable } from '@nestjs/common';
import type { TopicName } from '@tunegraph/contracts';
import type { EventBus, Subscription } from './event-bus';
import type { Metrics } from '../metrics/metrics';
import { EVENT_BUS, METRICS } from '../tokens';

/**
 * Kafka handlers register here by topic (no I/O); the bootstrap subscribes them once the service is listening,
 * so building the module (tests, SDL emission) never connects to a broker.
 */
@Injectable()
export class EventHandlersRegistry {
  private readonly subscriptions: Subscription<TopicName>[] = [];
  private started = false;

  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(METRICS) private readonly metrics: Metrics,
  ) {}

  register<T extends TopicName>(subscription: Subscription<T>) {
    this.subscriptions.push(subscription as unknown as Subscription<TopicName>);
  }

  async start() {
    if (this.started) return;
    this.started = true;
    for (const s of this.subscriptions) await this.bus.subscribe(this.metrics.instrument(s));
  }
}

/**
 * A consumer group of one instance, for events every replica must see (e.g. a model activation to reload): the
 * host name is the pod name under Kubernetes, stable across restarts of that pod.
 */
export function broadcastGroupId(base: string): string {
  return `${base}.${hostname().replace(/[^A-Za-z0-9._-]/g, '-')}`;
}

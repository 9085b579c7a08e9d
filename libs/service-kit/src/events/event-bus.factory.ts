import * as path from 'node:path';
import type { Logger } from 'pino';
import type { EventBus } from './event-bus';
import { FileLogEventBus } from './file-log.event-bus';
import { KafkaEventBus } from './kafka.event-bus';

/** Kafka when brokers are configured, else the embedded durable log under TUNEGRAPH_HOME. */
export function createEventBus(opts: {
  brokers?: string[];
  clientId: string;
  topicPrefix: string;
  home: string;
  logger: Logger;
  partitions?: number;
}): EventBus {
  if (opts.brokers?.length) {
    return new KafkaEventBus({
      brokers: opts.brokers,
      clientId: opts.clientId,
      topicPrefix: opts.topicPrefix,
      partitions: opts.partitions ?? 3,
      logger: opts.logger,
    });
  }
  return new FileLogEventBus(path.join(opts.home, 'events'), opts.topicPrefix, opts.logger);
}

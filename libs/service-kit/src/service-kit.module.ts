import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { z } from 'zod';
import { loadConfig, type BaseConfig } from './config/config.loader';
import { createSql, type Sql } from './db/sql.client';
import { createEventBus } from './events/event-bus.factory';
import type { EventBus } from './events/event-bus';
import { EventHandlersRegistry } from './events/event-handlers.registry';
import { HealthController } from './http/health.controller';
import { MetricsController } from './http/metrics.controller';
import { createLogger, type Logger } from './logging/logger';
import { Metrics } from './metrics/metrics';
import { CONFIG, EVENT_BUS, LOGGER, METRICS, SERVICE_NAME, SQL } from './tokens';

class ResourceCloser implements OnApplicationShutdown {
  constructor(
    @Inject(SQL) private readonly sql: Sql,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}
  async onApplicationShutdown() {
    await this.bus.close();
    await this.sql.end({ timeout: 5 });
  }
}

/** Config, logger, database pool, event bus, /health and /metrics for one service. */
@Global()
@Module({})
export class ServiceKitModule {
  static forRoot<S extends z.ZodObject>(opts: { service: string; schema: S }): DynamicModule {
    return {
      module: ServiceKitModule,
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: SERVICE_NAME, useValue: opts.service },
        {
          provide: CONFIG,
          useFactory: () =>
            loadConfig(opts.schema, { ...process.env, SERVICE_NAME: opts.service }) as z.infer<S>,
        },
        {
          provide: LOGGER,
          useFactory: (cfg: BaseConfig) => createLogger(opts.service, cfg.LOG_LEVEL),
          inject: [CONFIG],
        },
        {
          provide: SQL,
          useFactory: (cfg: BaseConfig) =>
            createSql(cfg.DATABASE_URL, { max: cfg.DATABASE_POOL_SIZE, appName: opts.service }),
          inject: [CONFIG],
        },
        {
          provide: EVENT_BUS,
          useFactory: (cfg: BaseConfig, logger: Logger) =>
            createEventBus({
              brokers: cfg.KAFKA_BROKERS,
              clientId: opts.service,
              topicPrefix: cfg.KAFKA_TOPIC_PREFIX,
              partitions: cfg.KAFKA_PARTITIONS,
              home: cfg.TUNEGRAPH_HOME,
              logger,
            }),
          inject: [CONFIG, LOGGER],
        },
        {
          provide: METRICS,
          useFactory: (bus: EventBus) => new Metrics(opts.service, bus),
          inject: [EVENT_BUS],
        },
        EventHandlersRegistry,
        ResourceCloser,
      ],
      exports: [SERVICE_NAME, CONFIG, LOGGER, SQL, EVENT_BUS, METRICS, EventHandlersRegistry],
    };
  }
}

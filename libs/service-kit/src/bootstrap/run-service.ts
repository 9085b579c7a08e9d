import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import type { Type } from '@nestjs/common';
import { ConfigError, type BaseConfig } from '../config/config.loader';
import { migrate } from '../db/migrations.runner';
import type { Sql } from '../db/sql.client';
import { TransportExceptionFilter } from '../errors/error-filters';
import { EventHandlersRegistry } from '../events/event-handlers.registry';
import { GrpcCorrelationInterceptor } from '../grpc/correlation.interceptor';
import { grpcServerOptions, type ProtoName } from '../grpc/grpc.options';
import { correlationMiddleware } from '../http/correlation.middleware';
import { NestPinoLogger, type Logger } from '../logging/logger';
import { CONFIG, LOGGER, SQL } from '../tokens';

async function migrateWhenReachable(sql: Sql, logger: Logger) {
  for (let attempt = 1; ; attempt++) {
    try {
      const applied = await migrate(sql);
      if (applied.length) logger.info({ applied }, 'database migrations applied');
      return;
    } catch (err) {
      if (attempt >= 30) throw err;
      logger.warn({ attempt, err: (err as Error).message }, 'database not reachable yet; retrying');
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/**
 * Boots one service: HTTP (GraphQL subgraph, /health, REST) and gRPC on their ports, schema migrated, Kafka
 * handlers subscribed last, graceful shutdown on SIGINT/SIGTERM.
 */
export async function runService(opts: { module: Type<unknown>; grpc?: ProtoName[] }): Promise<void> {
  let app;
  try {
    app = await NestFactory.create(opts.module, { bufferLogs: true });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const logger = app.get<Logger>(LOGGER);
  const config = app.get<BaseConfig>(CONFIG);
  app.useLogger(new NestPinoLogger(logger));
  app.use(correlationMiddleware);
  app.useGlobalFilters(new TransportExceptionFilter(app.get(HttpAdapterHost).httpAdapter, logger));
  app.useGlobalInterceptors(new GrpcCorrelationInterceptor());
  app.enableShutdownHooks();
  await migrateWhenReachable(app.get<Sql>(SQL), logger);
  if (opts.grpc && config.GRPC_PORT) {
    app.connectMicroservice(grpcServerOptions(config.GRPC_PORT, opts.grpc), { inheritAppConfig: true });
    await app.startAllMicroservices();
  }
  await app.listen(config.HTTP_PORT, '0.0.0.0');
  await app.get(EventHandlersRegistry).start();
  logger.info({ httpPort: config.HTTP_PORT, grpcPort: config.GRPC_PORT }, 'service ready');
}

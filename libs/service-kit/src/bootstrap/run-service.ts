import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import type { INestApplication, Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
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

/** Builds a configured service app (filters, interceptors, correlation, migrated schema, gRPC attached) without serving it. */
export async function createServiceApp(opts: {
  module: Type<unknown>;
  grpc?: ProtoName[];
  grpcPort?: number;
  /** The largest JSON body the service's REST routes take, when Express's 100 kB is too small for them. */
  jsonBodyLimit?: string;
}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(opts.module, { bufferLogs: true });
  if (opts.jsonBodyLimit) app.useBodyParser('json', { limit: opts.jsonBodyLimit });
  const logger = app.get<Logger>(LOGGER);
  const config = app.get<BaseConfig>(CONFIG);
  app.useLogger(new NestPinoLogger(logger));
  app.use(correlationMiddleware);
  app.useGlobalFilters(new TransportExceptionFilter(app.get(HttpAdapterHost).httpAdapter, logger));
  app.useGlobalInterceptors(new GrpcCorrelationInterceptor());
  app.enableShutdownHooks();
  await migrateWhenReachable(app.get<Sql>(SQL), logger);
  const grpcPort = opts.grpcPort ?? config.GRPC_PORT;
  if (opts.grpc && grpcPort) {
    app.connectMicroservice(grpcServerOptions(grpcPort, opts.grpc), { inheritAppConfig: true });
  }
  return app;
}

/** Work a service does once its app is built and before it serves anything (e.g. recovering interrupted jobs). */
export type StartupTask = (app: INestApplication) => Promise<void>;

/**
 * Serves a built app: its startup task, then gRPC, then HTTP, then the Kafka handlers, so nothing is consumed
 * before it can be served.
 */
export async function serveServiceApp(
  app: INestApplication,
  httpPort: number,
  startup?: StartupTask,
): Promise<void> {
  await startup?.(app);
  await app.startAllMicroservices();
  await app.listen(httpPort, '0.0.0.0');
  await app.get(EventHandlersRegistry).start();
}

/**
 * Boots one service: HTTP (GraphQL subgraph, /health, REST) and gRPC on their ports, schema migrated, Kafka
 * handlers subscribed last, graceful shutdown on SIGINT/SIGTERM. A bad configuration exits naming each variable.
 */
export async function runService(opts: {
  module: Type<unknown>;
  grpc?: ProtoName[];
  jsonBodyLimit?: string;
  startup?: StartupTask;
}): Promise<void> {
  let app: INestApplication;
  try {
    app = await createServiceApp(opts);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const config = app.get<BaseConfig>(CONFIG);
  await serveServiceApp(app, config.HTTP_PORT, opts.startup);
  app.get<Logger>(LOGGER).info({ httpPort: config.HTTP_PORT, grpcPort: config.GRPC_PORT }, 'service ready');
}

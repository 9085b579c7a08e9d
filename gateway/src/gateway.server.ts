import * as fs from 'node:fs';
import type { Server } from 'node:http';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type ErrorRequestHandler } from 'express';
import depthLimit from 'graphql-depth-limit';
import type { GraphQLFormattedError } from 'graphql';
import { PLAYS_REQUEST_BODY_LIMIT } from '@tunegraph/contracts';
import {
  CORRELATION_HEADER,
  clientErrorStatus,
  codeOfStatus,
  correlationMiddleware,
  currentCorrelationId,
  type Logger,
} from '@tunegraph/service-kit';
import type { GatewayConfig } from './config';
import { gatewayMetrics } from './metrics';
import { SUBGRAPHS } from './subgraphs';

interface Context {
  correlationId?: string;
}

/** Every error leaves with an extensions.code, including the gateway's own (validation, depth, unreachable). */
export function formatGatewayError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (/exceeds maximum operation depth/.test(formatted.message)) {
    return { ...formatted, extensions: { ...formatted.extensions, code: 'QUERY_TOO_DEEP' } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string') return formatted;
  return { ...formatted, extensions: { ...formatted.extensions, code: 'INTERNAL_SERVER_ERROR' } };
}

/**
 * What Express refuses before Apollo runs (a body that is not JSON, or over the limit) answers as a GraphQL error
 * with a code, not as Express's HTML page with a stack trace.
 */
export function gatewayErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err: Error, _req, res, next) => {
    if (res.headersSent) return next(err);
    const status = clientErrorStatus(err);
    if (status === undefined) {
      logger.error({ err }, 'unhandled error in the gateway');
      res
        .status(500)
        .json({
          errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
        });
      return;
    }
    res
      .status(status)
      .json({ errors: [{ message: err.message, extensions: { code: codeOfStatus(status) } }] });
  };
}

export async function startGateway(
  config: GatewayConfig,
  logger: Logger,
): Promise<{ server: Server; stop(): Promise<void> }> {
  const overrides = new Map<string, string | undefined>(SUBGRAPHS.map((s) => [s.name, config[s.env]]));
  const gateway = new ApolloGateway({
    supergraphSdl: fs.readFileSync(config.SUPERGRAPH_PATH, 'utf8'),
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource<Context>({
        url: overrides.get(name) ?? url,
        willSendRequest({ request, context }) {
          if (context.correlationId) request.http?.headers.set(CORRELATION_HEADER, context.correlationId);
        },
      }),
  });
  const metrics = gatewayMetrics();
  const apollo = new ApolloServer<Context>({
    gateway,
    plugins: [metrics.plugin],
    validationRules: [depthLimit(config.MAX_QUERY_DEPTH)],
    formatError: formatGatewayError,
    introspection: true,
    logger: {
      debug: (m) => logger.debug(m),
      info: (m) => logger.info(m),
      warn: (m) => logger.warn(m),
      error: (m) => logger.error(m),
    },
  });
  await apollo.start();
  const app = express();
  app.use(correlationMiddleware);
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: 'gateway' });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.use(
    '/graphql',
    // Room for recordPlays' largest batch.
    express.json({ limit: PLAYS_REQUEST_BODY_LIMIT }),
    expressMiddleware(apollo, { context: async () => ({ correlationId: currentCorrelationId() }) }),
  );
  app.use(gatewayErrorHandler(logger));
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(config.PORT, '0.0.0.0', () => resolve(s));
  });
  return {
    server,
    async stop() {
      await apollo.stop();
      await new Promise((r) => server.close(r));
    },
  };
}

import type { ApolloServerPlugin } from '@apollo/server';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** The gateway's Prometheus metrics: Node's own and every GraphQL operation's time by type and outcome. */
export function gatewayMetrics(): { registry: Registry; plugin: ApolloServerPlugin } {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'gateway' });
  collectDefaultMetrics({ register: registry });
  const seconds = new Histogram({
    name: 'tunegraph_graphql_request_seconds',
    help: 'GraphQL requests through the gateway, by operation (query, mutation, invalid when it did not parse or validate) and outcome (error when the response carries errors)',
    labelNames: ['operation', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const plugin: ApolloServerPlugin = {
    async requestDidStart() {
      const done = seconds.startTimer();
      return {
        async willSendResponse({ operation, response }) {
          const errors = response.body.kind === 'single' && !!response.body.singleResult.errors?.length;
          done({ operation: operation?.operation ?? 'invalid', outcome: errors ? 'error' : 'ok' });
        },
      };
    },
  };
  return { registry, plugin };
}

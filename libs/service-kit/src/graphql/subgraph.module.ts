import type { Type } from '@nestjs/common';
import { ApolloFederationDriver, type ApolloFederationDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import type { Logger } from 'pino';
import { graphqlErrorFormatter } from '../errors/error-filters';
import { LOGGER } from '../tokens';

/**
 * A code-first Apollo Federation 2 subgraph served at /graphql. Entities a subgraph only extends (no query returns
 * them) must be listed as orphanedTypes, or they are left out of the schema.
 */
export function subgraphModule(opts: { orphanedTypes?: Type<unknown>[] } = {}) {
  return GraphQLModule.forRootAsync<ApolloFederationDriverConfig>({
    driver: ApolloFederationDriver,
    inject: [LOGGER],
    useFactory: (logger: Logger) => ({
      autoSchemaFile: { federation: 2 },
      buildSchemaOptions: { orphanedTypes: opts.orphanedTypes ?? [] },
      sortSchema: true,
      path: '/graphql',
      playground: false,
      introspection: true,
      formatError: graphqlErrorFormatter(logger),
    }),
  });
}

import { ApolloFederationDriver, type ApolloFederationDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import type { Logger } from 'pino';
import { graphqlErrorFormatter } from '../errors/error-filters';
import { LOGGER } from '../tokens';

/** A code-first Apollo Federation 2 subgraph served at /graphql. */
export function subgraphModule() {
  return GraphQLModule.forRootAsync<ApolloFederationDriverConfig>({
    driver: ApolloFederationDriver,
    inject: [LOGGER],
    useFactory: (logger: Logger) => ({
      autoSchemaFile: { federation: 2 },
      sortSchema: true,
      path: '/graphql',
      playground: false,
      introspection: true,
      formatError: graphqlErrorFormatter(logger),
    }),
  });
}

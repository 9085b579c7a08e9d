import { createRequire } from 'node:module';
import { mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared';

// graphql ships CJS (main) and ESM (module) builds; Vite hands the workspace sources the ESM one while Apollo loads
// the CJS one, so `instanceof GraphQLError` in service-kit's error formatter fails and every AppError becomes
// INTERNAL_SERVER_ERROR. Pin the CJS build, as Node uses at run time.
const graphqlCjs = createRequire(__filename).resolve('graphql');

export default mergeConfig(shared, { resolve: { alias: [{ find: /^graphql$/, replacement: graphqlCjs }] } });

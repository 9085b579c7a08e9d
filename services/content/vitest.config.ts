import { createRequire } from 'node:module';
import { mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared';

// graphql ships ESM and CJS builds; Vite would hand service-kit the ESM one while Apollo requires the CJS one,
// and the two GraphQLError classes would make the error formatter drop every error code.
const graphqlCjs = createRequire(__filename).resolve('graphql');

export default mergeConfig(shared, { resolve: { alias: [{ find: /^graphql$/, replacement: graphqlCjs }] } });

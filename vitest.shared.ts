import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// graphql ships CJS (main) and ESM (module) builds; Vite would hand workspace sources the ESM one while Apollo loads
// the CJS one, so `instanceof GraphQLError` fails across the two and error codes are lost. Pin the CJS build, as
// Node uses at run time.
const graphqlCjs = createRequire(__filename).resolve('graphql');

// Workspace packages resolve to their TypeScript sources in tests (the "source" export condition),
// so a test never runs against a stale build of a dependency.
export default defineConfig({
  resolve: { conditions: ['source'], alias: [{ find: /^graphql$/, replacement: graphqlCjs }] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});

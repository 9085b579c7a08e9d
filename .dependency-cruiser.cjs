/** Architectural boundaries, checked in CI (npm run boundaries). */
module.exports = {
  forbidden: [
    {
      name: 'kernels-stay-framework-free',
      comment:
        'packages/* are plain TypeScript kernels: no Nest, no database client, no Kafka client. ' +
        'The one exception is the gRPC glue that ts-proto generates into packages/contracts.',
      severity: 'error',
      from: { path: '^packages/', pathNot: '^packages/contracts/src/generated/' },
      to: {
        path: 'node_modules/(@nestjs/|postgres/|pg/|pgvector/|kafkajs/|@electric-sql/|@grpc/|@apollo/|graphql/)',
      },
    },
    {
      name: 'packages-do-not-import-apps',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^(libs|services|gateway|cli)/' },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^(services|gateway|cli)/' },
    },
    {
      name: 'no-service-imports-another-service',
      severity: 'error',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/', pathNot: '^services/$1/' },
    },
    {
      name: 'gateway-stands-alone',
      severity: 'error',
      from: { path: '^gateway/' },
      to: { path: '^(services|cli)/' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
    enhancedResolveOptions: { conditionNames: ['source', 'require', 'default'], exportsFields: ['exports'] },
    tsConfig: { fileName: 'tsconfig.base.json' },
  },
};

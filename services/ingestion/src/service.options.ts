import { PLAYS_REQUEST_BODY_LIMIT } from '@tunegraph/contracts';
import type { ProtoName } from '@tunegraph/service-kit';
import { AppModule } from './app.module';

/** How the ingestion service is built, by its main and by the tests that run it whole. */
export const INGESTION_SERVICE = {
  module: AppModule,
  grpc: ['catalog', 'plays'] as ProtoName[],
  jsonBodyLimit: PLAYS_REQUEST_BODY_LIMIT,
};

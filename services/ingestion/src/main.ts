import 'reflect-metadata';
import { runService } from '@tunegraph/service-kit';
import { AppModule } from './app.module';
import { IngestJobsService } from './services/ingest-jobs.service';

void runService({
  module: AppModule,
  grpc: ['catalog', 'plays'],
  startup: (app) => app.get(IngestJobsService).failInterrupted(),
});

import 'reflect-metadata';
import { runService } from '@tunegraph/service-kit';
import { INGESTION_SERVICE } from './service.options';
import { IngestJobsService } from './services/ingest-jobs.service';

void runService({
  ...INGESTION_SERVICE,
  startup: (app) => app.get(IngestJobsService).failInterrupted(),
});

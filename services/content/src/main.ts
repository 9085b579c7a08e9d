import 'reflect-metadata';
import { runService } from '@tunegraph/service-kit';
import { AppModule } from './app.module';
import { ContentTrainingService } from './services/content-training.service';

void runService({
  module: AppModule,
  grpc: ['content'],
  startup: (app) => app.get(ContentTrainingService).failInterruptedRuns(),
});

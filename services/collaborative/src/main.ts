import 'reflect-metadata';
import { runService } from '@tunegraph/service-kit';
import { AppModule } from './app.module';
import { TrainingService } from './services/training.service';

void runService({
  module: AppModule,
  grpc: ['recommend'],
  startup: (app) => app.get(TrainingService).failInterruptedRuns(),
});

import 'reflect-metadata';
import { runService } from '@tunegraph/service-kit';
import { AppModule } from './app.module';

void runService({ module: AppModule, grpc: ['recommend'] });

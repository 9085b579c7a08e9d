import 'reflect-metadata';
import * as path from 'node:path';
import { emitSubgraphSdl } from '@tunegraph/service-kit';
import { AppModule } from './app.module';

void emitSubgraphSdl(AppModule, path.join(__dirname, '../schema.graphql'));

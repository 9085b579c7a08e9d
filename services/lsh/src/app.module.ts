import { Module } from '@nestjs/common';
import { ServiceKitModule, type baseConfigSchema } from '@tunegraph/service-kit';
import { lshConfigSchema } from './config';
import { VectorsController } from './grpc/vectors.controller';
import { ModelActivatedHandler } from './kafka/model-activated.handler';
import { VectorsStoredHandler } from './kafka/vectors-stored.handler';
import { EmbeddingsRepository } from './repositories/embeddings.repository';
import { SnapshotRepository } from './repositories/snapshot.repository';
import { KnnService } from './services/knn.service';
import { LshIndexService } from './services/lsh-index.service';

// forRoot's type parameter is the base schema exactly, which rejects ports given defaults; the runtime only needs a
// zod object whose output extends BaseConfig, which this schema's is.
const schema = lshConfigSchema as unknown as typeof baseConfigSchema;

/** Internal service: gRPC VectorsService (index LSH) and /health; no GraphQL subgraph. */
@Module({
  imports: [ServiceKitModule.forRoot({ service: 'lsh', schema })],
  controllers: [VectorsController],
  providers: [
    EmbeddingsRepository,
    SnapshotRepository,
    LshIndexService,
    KnnService,
    ModelActivatedHandler,
    VectorsStoredHandler,
  ],
})
export class AppModule {}

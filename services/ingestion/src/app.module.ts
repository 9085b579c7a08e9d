import { Module } from '@nestjs/common';
import { ServiceKitModule, subgraphModule } from '@tunegraph/service-kit';
import { ingestionConfigSchema } from './config';
import { PlayResolver, SongResolver, UserResolver } from './graphql/catalog.resolver';
import { IngestJobsResolver } from './graphql/ingest-jobs.resolver';
import { PlaysResolver } from './graphql/plays.resolver';
import { CatalogGrpcController } from './grpc/catalog.controller';
import { PlaysGrpcController } from './grpc/plays.controller';
import { PlaysHttpController } from './http/plays.controller';
import { PlaysHandler } from './kafka/plays.handler';
import { CatalogRepository } from './repositories/catalog.repository';
import { IngestJobsRepository } from './repositories/ingest-jobs.repository';
import { PlaysRepository } from './repositories/plays.repository';
import { CatalogService } from './services/catalog.service';
import { IngestJobsService } from './services/ingest-jobs.service';
import { PlayStoreService } from './services/play-store.service';
import { PlaysService } from './services/plays.service';
import { SongBatchLoader } from './services/song-batch.loader';

@Module({
  imports: [
    ServiceKitModule.forRoot({ service: 'ingestion', schema: ingestionConfigSchema }),
    subgraphModule(),
  ],
  controllers: [CatalogGrpcController, PlaysGrpcController, PlaysHttpController],
  providers: [
    CatalogRepository,
    PlaysRepository,
    CatalogService,
    SongBatchLoader,
    PlaysService,
    PlayStoreService,
    PlaysHandler,
    SongResolver,
    UserResolver,
    PlayResolver,
    PlaysResolver,
    IngestJobsRepository,
    IngestJobsService,
    IngestJobsResolver,
  ],
})
export class AppModule {}

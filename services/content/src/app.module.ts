import { Module } from '@nestjs/common';
import { ServiceKitModule, subgraphModule } from '@tunegraph/service-kit';
import { contentConfigSchema } from './config';
import { Song, SongContentResolver } from './graphql/song-content.resolver';
import { ContentGrpcController } from './grpc/content.controller';
import { SongVectorsRepository } from './repositories/song-vectors.repository';
import { ContentService } from './services/content.service';
import { TopicsService } from './services/topics.service';

@Module({
  imports: [ServiceKitModule.forRoot({ service: 'content', schema: contentConfigSchema }), subgraphModule({ orphanedTypes: [Song] })],
  controllers: [ContentGrpcController],
  providers: [SongVectorsRepository, ContentService, TopicsService, SongContentResolver],
})
export class AppModule {}

import { Module } from '@nestjs/common';
import { ServiceKitModule, subgraphModule } from '@tunegraph/service-kit';
import { contentConfigSchema } from './config';
import { ContentTrainingResolver } from './graphql/content-training.resolver';
import { LyricWordsResolver } from './graphql/lyric-words.resolver';
import { Song, SongContentResolver } from './graphql/song-content.resolver';
import { ContentGrpcController } from './grpc/content.controller';
import { LyricsStoredHandler } from './kafka/lyrics-stored.handler';
import { SongVectorsRepository } from './repositories/song-vectors.repository';
import { TrainingJobsRepository } from './repositories/training-jobs.repository';
import { ActiveModelsService } from './services/active-models.service';
import { ColdStartService } from './services/cold-start.service';
import { ContentService } from './services/content.service';
import { ContentTrainingService } from './services/content-training.service';
import { SimilarityReasonsService } from './services/similarity-reasons.service';
import { TopicsService } from './services/topics.service';

@Module({
  imports: [
    ServiceKitModule.forRoot({ service: 'content', schema: contentConfigSchema }),
    subgraphModule({ orphanedTypes: [Song] }),
  ],
  controllers: [ContentGrpcController],
  providers: [
    SongVectorsRepository,
    TrainingJobsRepository,
    ActiveModelsService,
    ContentService,
    TopicsService,
    SimilarityReasonsService,
    ColdStartService,
    ContentTrainingService,
    LyricsStoredHandler,
    SongContentResolver,
    ContentTrainingResolver,
    LyricWordsResolver,
  ],
})
export class AppModule {}

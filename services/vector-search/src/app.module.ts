import { Module } from '@nestjs/common';
import { ServiceKitModule, subgraphModule, type baseConfigSchema } from '@tunegraph/service-kit';
import { vectorSearchConfigSchema } from './config';
import { SongSimilarResolver } from './graphql/song-similar.resolver';
import { VectorsController } from './grpc/vectors.controller';
import { ContentRepository } from './repositories/content.repository';
import { EmbeddingsRepository } from './repositories/embeddings.repository';
import { LshRepository } from './repositories/lsh.repository';
import { VectorIndexService } from './services/vector-index.service';
import { KnnService } from './services/knn.service';
import { SimilarSongsService } from './services/similar-songs.service';

// forRoot's schema type pins HTTP_PORT/GRPC_PORT to the base (no defaults); the extended schema parses the same env.
const schema = vectorSearchConfigSchema as unknown as typeof baseConfigSchema;

@Module({
  imports: [ServiceKitModule.forRoot({ service: 'vector-search', schema }), subgraphModule()],
  controllers: [VectorsController],
  providers: [
    EmbeddingsRepository,
    LshRepository,
    ContentRepository,
    KnnService,
    VectorIndexService,
    SimilarSongsService,
    SongSimilarResolver,
  ],
})
export class AppModule {}

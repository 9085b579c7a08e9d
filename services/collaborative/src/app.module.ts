import { Module } from '@nestjs/common';
import { ServiceKitModule, subgraphModule } from '@tunegraph/service-kit';
import { collaborativeConfigSchema } from './config';
import { ModelVersionsResolver } from './graphql/model-versions.resolver';
import { User } from './graphql/recommendation.model';
import { UserResolver } from './graphql/user.resolver';
import { RecommendController } from './grpc/recommend.controller';
import { ModelActivatedHandler } from './kafka/model-activated.handler';
import { ModelVersionsRepository } from './repositories/model-versions.repository';
import { PlaysRepository } from './repositories/plays.repository';
import { ActiveModelService } from './services/active-model.service';
import { RecommendationService } from './services/recommendation.service';
import { TrainingService } from './services/training.service';

@Module({
  imports: [
    ServiceKitModule.forRoot({ service: 'collaborative', schema: collaborativeConfigSchema }),
    subgraphModule({ orphanedTypes: [User] }),
  ],
  controllers: [RecommendController],
  providers: [
    PlaysRepository,
    ModelVersionsRepository,
    ActiveModelService,
    RecommendationService,
    TrainingService,
    UserResolver,
    ModelVersionsResolver,
    ModelActivatedHandler,
  ],
})
export class AppModule {}

import { Args, Int, Parent, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { DEFAULT_MODEL } from '../models/model-kinds';
import { RecommendationService } from '../services/recommendation.service';
import { CollaborativeModel } from './collaborative-model.enum';
import { Recommendation, User } from './recommendation.model';

@Resolver(() => User)
export class UserResolver {
  constructor(private readonly service: RecommendationService) {}

  @ResolveReference()
  resolveReference(ref: { id: string }): User {
    return { id: ref.id };
  }

  @ResolveField(() => [Recommendation], {
    description:
      'Songs the user has not played, best first (first: 1..100), from the active version of `model`.',
  })
  async recommendations(
    @Parent() user: User,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 10 }) first: number | null,
    @Args('model', { type: () => CollaborativeModel, nullable: true, description: 'Default ALS' })
    model: string | null,
  ): Promise<Recommendation[]> {
    const result = await this.service.recommend(user.id, first ?? 10, model ?? DEFAULT_MODEL);
    return result.items.map((r) => ({
      song: { id: r.songId },
      score: r.score,
      reason: r.reason,
      becauseOf: r.becauseOfSongId ? { id: r.becauseOfSongId } : null,
    }));
  }
}

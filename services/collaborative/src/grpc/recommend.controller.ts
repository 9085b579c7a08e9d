import { Controller } from '@nestjs/common';
import { recommend } from '@tunegraph/contracts';
import { DEFAULT_MODEL } from '../models/model-kinds';
import { RecommendationService } from '../services/recommendation.service';

const DEFAULT_K = 10;

@Controller()
@recommend.RecommendServiceControllerMethods()
export class RecommendController implements recommend.RecommendServiceController {
  constructor(private readonly service: RecommendationService) {}

  /** k = 0 and model "" (proto3's "unset") mean 10 and "als"; an unknown model is INVALID_ARGUMENT. */
  async recommend(request: recommend.RecommendRequest): Promise<recommend.RecommendResponse> {
    const result = await this.service.recommend(
      request.userId,
      request.k || DEFAULT_K,
      request.model || DEFAULT_MODEL,
    );
    return {
      userId: result.userId,
      model: result.model,
      modelVersion: result.modelVersion,
      items: result.items.map((r) => ({
        songId: r.songId,
        score: r.score,
        becauseOfSongId: r.becauseOfSongId ?? '',
      })),
    };
  }
}

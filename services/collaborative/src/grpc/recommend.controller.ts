import { Controller } from '@nestjs/common';
import { recommend } from '@tunegraph/contracts';
import { badInput } from '@tunegraph/service-kit';
import { ALS_MODEL } from '../repositories/als-versions.repository';
import { RecommendationService } from '../services/recommendation.service';

const DEFAULT_K = 10;

@Controller()
@recommend.RecommendServiceControllerMethods()
export class RecommendController implements recommend.RecommendServiceController {
  constructor(private readonly service: RecommendationService) {}

  /** k = 0 (proto3's "unset") means the default of 10; model may be empty or "als". */
  async recommend(request: recommend.RecommendRequest): Promise<recommend.RecommendResponse> {
    if (request.model && request.model !== ALS_MODEL) {
      throw badInput(`Unknown model "${request.model}": this service serves "${ALS_MODEL}"`);
    }
    const result = await this.service.recommend(request.userId, request.k || DEFAULT_K);
    return {
      userId: result.userId,
      model: ALS_MODEL,
      modelVersion: result.modelVersion,
      items: result.items.map((r) => ({ songId: r.songId, score: r.score, becauseOfSongId: r.becauseOfSongId ?? '' })),
    };
  }
}

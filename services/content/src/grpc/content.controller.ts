import { Controller } from '@nestjs/common';
import { content } from '@tunegraph/contracts';
import { SimilarityReasonsService } from '../services/similarity-reasons.service';

@Controller()
@content.ContentServiceControllerMethods()
export class ContentGrpcController implements content.ContentServiceController {
  constructor(private readonly reasons: SimilarityReasonsService) {}

  async explainSimilarity(
    request: content.ExplainSimilarityRequest,
  ): Promise<content.ExplainSimilarityResponse> {
    return {
      items: await this.reasons.explain(
        request.songId,
        request.otherSongIds,
        request.topTerms,
        request.method,
      ),
    };
  }
}

import { Controller } from '@nestjs/common';
import { content } from '@tunegraph/contracts';
import { ContentService } from '../services/content.service';

@Controller()
@content.ContentServiceControllerMethods()
export class ContentGrpcController implements content.ContentServiceController {
  constructor(private readonly content: ContentService) {}

  async explainSimilarity(request: content.ExplainSimilarityRequest): Promise<content.ExplainSimilarityResponse> {
    return { items: await this.content.explain(request.songId, request.otherSongIds, request.topTerms) };
  }
}

import { Controller } from '@nestjs/common';
import { vectors } from '@tunegraph/contracts';
import { KnnService } from '../services/knn.service';

@Controller()
@vectors.VectorsServiceControllerMethods()
export class VectorsController implements vectors.VectorsServiceController {
  constructor(private readonly knnService: KnnService) {}

  knn(request: vectors.KnnRequest): vectors.KnnResponse {
    return this.knnService.knn(request);
  }

  rebuildIndex(request: vectors.RebuildIndexRequest): Promise<vectors.RebuildIndexResponse> {
    return this.knnService.rebuild(request.collection);
  }
}

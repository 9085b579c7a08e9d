import { Controller } from '@nestjs/common';
import { vectors } from '@tunegraph/contracts';
import { HnswIndexService } from '../services/hnsw-index.service';
import { KnnService } from '../services/knn.service';

@Controller()
@vectors.VectorsServiceControllerMethods()
export class VectorsController implements vectors.VectorsServiceController {
  constructor(
    private readonly knnService: KnnService,
    private readonly hnsw: HnswIndexService,
  ) {}

  knn(request: vectors.KnnRequest): Promise<vectors.KnnResponse> {
    return this.knnService.knn(request);
  }

  rebuildIndex(request: vectors.RebuildIndexRequest): Promise<vectors.RebuildIndexResponse> {
    return this.hnsw.rebuild(request.collection);
  }
}

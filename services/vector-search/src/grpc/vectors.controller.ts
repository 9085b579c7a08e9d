import { Controller } from '@nestjs/common';
import { vectors } from '@tunegraph/contracts';
import { VectorIndexService } from '../services/vector-index.service';
import { KnnService } from '../services/knn.service';

@Controller()
@vectors.VectorsServiceControllerMethods()
export class VectorsController implements vectors.VectorsServiceController {
  constructor(
    private readonly knnService: KnnService,
    private readonly indexes: VectorIndexService,
  ) {}

  knn(request: vectors.KnnRequest): Promise<vectors.KnnResponse> {
    return this.knnService.knn(request);
  }

  rebuildIndex(request: vectors.RebuildIndexRequest): Promise<vectors.RebuildIndexResponse> {
    return this.indexes.rebuild(request);
  }
}

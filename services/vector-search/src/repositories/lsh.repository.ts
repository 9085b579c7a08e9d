import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { vectors } from '@tunegraph/contracts';
import { CONFIG, createGrpcClient, fromGrpcError, outgoingMetadata } from '@tunegraph/service-kit';
import { firstValueFrom } from 'rxjs';
import type { VectorSearchConfig } from '../config';

/** The lsh service over gRPC; its errors come back as AppErrors with the remote code and message. */
@Injectable()
export class LshRepository implements OnModuleInit {
  private client!: vectors.VectorsServiceClient;

  constructor(@Inject(CONFIG) private readonly config: VectorSearchConfig) {}

  onModuleInit() {
    this.client = createGrpcClient(
      this.config.LSH_GRPC_URL,
      'vectors',
    ).getService<vectors.VectorsServiceClient>(vectors.VECTORS_SERVICE_NAME);
  }

  async knn(request: vectors.KnnRequest): Promise<vectors.KnnResponse> {
    try {
      return await firstValueFrom(this.client.knn(request, outgoingMetadata()));
    } catch (err) {
      throw fromGrpcError(err);
    }
  }
}

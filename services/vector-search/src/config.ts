import { baseConfigSchema } from '@tunegraph/service-kit';
import { z } from 'zod';

const grpcUrl = z.string().regex(/^[^\s:]+:\d+$/, 'must be host:port');

export const vectorSearchConfigSchema = baseConfigSchema.extend({
  HTTP_PORT: baseConfigSchema.shape.HTTP_PORT.default(4004),
  GRPC_PORT: z.coerce.number().int().min(1).max(65535).default(50054),
  LSH_GRPC_URL: grpcUrl.default('127.0.0.1:50055'),
  CONTENT_GRPC_URL: grpcUrl.default('127.0.0.1:50053'),
  /** Default hnsw.ef_search when a request leaves ef_search at 0. */
  HNSW_EF_SEARCH: z.coerce.number().int().min(1).max(1000).default(100),
});
export type VectorSearchConfig = z.infer<typeof vectorSearchConfigSchema>;

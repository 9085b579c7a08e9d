import { COLLECTIONS, INDEX_LIMITS, baseConfigSchema } from '@tunegraph/service-kit';
import { z } from 'zod';

const grpcUrl = z.string().regex(/^[^\s:]+:\d+$/, 'must be host:port');

const bounded = (key: keyof typeof INDEX_LIMITS) =>
  z.number().int().min(INDEX_LIMITS[key][0]).max(INDEX_LIMITS[key][1]);

/** Per-collection index build parameters, e.g. {"als":{"m":24,"efConstruction":128,"lists":40}}. */
const indexParams = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON' });
      return z.NEVER;
    }
  })
  .pipe(
    z.record(
      z.string().refine((c) => c in COLLECTIONS, { message: 'unknown collection' }),
      z
        .object({
          m: bounded('m').optional(),
          efConstruction: bounded('efConstruction').optional(),
          lists: bounded('lists').optional(),
        })
        .strict()
        .refine((p) => (p.efConstruction ?? 64) >= 2 * (p.m ?? 16), {
          message: 'efConstruction must be at least 2 * m',
        }),
    ),
  );

export const vectorSearchConfigSchema = baseConfigSchema.extend({
  HTTP_PORT: baseConfigSchema.shape.HTTP_PORT.default(4004),
  GRPC_PORT: z.coerce.number().int().min(1).max(65535).default(50054),
  LSH_GRPC_URL: grpcUrl.default('127.0.0.1:50055'),
  CONTENT_GRPC_URL: grpcUrl.default('127.0.0.1:50053'),
  /** Default hnsw.ef_search when a request leaves ef_search at 0. */
  HNSW_EF_SEARCH: z.coerce.number().int().min(1).max(1000).default(100),
  /** Most index tuples a filtered HNSW scan visits before it gives up (then the exact filtered scan answers). */
  HNSW_MAX_SCAN_TUPLES: z.coerce.number().int().min(100).max(10_000_000).default(20_000),
  /** Index parameters RebuildIndex uses when the request leaves them at 0. */
  VECTOR_INDEX_PARAMS: indexParams.default({}),
});
export type VectorSearchConfig = z.infer<typeof vectorSearchConfigSchema>;

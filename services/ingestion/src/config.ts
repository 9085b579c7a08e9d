import { z } from 'zod';
import { baseConfigSchema } from '@tunegraph/service-kit';
import { loadMemoryEnvSchema } from './jobs/load-memory';

export const ingestionConfigSchema = baseConfigSchema.extend({
  HTTP_PORT: z.coerce.number().int().min(1).max(65535).default(4001),
  GRPC_PORT: z.coerce.number().int().min(1).max(65535).default(50051),
  PLAYS_MAX_BATCH: z.coerce.number().int().min(1).max(100_000).default(10_000),
  /** Folders the startIngest mutation may read (comma-separated); TUNEGRAPH_HOME is always allowed. */
  INGEST_ROOTS: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  ...loadMemoryEnvSchema.shape,
});
export type IngestionConfig = z.infer<typeof ingestionConfigSchema>;

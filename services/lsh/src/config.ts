import { baseConfigSchema } from '@tunegraph/service-kit';
import { z } from 'zod';

export const lshConfigSchema = baseConfigSchema.extend({
  HTTP_PORT: z.coerce.number().int().min(1).max(65535).default(4005),
  GRPC_PORT: z.coerce.number().int().min(1).max(65535).default(50055),
  // Defaults tuned on 64-factor ALS song vectors of the 2,500 most played songs of the Turi 10000 plays sample:
  // recall@10 0.928 vs exact while scoring 17% of the songs. The textbook 16 tables x 12 bits x 1 probe reached
  // only 0.35 there: ALS factors do not cluster tightly, so LSH needs many short codes.
  /** L hash tables: more raise recall and the number of candidates scored. */
  LSH_TABLES: z.coerce.number().int().min(1).max(256).default(64),
  /** K bits per table: more make buckets smaller (fewer candidates, lower recall). */
  LSH_BITS: z.coerce.number().int().min(1).max(32).default(11),
  /** Extra buckets probed per table at Hamming distance 1. */
  LSH_PROBES: z.coerce.number().int().min(0).max(32).default(3),
  LSH_SEED: z.coerce.number().int().default(20_240_601),
});
export type LshConfig = z.infer<typeof lshConfigSchema>;

export type LshParams = Pick<LshConfig, 'LSH_TABLES' | 'LSH_BITS' | 'LSH_PROBES' | 'LSH_SEED'>;

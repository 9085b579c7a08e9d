import { baseConfigSchema } from '@tunegraph/service-kit';
import { z } from 'zod';

export const lshConfigSchema = baseConfigSchema
  .extend({
    HTTP_PORT: z.coerce.number().int().min(1).max(65535).default(4005),
    GRPC_PORT: z.coerce.number().int().min(1).max(65535).default(50055),
    // By default each index is tuned when it is built (tuneCosineLsh): for hyperplane and cross-polytope hashing, tables
    // from the 2x memory budget, then the K and probe count that reach LSH_TARGET_RECALL on a sample of the
    // collection's own vectors scanning the least. On 64-factor ALS vectors of the real Turi plays (9,071 songs) that
    // gave recall@10 0.93 scanning 8%.
    /** Mean recall@10 the tuner aims at on a sample of 200 songs (a margin over the 0.9 goal). */
    LSH_TARGET_RECALL: z.coerce.number().gt(0).max(1).default(0.93),
    /** Most of the collection a tuned setting may score per query; within it the tuner picks the fastest setting. */
    LSH_MAX_SCANNED: z.coerce.number().gt(0).max(1).default(0.1),
    /** L hash tables. Set LSH_TABLES, LSH_BITS and LSH_PROBES together to skip tuning and use them as given. */
    LSH_TABLES: z.coerce.number().int().min(1).max(256).optional(),
    /** K per table (hyperplane bits, or cross-polytope hashes): more make buckets smaller (fewer candidates). */
    LSH_BITS: z.coerce.number().int().min(1).max(32).optional(),
    /** Hash family of a fixed setting. */
    LSH_FAMILY: z.enum(['hyperplane', 'cross-polytope']).default('hyperplane'),
    /** Extra buckets probed per query over all tables, nearest to the query first. */
    LSH_PROBES: z.coerce.number().int().min(0).optional(),
    LSH_SEED: z.coerce.number().int().default(20_240_601),
  })
  .superRefine((config, ctx) => {
    const fixed = [config.LSH_TABLES, config.LSH_BITS, config.LSH_PROBES].filter((v) => v !== undefined);
    if (fixed.length !== 0 && fixed.length !== 3) {
      ctx.addIssue({
        code: 'custom',
        path: ['LSH_TABLES'],
        message:
          'set LSH_TABLES, LSH_BITS and LSH_PROBES together (a fixed setting), or none of them (tuned)',
      });
    }
  });
export type LshConfig = z.infer<typeof lshConfigSchema>;

export type LshParams = Pick<
  LshConfig,
  | 'LSH_TABLES'
  | 'LSH_BITS'
  | 'LSH_FAMILY'
  | 'LSH_PROBES'
  | 'LSH_SEED'
  | 'LSH_TARGET_RECALL'
  | 'LSH_MAX_SCANNED'
>;

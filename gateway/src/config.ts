import * as path from 'node:path';
import { z } from 'zod';
import { loadConfig, repoRoot } from '@tunegraph/service-kit';

export const gatewayConfigSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(4000),
  SUPERGRAPH_PATH: z.string().default(path.join(repoRoot(), 'gateway/supergraph.graphql')),
  MAX_QUERY_DEPTH: z.coerce.number().int().min(2).max(50).default(10),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  INGESTION_URL: z.url().optional(),
  COLLABORATIVE_URL: z.url().optional(),
  CONTENT_URL: z.url().optional(),
  VECTOR_SEARCH_URL: z.url().optional(),
});
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export const loadGatewayConfig = (env = process.env) => loadConfig(gatewayConfigSchema, env);

import * as path from 'node:path';
import * as fs from 'node:fs';
import { z } from 'zod';

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n  - ${issues.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Repository root (the folder holding turbo.json), so defaults work from src/, dist/ and the CLI alike. */
export function repoRoot(from = __dirname): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'turbo.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

export const EMBEDDED_DB_PORT = 54329;
export const EMBEDDED_DATABASE_URL = `postgres://postgres@127.0.0.1:${EMBEDDED_DB_PORT}/postgres`;

const port = z.coerce.number().int().min(1).max(65535);
const csv = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^[^\s:]+:\d+$/, 'each broker must be host:port')).min(1));

/** Settings every service shares. */
export const baseConfigSchema = z.object({
  SERVICE_NAME: z.string().min(1),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .default(EMBEDDED_DATABASE_URL),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(64).default(4),
  KAFKA_BROKERS: csv.optional(),
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, 'letters, digits, . _ - only')
    .default(''),
  /** Partitions of the topics this service creates; a group consumes at most this many partitions at once. */
  KAFKA_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(3),
  TUNEGRAPH_HOME: z.string().default(path.join(repoRoot(), '.tunegraph')),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  HTTP_PORT: port,
  GRPC_PORT: port.optional(),
});
export type BaseConfig = z.infer<typeof baseConfigSchema>;

/** Validates the environment once; throws ConfigError naming every bad variable. */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  return result.data;
}

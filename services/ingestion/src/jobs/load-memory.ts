import type { Sql } from '@tunegraph/service-kit';
import { z } from 'zod';

const SIZE = /^[1-9]\d*(kB|MB|GB|TB)$/;
const size = (fallback: string) =>
  z.string().regex(SIZE, "must be a PostgreSQL memory size such as '64MB' or '1GB'").default(fallback);

/**
 * What one load's transactions may use on the database server. Hash aggregates over millions of staged rows spill
 * to disk at PostgreSQL's default 4 MB, and a rebuilt key is a sort of every row, best done in memory: the defaults
 * suit a server with a few GB to spare. A smaller server lowers them (a load then spills, slower but safe).
 */
export const loadMemoryEnvSchema = z.object({
  INGEST_WORK_MEM: size('256MB'),
  INGEST_MAINTENANCE_WORK_MEM: size('1GB'),
});

export interface LoadMemory {
  workMem: string;
  maintenanceWorkMem: string;
}

export function loadMemoryFromEnv(env: NodeJS.ProcessEnv = process.env): LoadMemory {
  const parsed = loadMemoryEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid ingest configuration: ${issues.join('; ')}`);
  }
  return {
    workMem: parsed.data.INGEST_WORK_MEM,
    maintenanceWorkMem: parsed.data.INGEST_MAINTENANCE_WORK_MEM,
  };
}

/** Applies the load's memory to the current transaction only (`tx` is a transaction). */
export async function useLoadMemory(tx: Sql, memory: LoadMemory): Promise<void> {
  await tx`SELECT set_config('work_mem', ${memory.workMem}, true),
    set_config('maintenance_work_mem', ${memory.maintenanceWorkMem}, true)`;
}

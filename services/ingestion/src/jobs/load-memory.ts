import type { Sql } from '@tunegraph/service-kit';
import { z } from 'zod';

const SIZE = /^[1-9]\d*(kB|MB|GB|TB)$/;
const size = (fallback: string) =>
  z.string().regex(SIZE, "must be a PostgreSQL memory size such as '64MB' or '1GB'").default(fallback);

const UNITS: Record<string, number> = { kB: 2 ** 10, MB: 2 ** 20, GB: 2 ** 30, TB: 2 ** 40 };
const bytesOf = (s: string) => Number(/^\d+/.exec(s)![0]) * UNITS[/[a-zA-Z]+$/.exec(s)![0]];

/**
 * What one load's transactions may use on the database server. Hash aggregates over millions of staged rows spill
 * to disk at PostgreSQL's default 4 MB, and a rebuilt key is a sort of every row, best done in memory: the defaults
 * suit a server with a few GB to spare. A smaller server lowers them (a load then spills, slower but safe).
 * INGEST_KEYS_MEMORY is this process's side: what a first plays load may hold of its users' and songs' ids and keys
 * (about 90 bytes an id: the full taste profile's 1.4 M take about 130 MB). Past it, the plays of ids it could not
 * hold are set aside on disk and added in SQL, so a file with any number of users loads within the
 * service's memory bound.
 */
export const loadMemoryEnvSchema = z.object({
  INGEST_WORK_MEM: size('256MB'),
  INGEST_MAINTENANCE_WORK_MEM: size('1GB'),
  INGEST_KEYS_MEMORY: size('160MB'),
});

export interface LoadMemory {
  workMem: string;
  maintenanceWorkMem: string;
  /** In this process, in bytes. */
  keysBytes: number;
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
    keysBytes: bytesOf(parsed.data.INGEST_KEYS_MEMORY),
  };
}

/** Applies the load's server memory to the current transaction only (`tx` is a transaction). */
export async function useLoadMemory(
  tx: Sql,
  memory: Pick<LoadMemory, 'workMem' | 'maintenanceWorkMem'>,
): Promise<void> {
  await tx`SELECT set_config('work_mem', ${memory.workMem}, true),
    set_config('maintenance_work_mem', ${memory.maintenanceWorkMem}, true)`;
}

import type { CopyValue, Sql } from '@tunegraph/service-kit';
import type { AnyMsdFile, KnownMsdFormat, MsdRecordMap } from '@tunegraph/msd-formats';
import type { LoadMemory } from '../load-memory';

/** How one MSD format is staged (row shape) and merged into the catalog tables (idempotently). */
export interface FormatLoader<F extends KnownMsdFormat> {
  format: F;
  stageColumns: string;
  columns: string[];
  toRows(record: MsdRecordMap[F]): CopyValue[][];
  /** Runs before staging, e.g. to store an mxm file's vocabulary. */
  prepare?(sql: Sql, file: AnyMsdFile): Promise<void>;
  /**
   * Moves staged rows into the real tables; returns rows inserted or changed (0 on a rerun) and staged rows it
   * could not apply, which the job quarantines; a lyrics loader also names the songs whose lyrics changed.
   */
  merge(
    sql: Sql,
    stage: string,
  ): Promise<{ changed: number; unapplied?: { raw: string; reason: string }[]; lyricsSongIds?: string[] }>;
  /**
   * A faster way in than staging for some states of the database (e.g. an empty table): runs inside one transaction
   * on a server that takes COPY FROM STDIN, and returns undefined, having read no rows, to fall back to staging.
   * `setAside` counts rows it could not take on the way, held on disk and merged after (see INGEST_KEYS_MEMORY).
   */
  bulkLoad?(
    tx: Sql,
    rows: AsyncIterable<CopyValue[][]>,
    memory: LoadMemory,
  ): Promise<{ changed: number; lyricsSongIds?: string[]; setAside?: number } | undefined>;
}

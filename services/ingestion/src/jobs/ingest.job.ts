import type { S3Client } from '@aws-sdk/client-s3';
import { TOPICS } from '@tunegraph/contracts';
import {
  copiesFromStdin,
  copyRows,
  type BulkTarget,
  type CopyValue,
  type EventBus,
  type Logger,
  type Sql,
} from '@tunegraph/service-kit';
import { openMsdFile, type AnyMsdFile, type ByteSource, type KnownMsdFormat } from '@tunegraph/msd-formats';
import { loadMemoryFromEnv, useLoadMemory, type LoadMemory } from './load-memory';
import { LOADERS } from './loaders';
import type { FormatLoader } from './loaders/loader.types';
import { listSources } from './sources';
import { withStagingTable } from './staging';

export interface IngestFileSummary {
  source: string;
  format: string;
  encoding?: string;
  status: 'loaded' | 'unchanged' | 'unsupported' | 'failed';
  records: number;
  rejected: number;
  skipped: number;
  changed: number;
  message?: string;
}

export interface IngestSummary {
  files: IngestFileSummary[];
  records: number;
  rejected: number;
  changed: number;
  seconds: number;
}

export interface IngestProgress {
  file: string;
  fileIndex: number;
  files: number;
  records: number;
}

const PROGRESS_EVERY = 10_000;
const QUARANTINE_ROWS = 10_000;

type ParsedLine = { kind: string; lineNo: number; value?: unknown; raw?: string; reason?: string };

/**
 * Loads MSD-family files (any mix, any order, files or folders): each file is detected by content, COPY'd into a
 * staging table and merged idempotently; unusable lines are quarantined with line number and reason. A file whose
 * fingerprint matches a finished load is skipped, so a rerun (or a restart after a kill) only does what is left.
 * With a bus, every lyrics load announces the songs whose lyrics changed on `lyrics.stored`.
 */
export async function ingestFiles(
  target: BulkTarget & { logger: Logger; bus?: EventBus },
  paths: string[],
  opts: {
    onProgress?: (p: IngestProgress) => void;
    force?: boolean;
    /** Reads every file as this format, not the one its content suggests; lines that do not fit are quarantined. */
    format?: KnownMsdFormat;
    s3?: S3Client;
    memory?: LoadMemory;
  } = {},
): Promise<IngestSummary> {
  const started = Date.now();
  const memory = opts.memory ?? loadMemoryFromEnv();
  const opened: { path: string; source: ByteSource; file?: AnyMsdFile; error?: string }[] = [];
  for (const source of await listSources(paths, opts.s3)) {
    try {
      opened.push({ path: source.path, source, file: await openMsdFile(source, { format: opts.format }) });
    } catch (err) {
      opened.push({ path: source.path, source, error: (err as Error).message });
    }
  }
  const rank = (f?: AnyMsdFile) => {
    const i = LOADERS.findIndex((l) => l.format === f?.format);
    return i < 0 ? LOADERS.length : i;
  };
  opened.sort((a, b) => rank(a.file) - rank(b.file) || a.path.localeCompare(b.path));

  const files: IngestFileSummary[] = [];
  for (const [fileIndex, entry] of opened.entries()) {
    const loader = LOADERS.find((l) => l.format === entry.file?.format);
    if (!entry.file || !loader) {
      const message = entry.error ?? `format '${entry.file?.format}' is recognised but not loaded yet`;
      files.push({
        source: entry.path,
        format: entry.file?.format ?? 'unknown',
        status: 'unsupported',
        records: 0,
        rejected: 0,
        skipped: 0,
        changed: 0,
        message,
      });
      target.logger.warn({ file: entry.path, reason: message }, 'file not loaded');
      continue;
    }
    const { summary, lyricsSongIds } = await loadFile(
      target,
      entry.source,
      entry.file,
      loader,
      { force: opts.force ?? false, memory },
      (records) => opts.onProgress?.({ file: entry.path, fileIndex, files: opened.length, records }),
    );
    if (target.bus && lyricsSongIds.length) await announceLyrics(target.bus, lyricsSongIds);
    files.push(summary);
    target.logger.info(summary, 'file ingested');
  }
  const total = (k: 'records' | 'rejected' | 'changed') => files.reduce((s, f) => s + f[k], 0);
  return {
    files,
    records: total('records'),
    rejected: total('rejected'),
    changed: total('changed'),
    seconds: (Date.now() - started) / 1000,
  };
}

const LYRICS_EVENT_SONGS = 1000;
/**
 * Messages per publish call. Loading the msd preset with Kafka configured, one call with all 238 messages of its
 * lyrics file went with a peak RSS of 420-451 MiB in 3 of 5 runs; 20 per call, 318-334 MiB in 6 of 6. The bus
 * already splits each call's sends by size, and where the difference comes from is not pinned down.
 */
const LYRICS_EVENTS_PER_PUBLISH = 20;

async function announceLyrics(bus: EventBus, songIds: string[]): Promise<void> {
  const messages = [];
  for (let i = 0; i < songIds.length; i += LYRICS_EVENT_SONGS) {
    const chunk = songIds.slice(i, i + LYRICS_EVENT_SONGS);
    messages.push({ key: chunk[0], value: { songIds: chunk } });
  }
  for (let i = 0; i < messages.length; i += LYRICS_EVENTS_PER_PUBLISH) {
    await bus.publish(TOPICS.lyricsStored, messages.slice(i, i + LYRICS_EVENTS_PER_PUBLISH));
  }
}

async function loadFile(
  target: BulkTarget,
  bytes: ByteSource,
  file: AnyMsdFile,
  loader: FormatLoader<KnownMsdFormat>,
  { force, memory }: { force: boolean; memory: LoadMemory },
  progress: (records: number) => void,
): Promise<{ summary: IngestFileSummary; lyricsSongIds: string[] }> {
  const { sql } = target;
  const source = file.info.path;
  const print = await bytes.fingerprint();
  const [previous] = await sql<
    {
      fingerprint: string;
      format: string;
      status: string;
      records: string;
      rejected: string;
      encoding: string;
    }[]
  >`
    SELECT fingerprint, format, status, records, rejected, encoding FROM ingest_files WHERE source = ${source}`;
  // A file loaded before as another format (one forced since, or forced then) is loaded again.
  const unchanged = previous?.fingerprint === print.value && previous.format === file.format;
  if (!force && previous?.status === 'done' && unchanged) {
    return {
      summary: {
        source,
        format: file.format,
        encoding: previous.encoding,
        status: 'unchanged',
        records: Number(previous.records),
        rejected: Number(previous.rejected),
        skipped: 0,
        changed: 0,
      },
      lyricsSongIds: [],
    };
  }
  await sql`
    INSERT INTO ingest_files (source, format, size_bytes, fingerprint, status)
    VALUES (${source}, ${file.format}, ${print.size}, ${print.value}, 'loading')
    ON CONFLICT (source) DO UPDATE SET format = EXCLUDED.format, size_bytes = EXCLUDED.size_bytes,
      fingerprint = EXCLUDED.fingerprint, status = 'loading', finished_at = NULL`;
  await sql`DELETE FROM quarantine WHERE source = ${source}`;
  await loader.prepare?.(sql, file);
  let rejected = 0;
  let lyricsSongIds: string[] = [];
  const chunks = () => stagedChunks(target, file, loader, progress, (n) => (rejected += n));
  const bulk =
    loader.bulkLoad && (await copiesFromStdin(target))
      ? await sql.begin(async (tx) => {
          await useLoadMemory(tx as unknown as Sql, memory);
          return loader.bulkLoad!(tx as unknown as Sql, chunks(), memory);
        })
      : undefined;
  if (bulk) lyricsSongIds = bulk.lyricsSongIds ?? [];
  const changed = bulk
    ? bulk.changed
    : await withStagingTable(sql, source, loader.stageColumns, async (stage) => {
        await copyRows(target, stage, loader.columns, chunks());
        // Fresh statistics let the merge's planner hash (not sort) the staged rows.
        await sql.unsafe(`ANALYZE ${stage}`);
        const merged = await sql.begin(async (tx) => {
          await useLoadMemory(tx as unknown as Sql, memory);
          return loader.merge(tx as unknown as Sql, stage);
        });
        const unapplied = merged.unapplied ?? [];
        await quarantine(
          target,
          unapplied.map((u) => [source, null, u.raw, u.reason]),
        );
        rejected += unapplied.length;
        lyricsSongIds = merged.lyricsSongIds ?? [];
        return merged.changed;
      });
  const stats = file.stats();
  await sql`
    UPDATE ingest_files SET status = 'done', encoding = ${file.info.encoding}, records = ${stats.records},
      rejected = ${rejected}, finished_at = now()
    WHERE source = ${source}`;
  return {
    summary: {
      source,
      format: file.format,
      encoding: file.info.encoding,
      status: 'loaded',
      records: stats.records,
      rejected,
      skipped: stats.skipped,
      changed,
      ...(bulk?.setAside
        ? {
            message:
              `${bulk.setAside} rows naming ids beyond INGEST_KEYS_MEMORY were set aside on disk and added in SQL ` +
              `after the bulk copy`,
          }
        : {}),
    },
    lyricsSongIds,
  };
}

/** Parsed rows as they come, one batch per read chunk (copyRows encodes them at once, so they die young). */
async function* stagedChunks(
  target: BulkTarget,
  file: AnyMsdFile,
  loader: FormatLoader<KnownMsdFormat>,
  progress: (records: number) => void,
  onRejected: (n: number) => void,
): AsyncGenerator<CopyValue[][]> {
  let bad: CopyValue[][] = [];
  let records = 0;
  let reported = 0;
  for await (const batch of file.batches() as AsyncIterable<ParsedLine[]>) {
    const rows: CopyValue[][] = [];
    for (const parsed of batch) {
      if (parsed.kind === 'record') {
        for (const row of loader.toRows(parsed.value as never)) rows.push(row);
        records++;
      } else {
        bad.push([file.info.path, parsed.lineNo, parsed.raw ?? '', parsed.reason ?? 'rejected']);
      }
    }
    if (rows.length) yield rows;
    if (records - reported >= PROGRESS_EVERY) {
      progress(records);
      reported = records;
    }
    if (bad.length >= QUARANTINE_ROWS) {
      onRejected(bad.length);
      await quarantine(target, bad);
      bad = [];
    }
  }
  onRejected(bad.length);
  await quarantine(target, bad);
  progress(records);
}

async function quarantine(target: BulkTarget, rows: CopyValue[][]) {
  if (rows.length) await copyRows(target, 'quarantine', ['source', 'line_no', 'raw', 'reason'], [rows]);
}

import * as path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { generateDataset, type Preset } from '@tunegraph/generator';
import { ingestFiles, type IngestSummary } from '@tunegraph/ingestion-service';
import { trainAlsJob, trainItem2VecJob } from '@tunegraph/collaborative-service';
import { trainLdaJob, trainTfidfJob, trainWord2VecJob } from '@tunegraph/content-service';
import type { Logger } from '@tunegraph/service-kit';
import type { Store } from './store';

function bar(format: string) {
  return new SingleBar({ format, hideCursor: true, noTTYOutput: false, notTTYSchedule: 5000, etaBuffer: 50 }, Presets.shades_classic);
}

export async function generate(opts: { preset: Preset; seed: number; out: string }) {
  const progress = bar('generate {phase} [{bar}] {percentage}% | {value}/{total}');
  let phase = '';
  const summary = await generateDataset({
    preset: opts.preset,
    seed: opts.seed,
    outDir: opts.out,
    onProgress: (p) => {
      if (p.phase !== phase) {
        if (phase) progress.stop();
        phase = p.phase;
        progress.start(p.total, p.done, { phase });
      }
      progress.update(p.done, { phase });
    },
  });
  if (phase) progress.stop();
  console.log(
    `generated ${opts.preset}: ${summary.users} users, ${summary.songs} songs, ${summary.triplets} plays, ` +
      `${summary.lyricsSongs} songs with lyrics in ${summary.seconds.toFixed(1)} s → ${path.resolve(opts.out)}`,
  );
  return summary;
}

export async function ingest(store: Store, logger: Logger, paths: string[], force = false): Promise<IngestSummary> {
  const progress = bar('ingest file {file}/{files} [{bar}] {value} records');
  let current = -1;
  const summary = await ingestFiles({ sql: store.sql, pglite: store.pglite, logger, bus: store.bus }, paths, {
    force,
    onProgress: (p) => {
      if (p.fileIndex !== current) {
        if (current >= 0) progress.stop();
        current = p.fileIndex;
        progress.start(0, 0, { file: p.fileIndex + 1, files: p.files });
      }
      progress.setTotal(Math.max(p.records, 1));
      progress.update(p.records, { file: p.fileIndex + 1, files: p.files });
    },
  });
  if (current >= 0) progress.stop();
  for (const f of summary.files) {
    console.log(
      `  ${f.status.padEnd(11)} ${f.format.padEnd(20)} ${f.records} records, ${f.rejected} quarantined, ${f.changed} changed` +
        `${f.encoding ? `, ${f.encoding}` : ''}${f.message ? ` (${f.message})` : ''}  ${f.source}`,
    );
  }
  console.log(
    `ingested ${summary.files.length} file(s) into ${store.description}: ${summary.records} records, ` +
      `${summary.rejected} quarantined, ${summary.changed} rows changed in ${summary.seconds.toFixed(1)} s`,
  );
  return summary;
}

export const MODELS = ['als', 'tfidf', 'lda', 'word2vec', 'item2vec'] as const;
export type ModelName = (typeof MODELS)[number];

export async function train(store: Store, logger: Logger, model: ModelName) {
  const deps = { sql: store.sql, bus: store.bus, logger, pglite: store.pglite };
  const jobs: Record<ModelName, () => Promise<unknown>> = {
    als: () => trainAlsJob(deps),
    tfidf: () => trainTfidfJob(deps),
    lda: () => trainLdaJob(deps),
    word2vec: () => trainWord2VecJob(deps),
    item2vec: () => trainItem2VecJob(deps),
  };
  return jobs[model]();
}

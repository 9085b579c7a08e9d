import * as fs from 'node:fs';
import * as path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { generateDataset, type Preset } from '@tunegraph/generator';
import type { KnownMsdFormat } from '@tunegraph/msd-formats';
import { ingestFiles, type IngestSummary } from '@tunegraph/ingestion-service';
import {
  collaborativeModels,
  evaluateModels,
  trainItem2VecJob,
  trainModelJob,
  type EvaluateModelsOptions,
} from '@tunegraph/collaborative-service';
import { reportMarkdown, reportSvg } from '@tunegraph/metrics';
import { trainLdaJob, trainTfidfJob, trainWord2VecJob } from '@tunegraph/content-service';
import type { Logger } from '@tunegraph/service-kit';
import type { Store } from './store';

function bar(format: string) {
  return new SingleBar(
    { format, hideCursor: true, noTTYOutput: false, notTTYSchedule: 5000, etaBuffer: 50 },
    Presets.shades_classic,
  );
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

export async function ingest(
  store: Store,
  logger: Logger,
  paths: string[],
  opts: { force?: boolean; format?: KnownMsdFormat } = {},
): Promise<IngestSummary> {
  const progress = bar('ingest file {file}/{files} [{bar}] {value} records');
  let current = -1;
  const summary = await ingestFiles({ sql: store.sql, pglite: store.pglite, logger, bus: store.bus }, paths, {
    ...opts,
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
  if (!opts.format && summary.files.some((f) => f.status === 'unsupported' && f.format === 'unknown')) {
    console.log('  a file whose format was not recognised loads with --format <format> (one file at a time)');
  }
  console.log(
    `ingested ${summary.files.length} file(s) into ${store.description}: ${summary.records} records, ` +
      `${summary.rejected} quarantined, ${summary.changed} rows changed in ${summary.seconds.toFixed(1)} s`,
  );
  return summary;
}

/** Content and embedding models, then every collaborative kind of the registry (als, popularity, itemknn, ease, ...). */
const OTHER_MODELS = ['tfidf', 'lda', 'word2vec', 'item2vec'] as const;
export const MODELS: readonly string[] = [...collaborativeModels.names(), ...OTHER_MODELS];

/** `params` (collaborative kinds only) are the kind's hyperparameters, checked before anything is written. */
export async function train(
  store: Store,
  logger: Logger,
  model: string,
  params: Record<string, unknown> = {},
) {
  const deps = { sql: store.sql, bus: store.bus, logger, pglite: store.pglite };
  const others: Record<(typeof OTHER_MODELS)[number], () => Promise<unknown>> = {
    tfidf: () => trainTfidfJob(deps),
    lda: () => trainLdaJob(deps),
    word2vec: () => trainWord2VecJob(deps),
    item2vec: () => trainItem2VecJob(deps),
  };
  const other = others[model as (typeof OTHER_MODELS)[number]];
  if (other) {
    if (Object.keys(params).length > 0)
      throw new Error(`--params applies to collaborative models only, not ${model}`);
    return other();
  }
  return trainModelJob(deps, model, params);
}

/** Scores the collaborative models on one split of the stored plays; writes report.json, report.md and report.svg. */
export async function evaluate(
  store: Store,
  logger: Logger,
  opts: Partial<EvaluateModelsOptions> & { out: string },
) {
  const started = Date.now();
  const report = await evaluateModels({ sql: store.sql, logger }, opts);
  fs.mkdirSync(opts.out, { recursive: true });
  const markdown = reportMarkdown(report);
  fs.writeFileSync(path.join(opts.out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(path.join(opts.out, 'report.md'), markdown);
  fs.writeFileSync(path.join(opts.out, 'report.svg'), reportSvg(report));
  console.log(markdown);
  const best = [...report.models].sort((a, b) => b.result.ndcg[report.k[0]] - a.result.ndcg[report.k[0]])[0];
  console.log(
    `evaluated ${report.models.length} model(s) on the ${report.split.name} split (${report.split.testUsers} test users) in ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s; best NDCG@${report.k[0]}: ${best ? `${best.name} ${best.result.ndcg[report.k[0]].toFixed(4)}` : 'none'} → ${path.resolve(opts.out)}`,
  );
  return report;
}

import { Command, InvalidArgumentError } from 'commander';
import { KNOWN_MSD_FORMATS, knownMsdFormat, type KnownMsdFormat } from '@tunegraph/msd-formats';
import { cliLogger } from './cli-logger';
import { MODELS, evaluate, generate, ingest, train } from './commands';
import { bootstrapData, startComponents } from './launcher';
import { openStore } from './store';

const program = new Command('tunegraph').description(
  'Music recommendations from the Million Song Dataset family.',
);

const intArg = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('must be an integer');
  return n;
};

const msdFormatArg = (v: string) => {
  try {
    return knownMsdFormat(v);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
};

const jsonObjectArg = (v: string) => {
  let value: unknown;
  try {
    value = JSON.parse(v);
  } catch (err) {
    throw new InvalidArgumentError(`not JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidArgumentError('must be a JSON object');
  return value as Record<string, never>;
};

async function withStore<T>(
  run: (store: Awaited<ReturnType<typeof openStore>>, logger: ReturnType<typeof cliLogger>) => Promise<T>,
) {
  const logger = cliLogger();
  const store = await openStore(logger);
  try {
    return await run(store, logger);
  } finally {
    await store.close();
  }
}

program
  .command('generate')
  .description(
    'Write seeded MSD-format data (triplets, unique_tracks, musiXmatch lyrics) with planted taste groups.',
  )
  .option('--preset <preset>', 'demo | small | msd', 'demo')
  .option('--seed <n>', 'random seed', intArg, 42)
  .option('--out <dir>', 'output folder', 'data/generated')
  .action(async (o: { preset: string; seed: number; out: string }) => {
    if (!['demo', 'small', 'msd'].includes(o.preset))
      throw new InvalidArgumentError(`unknown preset '${o.preset}'`);
    await generate({ preset: o.preset as 'demo', seed: o.seed, out: o.out });
  });

program
  .command('ingest')
  .description('Load MSD-family files or folders (plain or .gz) into the store; idempotent and resumable.')
  .argument('<paths...>', 'files or folders')
  .option('--force', 'reload files even when unchanged since their last load', false)
  .option(
    '--format <format>',
    `read every file as this format, not the detected one: ${KNOWN_MSD_FORMATS.join(' | ')}`,
    msdFormatArg,
  )
  .action(async (paths: string[], o: { force: boolean; format?: KnownMsdFormat }) => {
    const summary = await withStore((store, logger) => ingest(store, logger, paths, o));
    if (summary.files.some((f) => f.status === 'failed')) process.exitCode = 1;
  });

program
  .command('train')
  .description(`Train a model version and activate it: ${MODELS.join(' | ')}.`)
  .argument('<model>', MODELS.join(' | '))
  .option(
    '--params <json>',
    'hyperparameters of a collaborative model as a JSON object, e.g. \'{"alpha":0.15,"q":3}\'',
    jsonObjectArg,
    {},
  )
  .action(async (model: string, o: { params: Record<string, unknown> }) => {
    if (!MODELS.includes(model))
      throw new InvalidArgumentError(`unknown model '${model}' (expected ${MODELS.join(', ')})`);
    await withStore((store, logger) => train(store, logger, model, o.params));
  });

program
  .command('evaluate')
  .description(
    'Fit the collaborative models on one split of the stored plays and write report.json/.md/.svg.',
  )
  .option('--split <split>', 'holdout | msd-challenge | strong', 'holdout')
  .option('--models <list>', 'comma-separated kinds (default: all)')
  .option('--params <json>', 'hyperparameters per kind, e.g. \'{"ease":{"lambda":100}}\'', jsonObjectArg, {})
  .option('--seed <n>', 'random seed of the split', intArg, 42)
  .option('--test-users <n>', 'users held out by the msd-challenge and strong splits', intArg, 1000)
  .option('--max-users <n>', 'test users scored at most', intArg, 5000)
  .option('--out <dir>', 'report folder', 'evaluation')
  .action(
    async (o: {
      split: string;
      models?: string;
      params: Record<string, Record<string, unknown>>;
      seed: number;
      testUsers: number;
      maxUsers: number;
      out: string;
    }) => {
      await withStore((store, logger) =>
        evaluate(store, logger, {
          split: o.split as 'holdout',
          models: o.models?.split(',').map((m) => m.trim()),
          params: o.params,
          seed: o.seed,
          testUsers: o.testUsers,
          maxUsers: o.maxUsers,
          out: o.out,
        }),
      );
    },
  );

program
  .command('start')
  .description('Run the whole platform; on the embedded store when DATABASE_URL is unset.')
  .action(async () => {
    const logger = cliLogger();
    const started = Date.now();
    const store = await openStore(logger, { serve: true });
    let components: { stop(): Promise<void> } | undefined;
    let stopping = false;
    const shutdown = async (code: number) => {
      if (stopping) return;
      stopping = true;
      logger.info('stopping');
      await components?.stop();
      await store.close();
      process.exit(code);
    };
    process.on('SIGINT', () => void shutdown(0));
    process.on('SIGTERM', () => void shutdown(0));
    try {
      await bootstrapData(store, logger);
      components = await startComponents(store, logger);
    } catch (err) {
      logger.error({ err }, 'start failed');
      await shutdown(1);
      return;
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `\ntunegraph is ready in ${seconds} s on ${store.description}: GraphQL at http://localhost:${process.env.PORT ?? 4000}/graphql (Ctrl-C stops)`,
    );
  });

program.parseAsync().catch((err: Error) => {
  console.error(`tunegraph: ${err.message}`);
  process.exit(1);
});

import { Command, InvalidArgumentError } from 'commander';
import { cliLogger } from './cli-logger';
import { MODELS, generate, ingest, train, type ModelName } from './commands';
import { bootstrapData, startComponents } from './launcher';
import { openStore } from './store';

const program = new Command('tunegraph').description('Music recommendations from the Million Song Dataset family.');

const intArg = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('must be an integer');
  return n;
};

async function withStore<T>(run: (store: Awaited<ReturnType<typeof openStore>>, logger: ReturnType<typeof cliLogger>) => Promise<T>) {
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
  .description('Write seeded MSD-format data (triplets, unique_tracks, musiXmatch lyrics) with planted taste groups.')
  .option('--preset <preset>', 'demo | small | msd', 'demo')
  .option('--seed <n>', 'random seed', intArg, 42)
  .option('--out <dir>', 'output folder', 'data/generated')
  .action(async (o: { preset: string; seed: number; out: string }) => {
    if (!['demo', 'small', 'msd'].includes(o.preset)) throw new InvalidArgumentError(`unknown preset '${o.preset}'`);
    await generate({ preset: o.preset as 'demo', seed: o.seed, out: o.out });
  });

program
  .command('ingest')
  .description('Load MSD-family files or folders (plain or .gz) into the store; idempotent and resumable.')
  .argument('<paths...>', 'files or folders')
  .option('--force', 'reload files even when unchanged since their last load', false)
  .action(async (paths: string[], o: { force: boolean }) => {
    const summary = await withStore((store, logger) => ingest(store, logger, paths, o.force));
    if (summary.files.some((f) => f.status === 'failed')) process.exitCode = 1;
  });

program
  .command('train')
  .description(`Train a model version and activate it: ${MODELS.join(' | ')}.`)
  .argument('<model>', MODELS.join(' | '))
  .action(async (model: string) => {
    if (!MODELS.includes(model as ModelName)) throw new InvalidArgumentError(`unknown model '${model}' (expected ${MODELS.join(', ')})`);
    await withStore((store, logger) => train(store, logger, model as ModelName));
  });

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
    console.log(`\ntunegraph is ready in ${seconds} s on ${store.description}: GraphQL at http://localhost:${process.env.PORT ?? 4000}/graphql (Ctrl-C stops)`);
  });

program.parseAsync().catch((err: Error) => {
  console.error(`tunegraph: ${err.message}`);
  process.exit(1);
});

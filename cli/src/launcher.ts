import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AppError, Logger } from '@tunegraph/service-kit';
import { generate, ingest, train } from './commands';
import { portAnswers, tunegraphHome, type Store } from './store';

const ROOT = path.resolve(__dirname, '../..');

export const COMPONENTS = [
  { name: 'ingestion', entry: 'services/ingestion/dist/main.js', health: 4001 },
  { name: 'collaborative', entry: 'services/collaborative/dist/main.js', health: 4002 },
  { name: 'content', entry: 'services/content/dist/main.js', health: 4003 },
  { name: 'vector-search', entry: 'services/vector-search/dist/main.js', health: 4004 },
  { name: 'lsh', entry: 'services/lsh/dist/main.js', health: 4005 },
  { name: 'gateway', entry: 'gateway/dist/main.js', health: 4000 },
] as const;

async function count(store: Store, query: string): Promise<number> {
  const [row] = await store.sql.unsafe<{ n: number }[]>(query);
  return Number(row.n);
}

/**
 * First start on an empty store: generate demo data, ingest it, train first models. Later starts reuse it. A model
 * the store's data cannot train (no lyrics loaded, say) is left untrained with a warning: the platform still starts.
 */
export async function bootstrapData(store: Store, logger: Logger) {
  const demo = path.join(tunegraphHome(), 'demo');
  const demoLoaded = path.join(demo, '.loaded');
  // A first start cut short (Ctrl-C during the load) leaves the demo folder without its marker: the load is finished
  // now. The generator is deterministic and loads are idempotent, so files already loaded are skipped.
  const interrupted = fs.existsSync(demo) && !fs.existsSync(demoLoaded);
  if (
    interrupted ||
    (await count(store, 'SELECT count(*) AS n FROM (SELECT FROM play_counts LIMIT 1) p')) === 0
  ) {
    logger.info(
      interrupted ? 'finishing the demo data load' : 'empty store: generating demo data in the MSD formats',
    );
    const summary = await generate({ preset: 'demo', seed: 42, out: demo });
    const { triplets, uniqueTracks, mxmBow, mxmReverseMapping } = summary.files;
    await ingest(store, logger, [uniqueTracks, triplets, mxmBow, mxmReverseMapping]);
    fs.writeFileSync(demoLoaded, '');
  }
  // item2vec pairs every two songs of each history: minutes on the demo, so it is trained on demand only.
  const firstModels = ['als', 'tfidf', 'lda'];
  for (const model of firstModels) {
    // A version without its stored artifact (trained by an older release) cannot be served: train a new one.
    const servable = await count(
      store,
      `SELECT count(*) AS n FROM model_versions v WHERE v.model = '${model}' AND v.active
         AND EXISTS (SELECT 1 FROM model_artifacts a WHERE a.model_version_id = v.id)`,
    );
    if (servable > 0) continue;
    logger.info({ model }, 'no active model with a stored artifact: training one');
    try {
      await train(store, logger, model);
    } catch (err) {
      if ((err as AppError).code !== 'BAD_USER_INPUT') throw err;
      logger.warn(
        { model, reason: (err as Error).message },
        `${model} not trained; its queries wait for it (tunegraph train ${model}, once its data is loaded)`,
      );
    }
  }
}

async function waitHealthy(port: number, child: ChildProcess, name: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}; see its log`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} was not healthy after ${timeoutMs / 1000} s`);
}

/** Starts every service and the gateway as child processes on the store's database; resolves when all are healthy. */
export async function startComponents(store: Store, logger: Logger): Promise<{ stop(): Promise<void> }> {
  const logs = path.join(tunegraphHome(), 'logs');
  fs.mkdirSync(logs, { recursive: true });
  // A component is ready when its port answers /health: a port some other process holds (an earlier start still
  // running) would answer for a component that failed to bind it.
  const taken: string[] = [];
  for (const c of COMPONENTS) if (await portAnswers(c.health)) taken.push(`${c.health} (${c.name})`);
  if (taken.length > 0) {
    throw new Error(
      `port ${taken.join(', ')} already in use: is tunegraph already running? Stop it (or whatever holds the port) first`,
    );
  }
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null) return resolve();
            const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
            c.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            c.kill('SIGTERM');
          }),
      ),
    );
  };
  try {
    for (const component of COMPONENTS) {
      const log = fs.openSync(path.join(logs, `${component.name}.log`), 'a');
      const child = spawn(process.execPath, [path.join(ROOT, component.entry)], {
        cwd: ROOT,
        env: {
          ...process.env,
          DATABASE_URL: store.url,
          DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? '3',
          TUNEGRAPH_HOME: tunegraphHome(),
        },
        stdio: ['ignore', log, log],
      });
      children.push(child);
      await waitHealthy(component.health, child, component.name);
      logger.info({ component: component.name, log: path.join(logs, `${component.name}.log`) }, 'started');
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { stop };
}

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AlsInputError } from './als.errors';
import type { AlsModel } from './als.model';
import { resolveAlsOptions, validateInteractions, type AlsOptions } from './als.options';
import { trainAls, trainingSteps } from './als.trainer';
import type { CsrMatrix } from './csr.matrix';
import {
  beginPhase,
  createTrainingState,
  finishPhase,
  MAX_THREADS,
  threadWork,
  workOnPhase,
  type Phase,
} from './training.state';

export interface ParallelAlsOptions extends AlsOptions {
  /** Threads including the calling one; default os.availableParallelism(), at most MAX_THREADS. 1 runs trainAls. */
  threads?: number;
}

/**
 * trainAls spread over worker threads sharing the training state's WebAssembly memory: bit-identical results
 * for the same options, whatever the thread count. The calling thread works too, so `threads: 2` starts one
 * worker. Needs the compiled worker script (dist/als.worker.js); `threads: 1` never does.
 */
export async function trainAlsParallel(userItems: CsrMatrix, opts: ParallelAlsOptions): Promise<AlsModel> {
  const { threads: requested, ...alsOptions } = opts;
  const threads = requested ?? Math.min(availableParallelism(), MAX_THREADS);
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new AlsInputError('threads', `must be an integer in [1, ${MAX_THREADS}], got ${threads}`);
  }
  if (threads === 1) return trainAls(userItems, alsOptions);

  const o = resolveAlsOptions(alsOptions);
  validateInteractions(userItems);
  const state = createTrainingState(userItems, o);
  const script = workerScript();
  const execArgv = withoutSourceCondition(process.execArgv);
  const workers = Array.from(
    { length: threads - 1 },
    (_, i) => new Worker(script, { workerData: { state, slot: i + 1 }, execArgv }),
  );
  const work = threadWork(state, 0);
  try {
    const steps = trainingSteps(state, o);
    for (let step = steps.next(); ; step = steps.next()) {
      if (step.done === true) return step.value;
      const phase = step.value;
      beginPhase(state);
      const helpers = Promise.all(workers.map((w) => runOn(w, phase)));
      workOnPhase(state, phase, work);
      await helpers;
      finishPhase(state, phase);
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function runOn(worker: Worker, phase: Phase): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (): void => {
      cleanup();
      resolve();
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(new Error(`ALS worker exited with code ${code} during phase ${phase}`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(phase);
  });
}

/**
 * The compiled worker beside this file, or, when running from TypeScript sources (tests), the one in dist/:
 * the worker itself must be JavaScript.
 */
function workerScript(): string {
  const candidates = [
    path.join(__dirname, 'als.worker.js'),
    path.join(__dirname, '..', 'dist', 'als.worker.js'),
  ];
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined) {
    throw new Error(
      `ALS worker script not found (looked for ${candidates.join(', ')}); build @tunegraph/als or pass threads: 1`,
    );
  }
  return found;
}

/**
 * Workers inherit the parent's node flags. Under the repo's test runner these include `--conditions source`,
 * which would make the compiled worker resolve workspace packages to their TypeScript sources.
 */
function withoutSourceCondition(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if ((arg === '--conditions' || arg === '-C') && args[i + 1] === 'source') {
      i++;
      continue;
    }
    if (arg === '--conditions=source' || arg === '-C=source') continue;
    out.push(arg);
  }
  return out;
}

import { availableParallelism } from 'node:os';
import { ask, compiledWorkerScript, startWorkers } from '@tunegraph/threads';
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
  const workers = startWorkers(
    compiledWorkerScript(__dirname, 'als.worker.js', '@tunegraph/als'),
    Array.from({ length: threads - 1 }, (_, i) => ({ state, slot: i + 1 })),
  );
  const work = threadWork(state, 0);
  try {
    const steps = trainingSteps(state, o);
    for (let step = steps.next(); ; step = steps.next()) {
      if (step.done === true) return step.value;
      const phase = step.value;
      beginPhase(state);
      const helpers = Promise.all(workers.map((w) => ask(w, phase, `ALS phase ${phase}`)));
      workOnPhase(state, phase, work);
      await helpers;
      finishPhase(state, phase);
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

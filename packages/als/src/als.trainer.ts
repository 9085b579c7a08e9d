import { AlsModel } from './als.model';
import {
  resolveAlsOptions,
  validateInteractions,
  type AlsOptions,
  type ResolvedAlsOptions,
} from './als.options';
import { implicitLoss } from './als.loss';
import type { CsrMatrix } from './csr.matrix';
import { computeGram } from './gram.matrix';
import {
  beginPhase,
  createTrainingState,
  finishPhase,
  PHASES,
  sideProblem,
  threadWork,
  workOnPhase,
  type Phase,
  type TrainingState,
} from './training.state';

/**
 * Implicit-feedback ALS (Hu, Koren & Volinsky 2008) with CG row solves on the calling thread.
 * Each iteration solves all users against fixed items, then all items against fixed users.
 * trainAlsParallel gives bit-identical factors for the same options.
 */
export function trainAls(userItems: CsrMatrix, opts: AlsOptions): AlsModel {
  const o = resolveAlsOptions(opts);
  validateInteractions(userItems);
  const state = createTrainingState(userItems, o);
  const work = threadWork(state, 0);
  const steps = trainingSteps(state, o);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done === true) return step.value;
    beginPhase(state);
    workOnPhase(state, step.value, work);
    finishPhase(state, step.value);
  }
}

/**
 * The iteration schedule shared by the single- and multi-threaded drivers: yields each phase for the driver to
 * run to completion, and does the per-iteration bookkeeping (loss, callback) in between.
 */
export function* trainingSteps(s: TrainingState, o: ResolvedAlsOptions): Generator<Phase, AlsModel, void> {
  for (let iteration = 1; iteration <= o.iterations; iteration++) {
    const started = performance.now();
    for (const phase of PHASES) yield phase;
    let loss: number | undefined;
    if (o.computeLoss) {
      computeGram(s.itemFactors, s.numItems, s.factors, s.regularization, s.gram);
      loss = implicitLoss(sideProblem(s, 'users'), s.gram, s.numUsers, s.numItems, s.regularization);
    }
    o.onIteration?.({ iteration, seconds: (performance.now() - started) / 1000, loss });
  }
  return new AlsModel({
    factors: s.factors,
    numUsers: s.numUsers,
    numItems: s.numItems,
    // slice() copies into ordinary memory, so the model never aliases buffers shared with worker threads.
    userFactors: s.userFactors.slice(),
    itemFactors: s.itemFactors.slice(),
    regularization: s.regularization,
    confidence: o.confidence,
  });
}

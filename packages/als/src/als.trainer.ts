import { SeededRandom } from '@tunegraph/vectors';
import { AlsModel } from './als.model';
import { confidenceWeights, resolveAlsOptions, validateInteractions, type AlsOptions } from './als.options';
import { implicitLoss } from './als.loss';
import { createCgScratch, solveRows, type RowSolveProblem } from './cg.solver';
import type { CsrMatrix } from './csr.matrix';
import { computeGram } from './gram.matrix';

const INIT_STD = 0.01;

/**
 * Implicit-feedback ALS (Hu, Koren & Volinsky 2008) with CG row solves, single-threaded.
 * Each iteration solves all users against fixed items, then all items against fixed users.
 */
export function trainAls(userItems: CsrMatrix, opts: AlsOptions): AlsModel {
  const o = resolveAlsOptions(opts);
  validateInteractions(userItems);
  const f = o.factors;
  const numUsers = userItems.rows;
  const numItems = userItems.cols;
  const itemUsers = userItems.transpose();

  const rng = new SeededRandom(o.seed);
  const userFactors = gaussianMatrix(rng, numUsers * f);
  const itemFactors = gaussianMatrix(rng, numItems * f);
  const gram = new Float64Array(f * f);
  const users: RowSolveProblem = {
    factors: f,
    cgSteps: o.cgSteps,
    indptr: userItems.indptr,
    indices: userItems.indices,
    weights: confidenceWeights(userItems.data, o.confidence),
    fixed: itemFactors,
    gram,
    target: userFactors,
  };
  const items: RowSolveProblem = {
    ...users,
    indptr: itemUsers.indptr,
    indices: itemUsers.indices,
    weights: confidenceWeights(itemUsers.data, o.confidence),
    fixed: userFactors,
    target: itemFactors,
  };
  const scratch = createCgScratch(f);

  for (let it = 1; it <= o.iterations; it++) {
    const started = performance.now();
    computeGram(itemFactors, numItems, f, o.regularization, gram);
    solveRows(0, numUsers, users, scratch);
    computeGram(userFactors, numUsers, f, o.regularization, gram);
    solveRows(0, numItems, items, scratch);
    let loss: number | undefined;
    if (o.computeLoss) {
      computeGram(itemFactors, numItems, f, o.regularization, gram);
      loss = implicitLoss(users, numUsers, numItems, o.regularization);
    }
    o.onIteration?.({ iteration: it, seconds: (performance.now() - started) / 1000, loss });
  }

  return new AlsModel({
    factors: f,
    numUsers,
    numItems,
    userFactors,
    itemFactors,
    regularization: o.regularization,
    confidence: o.confidence,
  });
}

function gaussianMatrix(rng: SeededRandom, length: number): Float32Array {
  const m = new Float32Array(length);
  for (let i = 0; i < length; i++) m[i] = INIT_STD * rng.nextGaussian();
  return m;
}

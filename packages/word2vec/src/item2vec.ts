import { Word2VecInputError } from './word2vec.errors';
import type { Neighbours, Word2VecModel } from './word2vec.model';
import type { Word2VecOptions } from './word2vec.options';
import { trainWord2VecParallel, type ParallelWord2VecOptions } from './word2vec.parallel';
import { trainWord2Vec } from './word2vec.trainer';

/** Word2VecOptions without the window: item2vec always pairs every two items of a history. */
export type Item2VecOptions = Omit<Word2VecOptions, 'window' | 'shrinkWindow'>;

/**
 * item2vec (Barkan & Koenigstein 2016): skip-gram with negative sampling where a sentence is one user's set of
 * items, so the window spans the whole history and is never shrunk (order carries no meaning).
 */
export function item2vec(histories: readonly Int32Array[], options: Item2VecOptions): Word2VecModel {
  return trainWord2Vec(histories, wholeHistoryWindow(histories, options));
}

/** item2vec on worker threads (trainWord2VecParallel: Hogwild, threads default to the available cores). */
export function item2vecParallel(
  histories: readonly Int32Array[],
  options: Item2VecOptions & Pick<ParallelWord2VecOptions, 'threads'>,
): Promise<Word2VecModel> {
  return trainWord2VecParallel(histories, wholeHistoryWindow(histories, options));
}

function wholeHistoryWindow<O extends Item2VecOptions>(
  histories: readonly Int32Array[],
  options: O,
): O & { window: number; shrinkWindow: false } {
  if (!Array.isArray(histories)) throw new Word2VecInputError('histories', 'expected an array of Int32Array');
  let longest = 1;
  for (const h of histories) if (h instanceof Int32Array) longest = Math.max(longest, h.length);
  return { ...options, window: longest, shrinkWindow: false };
}

/**
 * Each user's items in row order, from coordinate-form interactions (entry k: user users[k] played items[k]).
 * Users are 0..max(user); a user without rows gets an empty history.
 */
export function userHistories(users: Int32Array, items: Int32Array): Int32Array[] {
  if (!(users instanceof Int32Array) || !(items instanceof Int32Array) || users.length !== items.length) {
    throw new Word2VecInputError('interactions', 'users and items must be Int32Arrays of equal length');
  }
  let numUsers = 0;
  for (let k = 0; k < users.length; k++) {
    if (users[k] < 0 || items[k] < 0) {
      throw new Word2VecInputError(
        'interactions',
        `entry ${k} has a negative index (user ${users[k]}, item ${items[k]})`,
      );
    }
    numUsers = Math.max(numUsers, users[k] + 1);
  }
  const lengths = new Int32Array(numUsers);
  for (let k = 0; k < users.length; k++) lengths[users[k]]++;
  const histories = Array.from(lengths, (n) => new Int32Array(n));
  const filled = new Int32Array(numUsers);
  for (let k = 0; k < users.length; k++) histories[users[k]][filled[users[k]]++] = items[k];
  return histories;
}

/**
 * The k items with the largest sum of cosines to the history's items, leaving out the history itself and items
 * without a vector; `scores` are those sums. History items without a vector are ignored; if none has one, the
 * result is empty.
 */
export function recommendFromHistory(
  model: Word2VecModel,
  history: ArrayLike<number>,
  k: number,
): Neighbours {
  const { dim, vectors } = model;
  // Σ cos(x, h) = x̂ · Σ ĥ, so one scan against the summed unit vectors ranks by the sum of similarities.
  const query = new Float32Array(dim);
  for (let i = 0; i < history.length; i++) {
    const item = history[i];
    if (!model.hasVector(item)) continue;
    let norm = 0;
    for (let j = 0; j < dim; j++) norm += vectors[item * dim + j] ** 2;
    const scale = 1 / Math.sqrt(norm);
    for (let j = 0; j < dim; j++) query[j] += vectors[item * dim + j] * scale;
  }
  let queryNorm = 0;
  for (let j = 0; j < dim; j++) queryNorm += query[j] ** 2;
  queryNorm = Math.sqrt(queryNorm);
  const found = model.nearest(query, k, Array.from(history));
  for (let i = 0; i < found.scores.length; i++) found.scores[i] *= queryNorm;
  return found;
}

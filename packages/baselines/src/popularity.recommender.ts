import {
  toHistory,
  topKOfScores,
  type FoldedUser,
  type History,
  type Ranking,
  type Recommender,
} from '@tunegraph/metrics';
import type { Interactions } from '@tunegraph/metrics';
import { checkTrainingInput, itemUserRows, type MatrixShape } from './interaction.lists';
import { decodeModelBuffer, encodeModelBuffer } from './model.buffer';

const KIND = 'popularity';

/** Everyone gets the songs with the most distinct listeners: the floor every personal model must beat. */
export class PopularityRecommender implements Recommender {
  readonly kind = KIND;
  readonly numItems: number;

  /** listeners[i] = distinct users of item i in training. */
  constructor(readonly listeners: Float32Array) {
    this.numItems = listeners.length;
  }

  foldIn(history: History): FoldedUser {
    return { history: toHistory(history.items, history.counts, this.numItems) };
  }

  recommend(_user: FoldedUser, k: number, exclude?: ArrayLike<number>): Ranking {
    return topKOfScores(this.listeners, k, exclude);
  }

  /** Popularity owes nothing to the history. */
  explain(): undefined {
    return undefined;
  }

  toBuffer(): Buffer {
    return encodeModelBuffer(KIND, {}, { listeners: this.listeners });
  }

  static fromBuffer(buf: Buffer): PopularityRecommender {
    return new PopularityRecommender(decodeModelBuffer(buf, KIND).arrays.listeners as Float32Array);
  }
}

export function fitPopularity(data: Interactions, shape: MatrixShape): PopularityRecommender {
  checkTrainingInput(data, shape, 'popularity');
  const { indptr } = itemUserRows(data, shape);
  return new PopularityRecommender(
    Float32Array.from({ length: shape.numItems }, (_, i) => indptr[i + 1] - indptr[i]),
  );
}

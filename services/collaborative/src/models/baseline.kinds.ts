import {
  EASE_MAX_ITEMS_LIMIT,
  EaseRecommender,
  ItemKnnRecommender,
  PopularityRecommender,
  fitEase,
  fitItemKnn,
  fitPopularity,
} from '@tunegraph/baselines';
import { z } from 'zod';
import type { ModelKind } from './model-kind';

const popularityParams = z.strictObject({});

export const popularityKind: ModelKind<z.infer<typeof popularityParams>> = {
  name: 'popularity',
  description:
    'The songs with the most distinct listeners, for everyone: the floor personal models must beat',
  params: popularityParams,
  fit: (data) => fitPopularity(data, data),
  load: (bytes) => PopularityRecommender.fromBuffer(bytes),
};

/** alpha 0.15 and q 3 are Aiolli's (2013) best item-based setting on the MSD Challenge; they also win on the Turi sample. */
const itemKnnParams = z.strictObject({
  alpha: z.number().min(0).max(1).default(0.15),
  q: z.number().min(1).max(20).default(3),
  neighbours: z.number().int().min(1).max(10_000).default(200),
});

export const itemKnnKind: ModelKind<z.infer<typeof itemKnnParams>> = {
  name: 'itemknn',
  description:
    "Item-based kNN with Aiolli's asymmetric cosine (alpha) and locality exponent (q); alpha 0.5, q 1 is plain cosine",
  params: itemKnnParams,
  fit: (data, p, log) =>
    fitItemKnn(data, data, {
      ...p,
      onProgress: (done, total) => log({ done, total }, 'itemknn: neighbour lists'),
    }),
  load: (bytes) => ItemKnnRecommender.fromBuffer(bytes),
};

const easeParams = z.strictObject({
  lambda: z.number().gt(0).max(1e7).default(50),
  maxItems: z.number().int().min(1).max(EASE_MAX_ITEMS_LIMIT).default(5_000),
});

export const easeKind: ModelKind<z.infer<typeof easeParams>> = {
  name: 'ease',
  description:
    'EASE (Steck 2019): closed-form dense item-item weights, for catalogs of at most maxItems songs',
  params: easeParams,
  fit: (data, p, log) =>
    fitEase(data, data, {
      ...p,
      onProgress: (phase, done, total) => log({ phase, done, total }, 'ease: inverting the Gram matrix'),
    }),
  load: (bytes) => EaseRecommender.fromBuffer(bytes),
};

import {
  evaluateRecommender,
  holdoutEvaluationSplit,
  strongGeneralizationSplit,
  type Recommender,
  type RecommenderEvaluation,
} from '@tunegraph/metrics';
import { loadPlays, type PlayData } from '@tunegraph/msd-formats/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { fitEase } from './ease.recommender';
import { fitItemKnn } from './item-knn.recommender';
import { fitPopularity } from './popularity.recommender';

/**
 * Real Taste Profile plays (Turi 10000.txt head: 1,630 users, 9,071 songs). Figures measured on these fixed splits;
 * tolerance ±0.005 (every fit is deterministic, so this only absorbs float summation order).
 */
const PLAYS = 'plays/turi_10000.head42739.txt.gz';
const TOLERANCE = 0.005;

function scoreAll(models: Record<string, Recommender>, split: Parameters<typeof evaluateRecommender>[1]) {
  const out: Record<string, RecommenderEvaluation> = {};
  for (const [name, model] of Object.entries(models))
    out[name] = evaluateRecommender(model, split, { k: [10, 50] });
  return out;
}

let plays: PlayData;
beforeAll(async () => {
  plays = await loadPlays(PLAYS);
});

describe('baselines on a per-user 20% holdout of real plays (seed 42, users with >= 5 songs)', () => {
  let r: Record<string, RecommenderEvaluation>;

  beforeAll(() => {
    const shape = { numUsers: plays.userIds.length, numItems: plays.songIds.length };
    const split = holdoutEvaluationSplit(plays, { testFraction: 0.2, seed: 42, minItemsPerUser: 5 });
    r = scoreAll(
      {
        popularity: fitPopularity(split.train, shape),
        cosine: fitItemKnn(split.train, shape, { alpha: 0.5, q: 1, neighbours: 200 }),
        aiolli: fitItemKnn(split.train, shape, { alpha: 0.15, q: 3, neighbours: 200 }),
      },
      split,
    );
  }, 300_000);

  it('reaches the measured NDCG@10 and mAP@500 for each model', () => {
    const measured = {
      popularity: [0.0341, 0.0233],
      cosine: [0.0732, 0.0531],
      aiolli: [0.1039, 0.0713],
    };
    for (const [name, [ndcg, map]] of Object.entries(measured)) {
      expect(Math.abs(r[name].ndcg[10] - ndcg), name).toBeLessThan(TOLERANCE);
      expect(Math.abs(r[name].map500 - map), name).toBeLessThan(TOLERANCE);
    }
  });

  it('item-kNN beats popularity clearly, and the asymmetric cosine with locality beats the plain cosine', () => {
    expect(r.cosine.ndcg[10]).toBeGreaterThan(2 * r.popularity.ndcg[10]);
    expect(r.aiolli.ndcg[10]).toBeGreaterThan(1.3 * r.cosine.ndcg[10]);
    expect(r.aiolli.map500).toBeGreaterThan(2 * r.popularity.map500);
  });

  it('reports coverage and popularity bias that tell popularity from personal models', () => {
    expect(r.popularity.popularityBias).toBeGreaterThan(0.99);
    expect(r.popularity.coverage).toBeLessThan(0.02);
    expect(r.aiolli.coverage).toBeGreaterThan(0.5);
    expect(r.aiolli.popularityBias).toBeLessThan(0.8);
  });
});

describe('baselines under strong generalisation (songs >= 10 users, users >= 10 songs, 200 held-out users)', () => {
  let r: Record<string, RecommenderEvaluation>;

  beforeAll(() => {
    // Liang et al. filter at 200 / 20; this 1,630-user sample keeps only 755 songs even at 10 / 10.
    const split = strongGeneralizationSplit(plays, {
      minSongUsers: 10,
      minUserSongs: 10,
      heldOutUsers: 200,
      foldInFraction: 0.8,
      seed: 42,
    });
    const shape = { numUsers: plays.userIds.length, numItems: split.numItems };
    r = scoreAll(
      {
        popularity: fitPopularity(split.train, shape),
        aiolli: fitItemKnn(split.train, shape, { alpha: 0.15, q: 3, neighbours: 200 }),
        ease: fitEase(split.train, shape, { lambda: 50, maxItems: 5000 }),
      },
      split,
    );
  }, 300_000);

  it('reaches the measured NDCG@10 and mAP@500; EASE and item-kNN beat popularity clearly', () => {
    const measured = { popularity: [0.0826, 0.0658], aiolli: [0.2023, 0.1687], ease: [0.22, 0.1803] };
    expect(r.ease.users).toBe(200);
    for (const [name, [ndcg, map]] of Object.entries(measured)) {
      expect(Math.abs(r[name].ndcg[10] - ndcg), name).toBeLessThan(TOLERANCE);
      expect(Math.abs(r[name].map500 - map), name).toBeLessThan(TOLERANCE);
    }
    expect(r.ease.ndcg[10]).toBeGreaterThan(2 * r.popularity.ndcg[10]);
    expect(r.aiolli.ndcg[10]).toBeGreaterThan(2 * r.popularity.ndcg[10]);
  });
});

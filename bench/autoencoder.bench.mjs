/**
 * `npm run bench -- autoencoder`: Mult-VAE and Mult-DAE (@tunegraph/autoencoder, TensorFlow.js) against ALS
 * (@tunegraph/als) and popularity on the same held-out split of the real Turi plays, scored by the same
 * @tunegraph/metrics code: NDCG@10, recall@50, mAP@500, training time, and the latency of recommending for one user
 * from their history (fold-in: ALS solves for the user vector; the autoencoders run one forward pass).
 */
import path from 'node:path';
import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { readPlays } from './lib/plays.mjs';
import { fmt, latencySummary, log, ratio } from './lib/stats.mjs';
import { load, msdDataDir } from './lib/workspace.mjs';

const HOLDOUT = { testFraction: 0.2, seed: 42, minItemsPerUser: 5 };
// Early stopping watches a second holdout carved out of the training rows, so the test users' held-out songs are
// never seen while choosing the epoch.
const VALIDATION = { testFraction: 0.2, seed: 7, minItemsPerUser: 5 };
const CUTOFFS = [10, 50];
const ALS = { factors: 64, iterations: 15, regularization: 0.1, alpha: 10, confidence: 'log', seed: 1 };
const AUTOENCODERS = {
  vae: {
    variant: 'vae',
    hidden: [100, 32],
    epochs: 20,
    batchSize: 64,
    learningRate: 0.01,
    minItemUsers: 2,
    annealSteps: 1000,
    patience: 3,
    seed: 1,
  },
  dae: {
    variant: 'dae',
    hidden: [100, 32],
    epochs: 20,
    batchSize: 64,
    learningRate: 0.01,
    minItemUsers: 2,
    regularization: 0.0001,
    patience: 3,
    seed: 1,
  },
};
const LATENCY_USERS = 500;

export const needs = ['autoencoder', 'als', 'metrics', 'msd-formats', 'vectors'];

export async function run() {
  const { CsrMatrix, trainAls } = load('als');
  const { holdoutSplit, evaluateRanking, popularityRanking } = load('metrics');
  const { trainAutoencoder } = load('autoencoder');
  const plays = await readPlays(path.join(msdDataDir(), 'plays/turi_10000.head42739.txt.gz'));
  const { numUsers, numItems } = plays;
  const { train, test } = holdoutSplit(plays.interactions, HOLDOUT);
  const inner = holdoutSplit(train, VALIDATION);
  const csr = (d) => CsrMatrix.fromCoo(numUsers, numItems, d.users, d.items, d.counts);
  const full = csr(train);
  const fit = csr(inner.train);
  const users = [...test.keys()].sort((a, b) => a - b);
  const seen = (u) => full.row(u).indices;
  log(`turi: ${numUsers} users, ${numItems} songs, ${full.nnz} training pairs, ${users.length} test users`);
  const score = (recommend) => {
    const r = evaluateRanking(recommend, test, { k: CUTOFFS, numItems });
    return { ndcg10: r.ndcg[10], recall50: r.recall[50], map500: r.map500, coverage: r.coverage };
  };

  const ranking = popularityRanking(train, numItems);
  const popularity = score((u, k) => {
    const h = new Set(seen(u));
    return ranking.filter((i) => !h.has(i)).subarray(0, k);
  });
  log(`popularity: NDCG@10 ${fmt(popularity.ndcg10, 4)}`);

  let started = performance.now();
  let cpu = process.cpuUsage();
  const als = trainAls(full, ALS);
  const alsTrain = timing(started, cpu);
  const alsQuality = score((u, k) => als.recommend(u, k, { exclude: seen(u) }).ids);
  const alsLatency = latency(users, (u) => {
    const { indices, data } = full.row(u);
    als.recommend(als.foldIn(indices, data), 10, { exclude: indices });
  });
  log(`als: NDCG@10 ${fmt(alsQuality.ndcg10, 4)}, trained in ${fmt(alsTrain.seconds, 1)}s`);

  const results = {
    popularity,
    als: { params: ALS, train: alsTrain, ...alsQuality, recommendMs: alsLatency },
  };
  for (const [name, params] of Object.entries(AUTOENCODERS)) {
    started = performance.now();
    cpu = process.cpuUsage();
    const trained = await trainAutoencoder(fit, {
      ...params,
      validation: { history: fit, heldOut: inner.test, k: 10 },
      onEpoch: (e) =>
        log(
          `  ${name} epoch ${e.epoch}: loss ${fmt(e.loss, 2)} validation NDCG@10 ${fmt(e.validationNdcg, 4)} (${fmt(e.seconds, 1)}s)`,
        ),
    });
    const trainTiming = timing(started, cpu);
    const { model } = trained;
    const ranked = model.recommendMany(users.map(seen), 500);
    const recs = new Map(users.map((u, i) => [u, ranked[i].ids]));
    const quality = score((u) => recs.get(u));
    const recommendMs = latency(users, (u) => {
      const { indices, data } = full.row(u);
      model.recommend(model.foldIn({ items: indices, counts: data }), 10, indices);
    });
    log(
      `${name}: NDCG@10 ${fmt(quality.ndcg10, 4)} (best epoch ${trained.bestEpoch}), trained in ${fmt(trainTiming.seconds, 1)}s`,
    );
    results[name] = {
      params,
      backend: trained.backend,
      vocabulary: model.vocab.length,
      epochs: trained.epochs,
      bestEpoch: trained.bestEpoch,
      stoppedEarly: trained.stoppedEarly,
      train: trainTiming,
      ...quality,
      recommendMs,
    };
    model.dispose();
  }

  const part = (name) => {
    const r = results[name];
    return (
      `${name} NDCG@10 ${fmt(r.ndcg10, 4)} (x${fmt(ratio(r.ndcg10, results.als.ndcg10), 2)} ALS, x${fmt(ratio(r.ndcg10, popularity.ndcg10), 2)} pop) ` +
      `R@50 ${fmt(r.recall50, 4)} mAP ${fmt(r.map500, 4)} train ${fmt(r.train.seconds, 1)}s/${fmt(r.train.cpuSeconds, 1)}cpu-s` +
      `${r.bestEpoch ? ` (${r.epochs.length} epochs, best ${r.bestEpoch})` : ''} recommend p50/p99 ${fmt(r.recommendMs.p50, 2)}/${fmt(r.recommendMs.p99, 2)}ms`
    );
  };
  return {
    results: {
      holdout: HOLDOUT,
      validation: VALIDATION,
      users: numUsers,
      items: numItems,
      testUsers: users.length,
      ...results,
    },
    summary:
      `autoencoder turi ${numUsers}u×${numItems}i: ${part('vae')} | ${part('dae')} | ${part('als')} | ` +
      `popularity NDCG@10 ${fmt(popularity.ndcg10, 4)}`,
  };
}

function timing(started, cpu) {
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

/** Per-user latency of recommending 10 songs from a history, over the first LATENCY_USERS test users. */
function latency(users, recommend) {
  const sample = users.slice(0, LATENCY_USERS);
  recommend(sample[0]); // warm-up (ALS builds its Gram matrix, tfjs compiles its kernels)
  const ms = sample.map((u) => {
    const t = performance.now();
    recommend(u);
    return performance.now() - t;
  });
  return { users: sample.length, ...latencySummary(ms) };
}

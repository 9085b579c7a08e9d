/**
 * `npm run bench` runs every quick benchmark; `npm run bench -- <name> [<name>...]` runs the named ones.
 * Builds the workspaces they need first, so they always time the current code (dist/ builds).
 */
import process from 'node:process';
import console from 'node:console';
import { performance } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import { log, machineInfo } from './lib/stats.mjs';
import { REPO_ROOT, writeResults } from './lib/workspace.mjs';

const BENCHMARKS = {
  als: {
    module: './als.bench.mjs',
    quick: true,
    about: 'ALS vs Python implicit (time, NDCG, fold-in latency)',
  },
  'als-msd': {
    module: './als-msd.bench.mjs',
    quick: false,
    about: 'ALS on the msd preset (48 M plays): peak RSS against 3 GB, time per iteration',
  },
  knn: {
    module: './knn.bench.mjs',
    quick: true,
    about: 'exact scan vs LSH vs hnswlib (recall, queries/s, latency)',
  },
  autoencoder: {
    module: './autoencoder.bench.mjs',
    quick: false,
    about:
      'Mult-VAE / Mult-DAE vs ALS and popularity on the Turi plays (NDCG, training time, fold-in latency)',
  },
  content: {
    module: './content.bench.mjs',
    quick: false,
    about: 'TF-IDF, LDA and lyric Word2Vec training vs scikit-learn and gensim (real and generated lyrics)',
  },
  word2vec: {
    module: './word2vec.bench.mjs',
    quick: false,
    about: 'lyric Word2Vec words/s at 1 and 2 threads vs gensim with 1 and 2 workers (real lyrics)',
  },
  freshness: {
    module: './freshness.bench.mjs',
    quick: false,
    about: 'a play through Kafka until the user recommendations change (needs DATABASE_URL, KAFKA_BROKERS)',
  },
  'knn-large': {
    module: './knn-large.bench.mjs',
    quick: false,
    about: 'knn at 385 K generated vectors x 64 and 128 dims (slow: tens of minutes on 2 cores)',
  },
  ingest: {
    module: './ingest.bench.mjs',
    quick: false,
    about: 'tunegraph ingest of 10 M generated triplets into PostgreSQL vs raw psql \\copy',
  },
  'ingest-msd': {
    module: './ingest-msd.bench.mjs',
    quick: false,
    about: 'tunegraph ingest of the full msd preset into PostgreSQL: time and peak RSS',
  },
  'ingest-wide': {
    module: './ingest-wide.bench.mjs',
    quick: false,
    about:
      "tunegraph ingest of 4 M users' 22 M triplets: peak RSS within the keys memory, against holding every id",
  },
  kafka: {
    module: './kafka.bench.mjs',
    quick: false,
    about: 'sustained play events through Kafka into PostgreSQL (rate, latency, counts)',
  },
};

function usage() {
  const lines = Object.entries(BENCHMARKS).map(
    ([name, b]) => `  ${name.padEnd(12)}${b.about}${b.quick ? '' : ' (not quick)'}`,
  );
  return `usage: npm run bench [-- <name>...]\n${lines.join('\n')}`;
}

function build(workspaces) {
  const filters = workspaces.map((w) => `--filter=@tunegraph/${w}`);
  log(`building ${workspaces.join(', ')} (turbo)`);
  const r = spawnSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only', ...filters], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  if (r.error !== undefined || r.status !== 0) {
    throw new Error(
      `build failed (${r.error?.message ?? `exit code ${r.status}`}); fix it or run npm run build to see why`,
    );
  }
}

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage());
    return;
  }
  const unknown = args.filter((a) => !(a in BENCHMARKS));
  if (unknown.length > 0) throw new Error(`unknown benchmark(s): ${unknown.join(', ')}\n${usage()}`);
  const names = args.length > 0 ? args : Object.keys(BENCHMARKS).filter((n) => BENCHMARKS[n].quick);
  const modules = await Promise.all(names.map((n) => import(BENCHMARKS[n].module)));
  build([...new Set(modules.flatMap((m) => m.needs))]);

  for (const [i, name] of names.entries()) {
    log(`benchmark ${name}`);
    const before = machineInfo();
    const started = performance.now();
    const { results, summary } = await modules[i].run();
    const seconds = (performance.now() - started) / 1000;
    const file = writeResults(name, {
      benchmark: name,
      seconds,
      machineBefore: before,
      machineAfter: machineInfo(),
      summary,
      ...results,
    });
    log(`${name} took ${seconds.toFixed(0)}s; full results in ${file}`);
    console.log(`SUMMARY ${summary}`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});

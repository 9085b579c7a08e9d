import process from 'node:process';
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BENCH_DIR, RESULTS_DIR } from './workspace.mjs';
import { log } from './stats.mjs';

// Pinned so that reruns compare against the same baselines; implicit 0.7.3 is the newest with a cp311 wheel.
export const REQUIREMENTS = [
  'implicit==0.7.3',
  'hnswlib==0.8.0',
  'numpy==2.3.5',
  'scipy==1.16.3',
  'threadpoolctl==3.6.0',
  'pyspark==3.5.9',
  'scikit-learn==1.7.2',
  'gensim==4.4.0',
];

// Under bench/results/ because that folder is already git-ignored.
const VENV = path.join(RESULTS_DIR, '.venv');
const PYTHON = path.join(VENV, 'bin', 'python');
const STAMP = path.join(VENV, 'tunegraph-requirements.txt');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.error !== undefined) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}`);
}

/** The venv's python, created and filled on first use; reused while REQUIREMENTS are unchanged. */
export function ensurePython() {
  const wanted = REQUIREMENTS.join('\n');
  if (existsSync(PYTHON) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === wanted) return PYTHON;
  const system = process.env.PYTHON ?? 'python3';
  log(`creating ${VENV} and installing ${REQUIREMENTS.join(' ')} (first run only)`);
  if (!existsSync(PYTHON)) run(system, ['-m', 'venv', VENV]);
  run(PYTHON, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...REQUIREMENTS]);
  writeFileSync(STAMP, wanted);
  return PYTHON;
}

/**
 * Runs bench/py/<script> with a JSON request on stdin; its stderr (progress) is passed through and its
 * stdout must be one JSON document, which is returned.
 */
export function runPython(script, request, env = {}) {
  const python = ensurePython();
  return new Promise((resolve, reject) => {
    const child = spawn(python, [path.join(BENCH_DIR, 'py', script)], {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, ...env },
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`bench/py/${script} exited with ${code}`));
      try {
        resolve(JSON.parse(out));
      } catch (e) {
        reject(
          new Error(`bench/py/${script} printed no JSON result: ${e.message}; output: ${out.slice(0, 500)}`),
        );
      }
    });
    child.stdin.end(JSON.stringify(request));
  });
}

import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

let chosen: Promise<BackendName> | undefined;
let ready: BackendName | undefined;

/**
 * Picks the fastest TensorFlow.js backend available, once per process: tfjs-node ('tensorflow') when it is
 * installed (it cannot be installed offline, so it is only an optional extra), else wasm with SIMD on one thread,
 * else the plain JavaScript 'cpu' backend. The wasm binaries are read from the installed
 * @tensorflow/tfjs-backend-wasm package, never fetched.
 */
export function ensureBackend(): Promise<BackendName> {
  chosen ??= choose().then((name) => (ready = name));
  return chosen;
}

/** The backend ensureBackend() settled on; throws when it has not finished (models are built synchronously). */
export function readyBackend(): BackendName {
  if (ready === undefined) {
    throw new Error(
      'the TensorFlow.js backend is not initialised: await ensureBackend() before loading a model',
    );
  }
  return ready;
}

async function choose(): Promise<BackendName> {
  if (await tryTfjsNode()) return 'tensorflow';
  const require = createRequire(__filename);
  setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
  if (await tf.setBackend('wasm')) return 'wasm';
  if (await tf.setBackend('cpu')) return 'cpu';
  throw new Error('no TensorFlow.js backend could be initialised (tried tensorflow, wasm, cpu)');
}

async function tryTfjsNode(): Promise<boolean> {
  // A variable module name keeps the compiler and bundlers from requiring the optional package.
  const optional = '@tensorflow/tfjs-node';
  try {
    await import(optional);
  } catch {
    return false;
  }
  return tf.setBackend('tensorflow');
}

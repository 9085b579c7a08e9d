import { compiledWorkerScript, shared, startWorkers } from '@tunegraph/threads';
import type { CosineIndexSpec } from './cosine.build';
import { CosineLsh } from './cosine.lsh';
import type { CosineTuning } from './cosine.tune';

/** What the build worker posts: progress lines, then the result. */
export type BuildMessage = { progress: string } | { snapshot: ArrayBuffer; tuning?: CosineTuning };

/**
 * buildCosineIndex on a worker thread, so the calling thread keeps serving while a large catalogue is tuned (about
 * a minute at 385 K vectors); the index comes back through its snapshot format. The vectors are shared with the
 * worker, not copied. Needs the compiled worker (dist/cosine.build.worker.js).
 */
export async function buildCosineIndexOffThread(
  vectors: Float32Array,
  count: number,
  spec: CosineIndexSpec,
  onProgress?: (message: string) => void,
): Promise<{ index: CosineLsh; tuning?: CosineTuning }> {
  const script = compiledWorkerScript(__dirname, 'cosine.build.worker.js', '@tunegraph/lsh');
  const input = vectors.buffer instanceof SharedArrayBuffer ? vectors : shared(vectors);
  const [worker] = startWorkers(script, [{ vectors: input, count, spec }]);
  try {
    return await new Promise((resolve, reject) => {
      worker.on('message', (message: BuildMessage) => {
        if ('progress' in message) onProgress?.(message.progress);
        else resolve({ index: CosineLsh.fromBuffer(Buffer.from(message.snapshot)), tuning: message.tuning });
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`LSH build worker exited with code ${code}`)));
    });
  } finally {
    await worker.terminate();
  }
}

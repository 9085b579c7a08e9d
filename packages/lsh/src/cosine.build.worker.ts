import { parentPort, workerData } from 'node:worker_threads';
import { buildCosineIndex, type CosineIndexSpec } from './cosine.build';
import type { BuildMessage } from './cosine.build.async';

// Entry point of buildCosineIndexOffThread's worker: builds once, posting progress lines, then the index as a
// snapshot buffer (transferred, not copied) with its tuning.
const { vectors, count, spec } = workerData as {
  vectors: Float32Array;
  count: number;
  spec: CosineIndexSpec;
};
const port = parentPort;
if (port === null) throw new Error('cosine.build.worker must run as a worker thread');
const post = (message: BuildMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const { index, tuning } = buildCosineIndex(vectors, count, spec, (line) => post({ progress: line }));
const snapshot = index.toBuffer();
const bytes = snapshot.buffer.slice(
  snapshot.byteOffset,
  snapshot.byteOffset + snapshot.byteLength,
) as ArrayBuffer;
post({ snapshot: bytes, tuning }, [bytes]);

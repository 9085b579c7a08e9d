import { parentPort, workerData } from 'node:worker_threads';
import { threadWork, workOnPhase, type Phase, type TrainingState } from './training.state';

// Entry point of a trainAlsParallel worker thread: the state arrives once, its arrays in a shared WebAssembly
// memory, with this thread's slot; then each message names a phase to help with; the reply says this thread has
// no chunks left.
const { state, slot } = workerData as { state: TrainingState; slot: number };
const work = threadWork(state, slot);
const port = parentPort;
if (port === null) throw new Error('als.worker must run as a worker thread');
port.on('message', (phase: Phase) => {
  workOnPhase(state, phase, work);
  port.postMessage(phase);
});

import { parentPort, workerData } from 'node:worker_threads';
import { createScratch } from './cg.solver';
import { workOnPhase, type Phase, type TrainingState } from './training.state';

// Entry point of a trainAlsParallel worker thread: the state arrives once on SharedArrayBuffers, then each
// message names a phase to help with; the reply says this thread has no chunks left.
const state = workerData as TrainingState;
const scratch = createScratch(state.factors);
const port = parentPort;
if (port === null) throw new Error('als.worker must run as a worker thread');
port.on('message', (phase: Phase) => {
  workOnPhase(state, phase, scratch);
  port.postMessage(phase);
});

import { parentPort, workerData } from 'node:worker_threads';
import { threadTrainer, trainShare, type SharedTraining } from './word2vec.shared';

// Entry point of a trainWord2VecParallel worker thread: the shared state arrives once with this thread's slot; each
// message starts an epoch over this thread's share, and the reply is what the thread trained in it.
const { state, slot } = workerData as { state: SharedTraining; slot: number };
const trainer = threadTrainer(state, slot);
const port = parentPort;
if (port === null) throw new Error('word2vec.worker must run as a worker thread');
port.on('message', () => port.postMessage(trainShare(state, slot, trainer)));

import { parentPort, workerData } from 'node:worker_threads';
import { threadTrainer, trainShare, type SharedTraining } from './word2vec.shared';

// Entry point of a trainWord2VecParallel worker thread: the shared state arrives once with this thread's slot; each
// message starts an epoch (this thread claims chunks until none is left), and the reply is what it trained.
const { state, slot } = workerData as { state: SharedTraining; slot: number };
const trainer = threadTrainer(state, slot);
const port = parentPort;
if (port === null) throw new Error('word2vec.worker must run as a worker thread');
port.on('message', () => port.postMessage(trainShare(state, trainer)));

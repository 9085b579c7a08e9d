export { ask, compiledWorkerScript, shared, startWorkers, withoutSourceCondition } from './worker.pool';

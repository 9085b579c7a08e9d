import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * The compiled worker script `file` (a .js name) beside the calling module, or, when the caller runs from
 * TypeScript sources (tests), the one in its package's dist/: a worker itself must be JavaScript.
 */
export function compiledWorkerScript(moduleDir: string, file: string, packageName: string): string {
  const candidates = [path.join(moduleDir, file), path.join(moduleDir, '..', 'dist', file)];
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined) {
    throw new Error(
      `worker script not found (looked for ${candidates.join(', ')}); build ${packageName} or use one thread`,
    );
  }
  return found;
}

/** One worker per entry of `data` (its workerData), with the parent's node flags minus the source condition. */
export function startWorkers(script: string, data: readonly unknown[]): Worker[] {
  const execArgv = withoutSourceCondition(process.execArgv);
  return data.map((workerData) => new Worker(script, { workerData, execArgv }));
}

/**
 * Workers inherit the parent's node flags. Under the repo's test runner these include `--conditions source`,
 * which would make the compiled worker resolve workspace packages to their TypeScript sources.
 */
export function withoutSourceCondition(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if ((arg === '--conditions' || arg === '-C') && args[i + 1] === 'source') {
      i++;
      continue;
    }
    if (arg === '--conditions=source' || arg === '-C=source') continue;
    out.push(arg);
  }
  return out;
}

/**
 * Posts `message` and resolves with the worker's next reply; rejects if the worker throws or exits first.
 * `what` names the request in the exit error.
 */
export function ask<T>(worker: Worker, message: unknown, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (reply: T): void => {
      cleanup();
      resolve(reply);
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(new Error(`worker exited with code ${code} during ${what}`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(message);
  });
}

/** A SharedArrayBuffer-backed copy of `array`, so worker threads see (and write) the same memory. */
export function shared<T extends Float32Array | Float64Array | Int32Array | BigInt64Array>(array: T): T {
  const Ctor = array.constructor as new (buffer: SharedArrayBuffer) => T;
  const copy = new Ctor(new SharedArrayBuffer(array.byteLength));
  (copy as unknown as { set(a: T): void }).set(array);
  return copy;
}

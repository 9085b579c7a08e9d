import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ask, compiledWorkerScript, shared, startWorkers, withoutSourceCondition } from './index';

// A worker that doubles the numbers it receives, throws on 'throw' and exits on 'exit'.
const dir = mkdtempSync(path.join(tmpdir(), 'threads-'));
const script = path.join(dir, 'echo.worker.js');
writeFileSync(
  script,
  `const { parentPort, workerData } = require('node:worker_threads');
parentPort.on('message', (m) => {
  if (m === 'throw') throw new Error('asked to throw');
  if (m === 'exit') process.exit(3);
  workerData.cells[0] += m;
  parentPort.postMessage(m * 2);
});`,
);

describe('worker pool helpers', () => {
  const cells = shared(Float64Array.of(1));
  const [worker, other, third] = startWorkers(script, [{ cells }, { cells }, { cells }]);
  afterAll(async () => {
    await Promise.all([worker, other, third].map((w) => w.terminate()));
  });

  it('resolves with the reply, and workers write the shared memory', async () => {
    await expect(Promise.all([ask(worker, 2, 'double'), ask(other, 5, 'double')])).resolves.toEqual([4, 10]);
    expect(cells[0]).toBe(8);
  });

  it('rejects when the worker throws or exits', async () => {
    await expect(ask(worker, 'throw', 'a throw')).rejects.toThrow('asked to throw');
    await expect(ask(third, 'exit', 'an exit')).rejects.toThrow('worker exited with code 3 during an exit');
  });

  it('drops only the source condition from the node flags', () => {
    expect(
      withoutSourceCondition(['--conditions', 'source', '-C=source', '--inspect', '-C', 'other']),
    ).toEqual(['--inspect', '-C', 'other']);
  });

  it('finds a compiled script beside the module or names where it looked', () => {
    expect(compiledWorkerScript(dir, 'echo.worker.js', '@tunegraph/x')).toBe(script);
    expect(() => compiledWorkerScript(dir, 'none.worker.js', '@tunegraph/x')).toThrow(
      /none\.worker\.js.*build @tunegraph\/x or use one thread/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { buildCosineIndex } from './cosine.build';
import { buildCosineIndexOffThread } from './cosine.build.async';
import { gaussianClusters } from './synthetic.test-helpers';

const DIM = 16;
const count = 1200;
const data = gaussianClusters({ count, clusters: 12, dim: DIM, spread: 0.3, seed: 4 });

describe('buildCosineIndexOffThread', () => {
  it('builds on a worker exactly the tuned index the calling thread would, with its progress lines', async () => {
    // One setting: with several, the fastest on the sample wins, and timings differ from run to run.
    const spec = {
      kind: 'tuned' as const,
      dim: DIM,
      seed: 7,
      targetRecall: 0.9,
      sampleQueries: 50,
      settings: [{ family: 'cross-polytope' as const, bits: 2 }],
    };
    const lines: string[] = [];
    const here = buildCosineIndex(data, count, spec);
    const there = await buildCosineIndexOffThread(data, count, spec, (line) => lines.push(line));
    // Everything but the timings.
    const untimed = (t: typeof here.tuning) =>
      JSON.stringify(t, (key, v) => (['buildSeconds', 'queryMs', 'sampleQueryMs'].includes(key) ? 0 : v));
    expect(untimed(there.tuning)).toEqual(untimed(here.tuning));
    expect(there.index.toBuffer().equals(here.index.toBuffer())).toBe(true);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(there.index.query(data.subarray(0, DIM), 5).ids).toEqual(
      here.index.query(data.subarray(0, DIM), 5).ids,
    );
  });

  it('builds a fixed setting, and a one-vector catalogue without tuning', async () => {
    const fixed = await buildCosineIndexOffThread(data, count, {
      kind: 'fixed',
      dim: DIM,
      tables: 4,
      bits: 6,
      probes: 2,
      seed: 1,
    });
    expect([fixed.index.tables, fixed.index.bits, fixed.index.probes, fixed.index.size]).toEqual([
      4,
      6,
      2,
      count,
    ]);
    expect(fixed.tuning).toBeUndefined();
    const one = await buildCosineIndexOffThread(data.subarray(0, DIM), 1, {
      kind: 'tuned',
      dim: DIM,
      seed: 1,
    });
    expect(one.index.size).toBe(1);
  });

  it('reports a failure in the worker as a rejection', async () => {
    await expect(
      buildCosineIndexOffThread(data, count, {
        kind: 'fixed',
        dim: DIM,
        tables: 0,
        bits: 6,
        probes: 1,
        seed: 1,
      }),
    ).rejects.toThrow(/tables/);
  });
});

import { exactKnn } from '@tunegraph/vectors';
import { describe, expect, it } from 'vitest';
import { defaultTables, tuneCosineLsh } from './cosine.tune';
import { gaussianClusters, meanRecall, rowOf } from './synthetic.test-helpers';

describe('tuneCosineLsh on 8k clustered 32-d vectors', () => {
  const dim = 32;
  const count = 8000;
  const data = gaussianClusters({ count, dim, clusters: 40, spread: 0.7, seed: 3 });

  it('picks the fastest setting that reaches the target recall scanning at most 10%, within 2x the raw vectors', () => {
    const progress: string[] = [];
    const { index, tuning } = tuneCosineLsh(data, count, {
      dim,
      seed: 5,
      targetRecall: 0.9,
      settings: [
        { family: 'hyperplane', bits: 10 },
        { family: 'hyperplane', bits: 11 },
        { family: 'cross-polytope', bits: 2 },
      ],
      onProgress: (m) => progress.push(m),
    });
    expect(progress).toHaveLength(3);
    expect(tuning.tried.map((t) => [t.family, t.bits])).toEqual([
      ['hyperplane', 10],
      ['hyperplane', 11],
      ['cross-polytope', 2],
    ]);
    expect(tuning.sampleRecall).toBeGreaterThanOrEqual(0.9);
    const chosen = tuning.tried.find((t) => t.family === tuning.family && t.bits === tuning.bits)!;
    expect(index.family).toBe(tuning.family);
    expect(chosen.scanned).toBeLessThanOrEqual(tuning.maxScanned);
    for (const other of tuning.tried)
      if (other.recall >= 0.9 && other.scanned <= 0.1)
        expect(chosen.queryMs).toBeLessThanOrEqual(other.queryMs);
    expect(index.probes).toBe(tuning.probes);
    expect(index.tables).toBe(defaultTables(dim, count, tuning));
    expect(index.memoryBytes() / count).toBeLessThanOrEqual(2 * 4 * dim);

    // Rows the tuner did not sample (it takes every 40th from 0): recall holds near the target.
    const rows = Array.from({ length: 150 }, (_, i) => 20 + i * 53);
    const found = rows.map((row) => index.query(rowOf(data, dim, row), 10, { exclude: (id) => id === row }));
    const truth = rows.map(
      (row) => exactKnn(data, dim, rowOf(data, dim, row), 10, { exclude: (id) => id === row }).ids,
    );
    const recall = meanRecall(
      found.map((r) => r.ids),
      truth,
    );
    expect(recall).toBeGreaterThanOrEqual(0.87);
    expect(found.reduce((sum, r) => sum + r.scannedFraction, 0) / rows.length).toBeLessThan(0.15);
  });

  it('keeps the setting scanning least when none reaches the target within maxScanned', () => {
    const { tuning } = tuneCosineLsh(data, count, {
      dim,
      seed: 5,
      targetRecall: 0.9,
      maxScanned: 0.001,
      settings: [
        { family: 'hyperplane', bits: 10 },
        { family: 'cross-polytope', bits: 2 },
      ],
    });
    expect(tuning.sampleScanned).toBe(Math.min(...tuning.tried.map((t) => t.scanned)));
  });

  it('rejects a target recall or scan cap outside (0, 1] and too few vectors', () => {
    expect(() => tuneCosineLsh(data, count, { dim, seed: 1, targetRecall: 1.5 })).toThrow(/targetRecall/);
    expect(() => tuneCosineLsh(data, count, { dim, seed: 1, maxScanned: 0 })).toThrow(/maxScanned/);
    expect(() => tuneCosineLsh(data.subarray(0, dim), 1, { dim, seed: 1 })).toThrow(/at least 2 vectors/);
  });
});

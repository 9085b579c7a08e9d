import { describe, expect, it } from 'vitest';
import { reportMarkdown, reportSvg, type EvaluationReport } from './evaluation.report';

const result = (ndcg: number) => ({
  users: 10,
  ndcg: { 10: ndcg },
  precision: { 10: ndcg / 2 },
  recall: { 10: ndcg * 1.5 },
  map500: ndcg / 3,
  coverage: 0.5,
  popularityBias: 0.7,
});

const report: EvaluationReport = {
  split: { name: 'holdout', trainPlays: 100, testUsers: 10, numItems: 50, params: { seed: 42 } },
  k: [10],
  models: [
    { name: 'popularity', params: {}, fitSeconds: 0.1, result: result(0.03) },
    { name: 'als <64>', params: { factors: 64 }, fitSeconds: 2, result: result(0.09) },
  ],
};

describe('evaluation report', () => {
  it('renders one markdown row per model with every metric', () => {
    const md = reportMarkdown(report).split('\n');
    expect(md[2]).toBe('| model | NDCG@10 | P@10 | R@10 | mAP@500 | coverage | popularity bias | fit s |');
    expect(md[5]).toBe('| als <64> | 0.0900 | 0.0450 | 0.1350 | 0.0300 | 0.5000 | 0.7000 | 2.0 |');
  });

  it('draws an SVG with three bars per model, tallest for the best value, names escaped', () => {
    const svg = reportSvg(report);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<rect [^>]*><title>/g)).toHaveLength(6);
    expect(svg).toContain('als &lt;64&gt;');
    const height = (label: string) =>
      Number(new RegExp(`height="([\\d.]+)"[^>]*><title>${label}`).exec(svg)?.[1]);
    // The largest value (als recall 0.135) fills the 240 px plot; the others scale with it.
    expect(height('als &lt;64&gt; Recall@10')).toBeCloseTo(240, 0);
    expect(height('als &lt;64&gt; NDCG@10')).toBeCloseTo(160, 0);
    expect(height('popularity NDCG@10')).toBeCloseTo(53.3, 0);
  });
});

import type { RecommenderEvaluation } from './recommender.evaluator';

/** One evaluation run: every model scored on the same split. Plain data, written as JSON as is. */
export interface EvaluationReport {
  split: {
    name: string;
    trainPlays: number;
    testUsers: number;
    numItems: number;
    params: Record<string, unknown>;
  };
  k: number[];
  models: {
    name: string;
    params: Record<string, unknown>;
    fitSeconds: number;
    result: RecommenderEvaluation;
  }[];
  /** Models that could not run on this split (e.g. EASE on a catalog too large to invert), with the reason. */
  skipped?: { name: string; reason: string }[];
}

const fmt = (v: number) => v.toFixed(4);

/** A markdown table, one row per model, NDCG/precision/recall at each k, mAP@500, coverage and popularity bias. */
export function reportMarkdown(report: EvaluationReport): string {
  const { split, k } = report;
  const head = [
    'model',
    ...k.flatMap((c) => [`NDCG@${c}`, `P@${c}`, `R@${c}`]),
    'mAP@500',
    'coverage',
    'popularity bias',
    'fit s',
  ];
  const rows = report.models.map((m) => [
    m.name,
    ...k.flatMap((c) => [fmt(m.result.ndcg[c]), fmt(m.result.precision[c]), fmt(m.result.recall[c])]),
    fmt(m.result.map500),
    fmt(m.result.coverage),
    fmt(m.result.popularityBias),
    m.fitSeconds.toFixed(1),
  ]);
  return [
    `Split **${split.name}**: ${split.trainPlays} training plays, ${split.testUsers} test users, ${split.numItems} songs ` +
      `(${JSON.stringify(split.params)}).`,
    '',
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    ...(report.skipped ?? []).map((m) => `\nSkipped ${m.name}: ${m.reason}`),
    '',
  ].join('\n');
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A grouped bar chart (SVG), one group per model: NDCG@(smallest k), recall@(largest k) and mAP@500. */
export function reportSvg(report: EvaluationReport): string {
  const kLow = Math.min(...report.k);
  const kHigh = Math.max(...report.k);
  const series = [
    { label: `NDCG@${kLow}`, color: '#4c78a8', value: (r: RecommenderEvaluation) => r.ndcg[kLow] },
    { label: `Recall@${kHigh}`, color: '#f58518', value: (r: RecommenderEvaluation) => r.recall[kHigh] },
    { label: 'mAP@500', color: '#54a24b', value: (r: RecommenderEvaluation) => r.map500 },
  ];
  const bar = 22;
  const group = series.length * bar + 30;
  const left = 50;
  const top = 40;
  const plotHeight = 240;
  // Wide enough for the bars and for the legend (three entries from x = left + 220, 110 px apart).
  const width = Math.max(
    left + Math.max(1, report.models.length) * group + 20,
    left + 220 + series.length * 110,
  );
  const max = Math.max(0.01, ...report.models.flatMap((m) => series.map((s) => s.value(m.result))));
  const y = (v: number) => top + plotHeight - (v / max) * plotHeight;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${top + plotHeight + 60}" font-family="sans-serif" font-size="11">`,
    `<text x="${left}" y="16" font-size="13">${escapeXml(`${report.split.name}: ${report.split.testUsers} test users`)}</text>`,
    `<line x1="${left}" y1="${top + plotHeight}" x2="${width - 10}" y2="${top + plotHeight}" stroke="#333"/>`,
    `<text x="${left - 6}" y="${y(max) + 4}" text-anchor="end">${max.toFixed(3)}</text>`,
    `<text x="${left - 6}" y="${top + plotHeight + 4}" text-anchor="end">0</text>`,
  ];
  series.forEach((s, i) => {
    parts.push(`<rect x="${left + 220 + i * 110}" y="6" width="10" height="10" fill="${s.color}"/>`);
    parts.push(`<text x="${left + 234 + i * 110}" y="15">${s.label}</text>`);
  });
  report.models.forEach((m, g) => {
    const x0 = left + 15 + g * group;
    series.forEach((s, i) => {
      const v = s.value(m.result);
      parts.push(
        `<rect x="${x0 + i * bar}" y="${y(v).toFixed(1)}" width="${bar - 3}" height="${(top + plotHeight - y(v)).toFixed(1)}" fill="${s.color}"><title>${escapeXml(`${m.name} ${s.label} ${fmt(v)}`)}</title></rect>`,
      );
    });
    parts.push(
      `<text x="${x0 + (series.length * bar) / 2}" y="${top + plotHeight + 16}" text-anchor="middle">${escapeXml(m.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

import fs from 'node:fs';
import path from 'node:path';
import { curveQuantiles, histogramBoundsMs, type RunStats } from '../stats';
import type { CacheAsideReport } from './scenario';

/** Chart.js's UMD build, inlined so the page opens offline, from a file, anywhere. */
function chartJsSource(): string {
  // The package's exports map hides dist/ files; its main entry sits next to them.
  return fs.readFileSync(path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** JSON safe inside a <script> element (no `</script>` can close it early). */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

const sides = ['uncached', 'cached', 'ceiling'] as const;

/** The histogram's bucket labels: "≤ 0.5 ms" … "≤ 50 s", then "> 50 s". */
const bucketLabels = [
  ...histogramBoundsMs.map((ms) => `≤ ${ms < 1_000 ? `${ms} ms` : `${ms / 1_000} s`}`),
  `> ${histogramBoundsMs[histogramBoundsMs.length - 1]! / 1_000} s`,
];

/** Each bucket's share of the run's responses, in %: the sides answer very different numbers of requests. */
function shares(stats: RunStats): number[] | undefined {
  const total = stats.histogram?.reduce((sum, n) => sum + n, 0) ?? 0;
  return total === 0 ? undefined : stats.histogram!.map((n) => (100 * n) / total);
}

/**
 * A self-contained page: per shape, the latency percentile curves of the three
 * sides (log scale: uncached and cached differ by orders of magnitude) and
 * their latency histograms (the share of responses per bucket, buckets in
 * 1-2-5 steps), then the table the terminal printed.
 */
export function renderCacheAsideHtml(report: CacheAsideReport, table: string): string {
  const shapes = report.shapes.map((s) => ({
    shape: s.shape,
    title: `${s.title}: p95 ${s.p95Ratio.toFixed(1)}× lower with the cache, cached at ${s.ceilingPercent.toFixed(0)}% of the ceiling`,
    note: sides
      .filter((side) => s[side].byCount)
      .map((side) => `${side}: ${s[side].byCount!.requests} requests over ${s[side].byCount!.connections} connections (${s[side].byCount!.why})`)
      .join('; '),
    curves: sides.map((side) => ({ side, ms: s[side].curve.map(([, ms]) => ms) })),
    histograms: sides.map((side) => ({ side, share: shares(s[side]) })).filter((h) => h.share !== undefined),
  }));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>cache-aside perf report</title>
<style>
  body { font: 15px/1.4 system-ui, sans-serif; margin: 1.5rem auto; max-width: 72rem; color: #222; padding: 0 1rem; }
  h2 { font-size: 1.05rem; margin: 1.5rem 0 0.25rem; }
  .note { color: #666; font-size: 13px; margin: 0 0 0.5rem; }
  .charts { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5rem; }
  .chart { height: 15rem; }
  pre { background: #f6f6f6; padding: 1rem; overflow-x: auto; font-size: 12px; }
</style>
</head>
<body>
<h1>cache-aside: where the cache pays</h1>
<p>${escapeHtml(`${report.target === 'katas' ? 'Your code (katas/)' : 'The reference solution (solutions/)'}, ${report.products.toLocaleString('en')} products, ${report.driver}, ${report.connections} connections, ${report.durationSeconds}s per run, MongoDB ${report.mongo}.`)}
Left: latency by percentile, log scale, lower is better. Right: the share of each side's responses per latency bucket.</p>
${shapes
  .map(
    (s) => `<h2>${escapeHtml(s.title)}</h2>
${s.note ? `<p class="note">${escapeHtml(`By count, not for ${report.durationSeconds}s: ${s.note}.`)}</p>
` : ''}<div class="charts"><div class="chart"><canvas id="curve-${s.shape}"></canvas></div><div class="chart"><canvas id="histogram-${s.shape}"></canvas></div></div>`,
  )
  .join('\n')}
<h2>The run</h2>
<pre>${escapeHtml(table)}</pre>
<script>${chartJsSource()}</script>
<script>
const shapes = ${scriptJson(shapes)};
const quantiles = ${scriptJson(curveQuantiles.map((q) => `p${+(q * 100).toFixed(1)}`))};
const buckets = ${scriptJson(bucketLabels)};
const colours = { uncached: '#c0392b', cached: '#2471a3', ceiling: '#7f8c8d' };
const common = { maintainAspectRatio: false, animation: false };
for (const shape of shapes) {
  new Chart(document.getElementById('curve-' + shape.shape), {
    type: 'line',
    data: {
      labels: quantiles,
      datasets: shape.curves.map((c) => ({ label: c.side, data: c.ms, borderColor: colours[c.side], backgroundColor: colours[c.side], borderDash: c.side === 'ceiling' ? [6, 4] : [] })),
    },
    options: { ...common, scales: { y: { type: 'logarithmic', title: { display: true, text: 'latency (ms)' } }, x: { title: { display: true, text: 'percentile' } } } },
  });
  new Chart(document.getElementById('histogram-' + shape.shape), {
    type: 'bar',
    data: {
      labels: buckets,
      datasets: shape.histograms.map((h) => ({ label: h.side, data: h.share, backgroundColor: colours[h.side] })),
    },
    options: { ...common, scales: { y: { title: { display: true, text: '% of responses' }, beginAtZero: true }, x: { title: { display: true, text: 'latency' } } } },
  });
}
</script>
</body>
</html>
`;
}

export function writeCacheAsideHtml(report: CacheAsideReport, file: string, table: string): void {
  fs.writeFileSync(file, renderCacheAsideHtml(report, table));
}

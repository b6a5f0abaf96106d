import fs from 'node:fs';
import path from 'node:path';
import { curveQuantiles } from '../stats';
import type { CacheAsideReport } from './scenario';

/** Chart.js's UMD build, inlined so the page opens offline, from a file, anywhere. */
function chartJsSource(): string {
  // The package's exports map hides dist/ files; its main entry sits next to them.
  return fs.readFileSync(path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** JSON safe inside a <script> element (no `</script>` can close it early). */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/**
 * A self-contained page: per shape, the latency percentile curves of the three
 * sides (log scale: uncached and cached differ by orders of magnitude), and
 * the table the terminal printed.
 */
export function renderCacheAsideHtml(report: CacheAsideReport, table: string): string {
  const charts = report.shapes.map((s) => ({
    id: `chart-${s.shape}`,
    title: `${s.title}: p95 ${s.p95Ratio.toFixed(1)}× lower with the cache, cached at ${s.ceilingPercent.toFixed(0)}% of the ceiling`,
    labels: curveQuantiles.map((q) => `p${+(q * 100).toFixed(1)}`),
    series: (['uncached', 'cached', 'ceiling'] as const).map((side) => ({ side, ms: s[side].curve.map(([, ms]) => ms) })),
  }));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>cache-aside perf report</title>
<style>
  body { font: 15px/1.4 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #222; }
  .chart { height: 18rem; margin-bottom: 2rem; }
  pre { background: #f6f6f6; padding: 1rem; overflow-x: auto; font-size: 13px; }
</style>
</head>
<body>
<h1>cache-aside: where the cache pays</h1>
<p>${escapeHtml(`${report.target === 'katas' ? 'Your code (katas/)' : 'The reference solution (solutions/)'}, ${report.products.toLocaleString('en')} products, ${report.driver}, ${report.connections} connections, ${report.durationSeconds}s per run, MongoDB ${report.mongo}.`)}
Latency by percentile, log scale; lower is better.</p>
${charts.map((c) => `<h2>${escapeHtml(c.title)}</h2>\n<div class="chart"><canvas id="${c.id}"></canvas></div>`).join('\n')}
<h2>The run</h2>
<pre>${escapeHtml(table)}</pre>
<script>${chartJsSource()}</script>
<script>
const charts = ${scriptJson(charts)};
const colours = { uncached: '#c0392b', cached: '#2471a3', ceiling: '#7f8c8d' };
for (const chart of charts) {
  new Chart(document.getElementById(chart.id), {
    type: 'line',
    data: {
      labels: chart.labels,
      datasets: chart.series.map((s) => ({ label: s.side, data: s.ms, borderColor: colours[s.side], backgroundColor: colours[s.side], borderDash: s.side === 'ceiling' ? [6, 4] : [] })),
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { type: 'logarithmic', title: { display: true, text: 'latency (ms)' } }, x: { title: { display: true, text: 'percentile' } } },
    },
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

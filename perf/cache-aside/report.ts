import { stylerFor } from '../../harness/output/style';
import type { CacheAsideReport } from './scenario';

const num = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

/** The scenario's one table: shapes × (uncached, cached, ceiling), then the write mixes. */
export function formatCacheAsideReport(report: CacheAsideReport, style = stylerFor()): string {
  const head = (first: string, ...rest: string[]) => `  ${first.padEnd(28)} ${rest.map((r) => r.padStart(9)).join(' ')}`;
  const lines = [
    style.bold(`cache-aside: ${report.target === 'katas' ? 'your code (katas/)' : 'the reference solution (solutions/)'}, ${report.products.toLocaleString('en')} products`),
    style.dim(`  driver ${report.driver}, ${report.connections} connections, ${report.durationSeconds}s per run, MongoDB ${report.mongo}, seeded in ${(report.seedMs / 1000).toFixed(1)}s`),
  ];
  if (report.catalogueNote) lines.push(style.dim(`  ${report.catalogueNote}`));
  lines.push(head('', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'failures'));
  for (const s of report.shapes) {
    lines.push(s.title);
    for (const side of ['uncached', 'cached', 'ceiling'] as const) {
      const r = s[side];
      // Below 10 requests/s a decimal keeps a by-count run's figure from reading 0.
      lines.push(head(`  ${side}${r.byCount ? '*' : ''}`, num(r.requestsPerSecond, r.requestsPerSecond < 10 ? 1 : 0), num(r.p50Ms, 2), num(r.p95Ms, 2), num(r.p99Ms, 2), String(r.failures)));
    }
    const counted = (['uncached', 'cached', 'ceiling'] as const).filter((side) => s[side].byCount);
    for (const side of counted) {
      const { requests, connections, why } = s[side].byCount!;
      lines.push(style.dim(`    * ${side} by count: ${requests} requests over ${connections} connections (${why}), not ${report.connections} for ${report.durationSeconds}s`));
    }
    lines.push(
      style.green(
        `    cache: p95 ${num(s.p95Ratio, 1)}× lower, ${num(s.throughputRatio, 1)}× the requests/s; cached reaches ${num(s.ceilingPercent)}% of the ceiling`,
      ),
    );
    if (s.profileFile) lines.push(style.dim(`    CPU profile of the cached run: ${s.profileFile}`));
  }
  lines.push(style.bold('write mix on the cached app, GET and PATCH /products/:id'));
  lines.push(head('  reads/writes', 'req/s', 'hit rate', 'read p95', 'write p95', 'stale'));
  for (const m of report.writeMixes) {
    const mix = `${Math.round(100 * (1 - m.writeShare))}/${Math.round(100 * m.writeShare)}`;
    const total = m.reads.requestsPerSecond + m.writes.requestsPerSecond;
    const row = head(`  ${mix}`, num(total), `${num(100 * m.hitRate)}%`, num(m.reads.p95Ms, 2), num(m.writes.p95Ms, 2), String(m.staleReads));
    lines.push(m.staleReads === 0 ? row : style.red(row));
  }
  lines.push(style.dim('  stale: reads that answered a price other than the last acknowledged PATCH set (must be 0)'));
  return lines.join('\n');
}

/** What the realtime scenario reports, the floors it holds the solution to, and the table it prints. */
import type { Styler } from '../../harness/output/style';
import { formatTable } from '../infra';
import type { NodeRunResult } from './node-driver';

export type RealtimeDriver = 'k6' | 'node';

export interface WayReport extends NodeRunResult {
  name: string;
  /** HTTP requests the server answered during the way (Socket.io's own excluded). */
  httpRequests: number;
  /** Server CPU seconds (user + system) per 1,000 delivered messages. */
  cpuSecondsPer1k: number;
}

export interface RealtimeReport {
  scenario: 'realtime';
  driver: RealtimeDriver;
  mongo: string;
  clients: number;
  ratePerSecond: number;
  durationSeconds: number;
  push: WayReport;
  poll1s: WayReport;
  poll100ms: WayReport;
  pushCluster: WayReport;
  ratios: {
    /** 1 s polling p95 ÷ push p95: how many times sooner the slow deliveries arrive with push. */
    p95PushVsPoll1s: number;
    p95PushVsPoll100ms: number;
    /** polling CPU per 1,000 messages ÷ push's. */
    cpuPoll1sVsPush: number;
    cpuPoll100msVsPush: number;
    /** three nodes ÷ one node, for push: what the adapter costs. */
    p95ClusterVsSingle: number;
    cpuClusterVsSingle: number;
  };
  /** The floors the reference solution must meet; empty when it met them. */
  breaches: string[];
}

/** The floors: what push must buy over 1 s polling, and nothing lost or duplicated anywhere. */
export function checkFloors(report: Omit<RealtimeReport, 'breaches'>): string[] {
  const breaches: string[] = [];
  if (!(report.ratios.p95PushVsPoll1s >= 10)) {
    breaches.push(`push p95 is ${report.ratios.p95PushVsPoll1s.toFixed(1)}× lower than 1 s polling; the floor is 10×`);
  }
  for (const way of [report.push, report.poll1s, report.poll100ms, report.pushCluster]) {
    if (way.lost > 0) breaches.push(`${way.name}: ${way.lost} messages lost`);
    if (way.duplicated > 0) breaches.push(`${way.name}: ${way.duplicated} messages duplicated`);
    if (way.publishFailures > 0) breaches.push(`${way.name}: ${way.publishFailures} publishes failed`);
    if (way.failedRequests > 0) breaches.push(`${way.name}: ${way.failedRequests} polls failed`);
    if (way.published === 0) breaches.push(`${way.name}: nothing was published`);
  }
  return breaches;
}

/** The four ways, in the order they run. */
export type Ways = Pick<RealtimeReport, 'push' | 'poll1s' | 'poll100ms' | 'pushCluster'>;

/** The report of one run: the ways, the ratios between them, and the floors they missed. */
export function buildReport(run: Pick<RealtimeReport, 'driver' | 'mongo' | 'clients' | 'ratePerSecond' | 'durationSeconds'>, ways: Ways): RealtimeReport {
  const { push, poll1s, poll100ms, pushCluster } = ways;
  const report = {
    scenario: 'realtime' as const,
    ...run,
    ...ways,
    ratios: {
      p95PushVsPoll1s: poll1s.p95Ms / push.p95Ms,
      p95PushVsPoll100ms: poll100ms.p95Ms / push.p95Ms,
      cpuPoll1sVsPush: poll1s.cpuSecondsPer1k / push.cpuSecondsPer1k,
      cpuPoll100msVsPush: poll100ms.cpuSecondsPer1k / push.cpuSecondsPer1k,
      p95ClusterVsSingle: pushCluster.p95Ms / push.p95Ms,
      cpuClusterVsSingle: pushCluster.cpuSecondsPer1k / push.cpuSecondsPer1k,
    },
  };
  return { ...report, breaches: checkFloors(report) };
}

const ms = (n: number) => n.toFixed(1);
const times = (n: number) => `${n.toFixed(1)}×`;

export function formatRealtimeReport(report: RealtimeReport, style: Styler): string {
  const { ratios } = report;
  const ways = [report.push, report.poll1s, report.poll100ms, report.pushCluster];
  const table = formatTable(
    13,
    [
      { header: 'p50 ms' },
      { header: 'p95 ms' },
      { header: 'p99 ms' },
      { header: 'delivered', width: 10 },
      { header: 'lost', width: 5 },
      { header: 'dup', width: 5 },
      { header: 'HTTP req', width: 9 },
      { header: 'CPU s/1k', width: 9 },
    ],
    ways.map((w) => [
      w.name,
      ms(w.p50Ms),
      ms(w.p95Ms),
      ms(w.p99Ms),
      String(w.delivered),
      String(w.lost),
      String(w.duplicated),
      String(w.httpRequests),
      w.cpuSecondsPer1k.toFixed(3),
    ]),
  );
  return [
    style.bold(`realtime: ${report.clients} clients in one room, ${report.ratePerSecond} messages/s for ${report.durationSeconds}s, push vs polling`),
    style.dim(`  driver ${report.driver}, delivery-guarantees solution, MongoDB ${report.mongo}; CPU s/1k = server CPU seconds per 1,000 delivered`),
    ...table,
    style.green(
      `  push: p95 ${times(ratios.p95PushVsPoll1s)} lower than polling every 1 s, ${times(ratios.p95PushVsPoll100ms)} lower than every 100 ms;` +
        ` polling costs ${times(ratios.cpuPoll1sVsPush)} (1 s) and ${times(ratios.cpuPoll100msVsPush)} (100 ms) the server CPU per message`,
    ),
    style.green(`  3 nodes on the Redis adapter vs 1: p95 ${times(ratios.p95ClusterVsSingle)}, CPU per message ${times(ratios.cpuClusterVsSingle)}`),
    report.breaches.length === 0
      ? style.green('  floors met: push p95 ≥ 10× lower than 1 s polling, 0 lost, 0 duplicated')
      : style.red(`  floors missed: ${report.breaches.join('; ')}`),
  ].join('\n');
}

import { runK6Script } from '../drivers';
import type { NodeRunResult, RealtimeRun } from './node-driver';

/**
 * The realtime scenario through k6 (perf/k6/realtime.js), one `k6 run` per
 * way. k6 counts first receipts and duplicates per virtual user; what was
 * published is the server's count of stored messages (`stored`), so lost is
 * stored × clients − first receipts. The measured window is the whole k6 run,
 * connections included.
 */
export async function runK6Realtime(
  run: RealtimeRun,
  script: string,
  measure: { begin(): Promise<void>; end(): Promise<void> },
  stored: () => Promise<number>,
): Promise<NodeRunResult> {
  await measure.begin();
  const metrics = await runK6Script(script, {
    MODE: run.way.kind,
    INTERVAL_MS: String(run.way.kind === 'poll' ? run.way.intervalMs : 0),
    CLIENT_URLS: run.clientUrls.join(','),
    PRODUCER_URL: run.producerUrl,
    ROOM: run.room,
    CLIENTS: String(run.clients),
    RATE: String(run.ratePerSecond),
    DURATION: String(run.durationSeconds),
    DRAIN_MS: String(run.drainMs),
  });
  await measure.end();
  const published = await stored();
  const delivered = metrics.messages_received?.count ?? 0;
  const latency = metrics.delivery_latency ?? {};
  return {
    published,
    publishFailures: metrics.publish_failed?.count ?? 0,
    delivered,
    lost: published * run.clients - delivered,
    duplicated: metrics.messages_duplicated?.count ?? 0,
    p50Ms: latency.med ?? Number.NaN,
    p95Ms: latency['p(95)'] ?? Number.NaN,
    p99Ms: latency['p(99)'] ?? Number.NaN,
    clientRequests: metrics.http_reqs?.count ?? 0,
    failedRequests: metrics.http_req_failed?.passes ?? 0,
  };
}

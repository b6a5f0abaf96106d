import { describe, expect, it } from '@jest/globals';
import { checkFloors, formatRealtimeReport, type RealtimeReport, type WayReport } from './report';

const way = (name: string, p95Ms: number, overrides: Partial<WayReport> = {}): WayReport => ({
  name,
  published: 10,
  publishFailures: 0,
  delivered: 100,
  lost: 0,
  duplicated: 0,
  p50Ms: p95Ms / 2,
  p95Ms,
  p99Ms: p95Ms,
  clientRequests: 0,
  failedRequests: 0,
  httpRequests: 0,
  cpuSecondsPer1k: 0.5,
  ...overrides,
});

function report(push: WayReport, poll1s: WayReport, extra: Partial<Record<'poll100ms' | 'pushCluster', WayReport>> = {}): Omit<RealtimeReport, 'breaches'> {
  const poll100ms = extra.poll100ms ?? way('poll 100 ms', 150);
  const pushCluster = extra.pushCluster ?? way('push, 3 nodes', push.p95Ms);
  return {
    scenario: 'realtime',
    driver: 'node',
    mongo: 'embedded',
    clients: 10,
    ratePerSecond: 5,
    durationSeconds: 2,
    push,
    poll1s,
    poll100ms,
    pushCluster,
    ratios: {
      p95PushVsPoll1s: poll1s.p95Ms / push.p95Ms,
      p95PushVsPoll100ms: poll100ms.p95Ms / push.p95Ms,
      cpuPoll1sVsPush: 1,
      cpuPoll100msVsPush: 1,
      p95ClusterVsSingle: 1,
      cpuClusterVsSingle: 1,
    },
  };
}

describe('checkFloors', () => {
  it('passes push 10× faster at p95 than 1 s polling with nothing lost or duplicated', () => {
    expect(checkFloors(report(way('push', 100), way('poll 1 s', 1_000)))).toEqual([]);
  });

  it('refuses push under 10× faster at p95, and a ratio that could not be measured', () => {
    expect(checkFloors(report(way('push', 101), way('poll 1 s', 1_000)))).toEqual([expect.stringMatching(/9\.9× lower .* floor is 10×/)]);
    expect(checkFloors(report(way('push', Number.NaN), way('poll 1 s', 1_000)))).toHaveLength(1);
  });

  it('names every way that lost, duplicated, failed to publish or failed a poll', () => {
    const breaches = checkFloors(
      report(way('push', 10, { lost: 1 }), way('poll 1 s', 1_000, { duplicated: 2 }), {
        poll100ms: way('poll 100 ms', 150, { publishFailures: 3, failedRequests: 4 }),
        pushCluster: way('push, 3 nodes', 10, { published: 0 }),
      }),
    );
    expect(breaches).toEqual([
      'push: 1 messages lost',
      'poll 1 s: 2 messages duplicated',
      'poll 100 ms: 3 publishes failed',
      'poll 100 ms: 4 polls failed',
      'push, 3 nodes: nothing was published',
    ]);
  });
});

describe('formatRealtimeReport', () => {
  it('prints one row per way and says whether the floors held', () => {
    const plain = { bold: String, dim: String, green: String, red: String, yellow: String, cyan: String };
    const ok = report(way('push', 20), way('poll 1 s', 1_000));
    const text = formatRealtimeReport({ ...ok, breaches: [] }, plain);
    expect(text).toMatch(/^ {2}push +10\.0 +20\.0 +20\.0 +100 +0 +0 +0 +0\.500$/m);
    expect(text).toContain('p95 50.0× lower than polling every 1 s');
    expect(text).toContain('floors met');
    expect(formatRealtimeReport({ ...ok, breaches: ['push: 1 messages lost'] }, plain)).toContain('floors missed: push: 1 messages lost');
  });
});

import { describe, expect, it } from '@jest/globals';
import { buildReport, formatRealtimeReport, type Ways, type WayReport } from './report';

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

const run = { driver: 'node' as const, mongo: 'embedded', clients: 10, ratePerSecond: 5, durationSeconds: 2 };

function ways(push: WayReport, poll1s: WayReport, others: Partial<Ways> = {}): Ways {
  return { push, poll1s, poll100ms: way('poll 100 ms', 150), pushCluster: way('push, 3 nodes', push.p95Ms), ...others };
}

describe('buildReport', () => {
  it('works out each ratio from the ways', () => {
    const report = buildReport(
      run,
      ways(way('push', 20), way('poll 1 s', 1_000, { cpuSecondsPer1k: 2 }), {
        poll100ms: way('poll 100 ms', 200, { cpuSecondsPer1k: 8 }),
        pushCluster: way('push, 3 nodes', 30, { cpuSecondsPer1k: 0.75 }),
      }),
    );
    expect(report.ratios).toEqual({
      p95PushVsPoll1s: 50,
      p95PushVsPoll100ms: 10,
      cpuPoll1sVsPush: 4,
      cpuPoll100msVsPush: 16,
      p95ClusterVsSingle: 1.5,
      cpuClusterVsSingle: 1.5,
    });
  });

  it('meets the floors with push 10× faster at p95 than 1 s polling and nothing lost or duplicated', () => {
    expect(buildReport(run, ways(way('push', 100), way('poll 1 s', 1_000))).breaches).toEqual([]);
  });

  it('misses them with push under 10× faster at p95, or a p95 that could not be measured', () => {
    expect(buildReport(run, ways(way('push', 101), way('poll 1 s', 1_000))).breaches).toEqual([expect.stringMatching(/9\.9× lower .* floor is 10×/)]);
    expect(buildReport(run, ways(way('push', Number.NaN), way('poll 1 s', 1_000))).breaches).toHaveLength(1);
  });

  it('names every way that lost, duplicated, failed to publish or failed a poll', () => {
    const report = buildReport(
      run,
      ways(way('push', 10, { lost: 1 }), way('poll 1 s', 1_000, { duplicated: 2 }), {
        poll100ms: way('poll 100 ms', 150, { publishFailures: 3, failedRequests: 4 }),
        pushCluster: way('push, 3 nodes', 10, { published: 0 }),
      }),
    );
    expect(report.breaches).toEqual([
      'push: 1 messages lost',
      'poll 1 s: 2 messages duplicated',
      'poll 100 ms: 3 publishes failed',
      'poll 100 ms: 4 polls failed',
      'push, 3 nodes: nothing was published',
    ]);
  });
});

describe('formatRealtimeReport', () => {
  const plain = { bold: String, dim: String, green: String, red: String, yellow: String, cyan: String };

  it('prints one row per way and says the floors held', () => {
    const text = formatRealtimeReport(buildReport(run, ways(way('push', 20), way('poll 1 s', 1_000))), plain);
    expect(text).toMatch(/^ {2}push +10\.0 +20\.0 +20\.0 +100 +0 +0 +0 +0\.500$/m);
    expect(text).toContain('p95 50.0× lower than polling every 1 s');
    expect(text).toContain('floors met');
  });

  it('says which floors were missed', () => {
    const text = formatRealtimeReport(buildReport(run, ways(way('push', 10, { lost: 1 }), way('poll 1 s', 1_000))), plain);
    expect(text).toContain('floors missed: push: 1 messages lost');
  });
});

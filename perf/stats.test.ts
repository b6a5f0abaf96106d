import { describe, expect, it } from '@jest/globals';
import { histogram, histogramBoundsMs, summarise } from './stats';

describe('histogram', () => {
  it('counts a latency in the first bucket whose bound it does not exceed, bounds included', () => {
    const counts = histogram([0.2, 0.5, 0.51, 1, 7, 50_000, 50_001]);
    expect(counts).toHaveLength(histogramBoundsMs.length + 1);
    expect(counts[0]).toBe(2); // ≤ 0.5 ms: 0.2 and 0.5
    expect(counts[1]).toBe(2); // ≤ 1 ms: 0.51 and 1
    expect(counts[histogramBoundsMs.indexOf(10)]).toBe(1); // 7 ms
    expect(counts[histogramBoundsMs.length - 1]).toBe(1); // ≤ 50 s
    expect(counts[histogramBoundsMs.length]).toBe(1); // slower than every bound
    expect(counts.reduce((sum, n) => sum + n, 0)).toBe(7);
  });

  it('is part of every summary, one count per response', () => {
    const stats = summarise([3, 1, 2, 400], 2, 0);
    expect(stats.histogram!.reduce((sum, n) => sum + n, 0)).toBe(4);
    expect(stats).toMatchObject({ requests: 4, requestsPerSecond: 2, p50Ms: 2 });
  });
});

/** What one load run measured. */
export interface RunStats {
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  requests: number;
  /** Failed requests plus non-2xx answers. */
  failures: number;
  /** [quantile, ms] pairs at `curveQuantiles`, for the report's percentile curves. */
  curve: [number, number][];
  /**
   * Responses per latency bucket: `histogram[i]` counts those of at most
   * `histogramBoundsMs[i]` ms (and more than the bound before); the last entry
   * counts those slower than every bound. Absent when the driver kept no count.
   */
  histogram?: number[];
  /** Set when the run went by count (this many requests over these connections, however long they took), not by duration. */
  byCount?: { requests: number; connections: number; why: string };
}

/** Upper bounds of the latency histogram's buckets, in ms (1-2-5 steps: equal widths on a log scale). */
export const histogramBoundsMs = [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000] as const;

/** Counts latencies (ms) into the buckets of `histogramBoundsMs`, plus one for the slower ones. */
export function histogram(latenciesMs: readonly number[]): number[] {
  const counts = new Array<number>(histogramBoundsMs.length + 1).fill(0);
  for (const ms of latenciesMs) {
    const bucket = histogramBoundsMs.findIndex((bound) => ms <= bound);
    counts[bucket === -1 ? histogramBoundsMs.length : bucket]! += 1;
  }
  return counts;
}

/** Where the percentile curves are sampled (k6 reports the same ones). */
export const curveQuantiles = [0.5, 0.75, 0.9, 0.95, 0.99, 0.999] as const;

/** The value at quantile `q` (0..1) of already sorted samples (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/** Summarises per-request latencies (ms) measured over `seconds`. */
export function summarise(latenciesMs: number[], seconds: number, failures: number): RunStats {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    requestsPerSecond: sorted.length / seconds,
    p50Ms: quantile(sorted, 0.5),
    p95Ms: quantile(sorted, 0.95),
    p99Ms: quantile(sorted, 0.99),
    requests: sorted.length,
    failures,
    curve: curveQuantiles.map((q) => [q, quantile(sorted, q)]),
    histogram: histogram(sorted),
  };
}

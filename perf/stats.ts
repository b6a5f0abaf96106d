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
  };
}

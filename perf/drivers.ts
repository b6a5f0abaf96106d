import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { curveQuantiles, histogramBoundsMs, summarise, type RunStats } from './stats';

/** One load run: the same shape for k6 and autocannon. */
export interface LoadRun {
  /** Base URL of the app, e.g. http://127.0.0.1:40123. */
  baseUrl: string;
  /** Request paths, visited round robin. */
  paths: string[];
  durationSeconds: number;
  connections: number;
  /**
   * Stop after this many responses instead of after the duration: for a route
   * slower than the run (autocannon drops the responses still in flight at its
   * deadline, so it would report nothing, or only the luckiest).
   */
  amount?: number;
  /** How long one request may take before it counts as failed (default 10 s, autocannon's). */
  timeoutSeconds?: number;
}

export type DriverName = 'k6' | 'autocannon';

/** Whether k6 is on PATH (it is a Go binary, not an npm package). */
export function k6Installed(): boolean {
  return spawnSync('k6', ['version'], { stdio: 'ignore' }).status === 0;
}

/** k6 when it is on PATH, else autocannon. */
export function pickDriver(requested?: DriverName): DriverName {
  if (requested) return requested;
  return k6Installed() ? 'k6' : 'autocannon';
}

/**
 * autocannon, in this process: every connection walks `paths` in order; the
 * latency of each response is recorded, so percentiles are exact (its own
 * summary has no p95).
 */
export function runAutocannon(run: LoadRun): Promise<RunStats> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: run.baseUrl,
        connections: run.connections,
        duration: run.durationSeconds,
        amount: run.amount,
        timeout: run.timeoutSeconds ?? 10,
        requests: run.paths.map((p) => ({ method: 'GET', path: p })),
      },
      (error, result) => {
        if (error) return reject(error);
        // result.duration is in seconds, as summarise() takes it. A timeout
        // also counts as an error: the errors include it.
        resolve(summarise(latencies, result.duration, result.errors + result.non2xx));
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      latencies.push(responseTime);
    });
  });
}

/** k6's exported summary: metric name → its values (`p(95)`, `rate`, `count`, …). */
export type K6Metrics = Record<string, Record<string, number> | undefined>;

/**
 * Runs a k6 script as a child process with `-e` variables, `files` written to a
 * scratch folder first (their paths passed as variables of the same name), and
 * answers its exported summary's metrics.
 */
export async function runK6Script(script: string, env: Record<string, string>, files: Record<string, unknown> = {}): Promise<K6Metrics> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kata-perf-'));
  const summaryFile = path.join(dir, 'summary.json');
  const vars = { ...env };
  for (const [name, content] of Object.entries(files)) {
    vars[name] = path.join(dir, `${name.toLowerCase()}.json`);
    fs.writeFileSync(vars[name], JSON.stringify(content));
  }
  try {
    await new Promise<void>((resolve, reject) => {
      const args = ['run', '--quiet', `--summary-export=${summaryFile}`, ...Object.entries(vars).flatMap(([k, v]) => ['-e', `${k}=${v}`]), script];
      const child = spawn('k6', args, { stdio: ['ignore', 'ignore', 'inherit'] });
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`k6 exited with ${code}; its messages are above.`))));
    });
    return (JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as { metrics: K6Metrics }).metrics;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A k6 trend (e.g. http_req_duration) as RunStats; `histogram` from counters k6/cache-aside.js keeps. */
export function statsFromK6Trend(trend: Record<string, number> = {}, requests: number, seconds: number, failures: number, histogram?: number[]): RunStats {
  const at = (q: number) => trend[`p(${+(q * 100).toFixed(1)})`] ?? Number.NaN;
  return {
    histogram,
    requestsPerSecond: requests / seconds,
    p50Ms: trend.med ?? Number.NaN,
    p95Ms: trend['p(95)'] ?? Number.NaN,
    p99Ms: trend['p(99)'] ?? Number.NaN,
    requests,
    failures,
    curve: curveQuantiles.map((q) => [q, at(q)]),
  };
}

/** k6, as a child process, reading its exported summary. */
export async function runK6(run: LoadRun, script: string): Promise<RunStats> {
  const env: Record<string, string> = {
    BASE_URL: run.baseUrl,
    DURATION: `${run.durationSeconds}s`,
    VUS: String(run.connections),
    TIMEOUT: `${run.timeoutSeconds ?? 10}s`,
    HISTOGRAM_BOUNDS_MS: histogramBoundsMs.join(','),
  };
  if (run.amount !== undefined) env.ITERATIONS = String(run.amount);
  const metrics = await runK6Script(script, env, { PATHS_FILE: run.paths });
  const requests = metrics.http_reqs?.count ?? 0;
  // A run by count lasts as long as it takes: k6's rate is over the run's real length.
  const seconds = run.amount !== undefined && metrics.http_reqs?.rate ? requests / metrics.http_reqs.rate : run.durationSeconds;
  const buckets = Array.from({ length: histogramBoundsMs.length + 1 }, (_, i) => metrics[`latency_bucket_${i}`]?.count ?? 0);
  return statsFromK6Trend(metrics.http_req_duration, requests, seconds, metrics.http_req_failed?.passes ?? 0, buckets);
}

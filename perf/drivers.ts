import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { summarise, type RunStats } from './stats';

/** One load run: the same shape for k6 and autocannon. */
export interface LoadRun {
  /** Base URL of the app, e.g. http://127.0.0.1:40123. */
  baseUrl: string;
  /** Request paths, visited round robin. */
  paths: string[];
  durationSeconds: number;
  connections: number;
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
        requests: run.paths.map((p) => ({ method: 'GET', path: p })),
      },
      (error, result) => {
        if (error) return reject(error);
        resolve(summarise(latencies, result.duration, result.errors + result.timeouts + result.non2xx));
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      latencies.push(responseTime);
    });
  });
}

/** k6's `--summary-export`: each metric's figures by name (`count`, `rate`, `med`, `p(95)`, …). */
export type K6Metrics = Record<string, Record<string, number> | undefined>;

/** Runs a k6 script as a child process with `-e` variables and returns its exported summary. */
export async function runK6Script(script: string, env: Record<string, string>): Promise<K6Metrics> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kata-perf-'));
  const summaryFile = path.join(dir, 'summary.json');
  try {
    await new Promise<void>((resolve, reject) => {
      const vars = Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
      const child = spawn('k6', ['run', '--quiet', `--summary-export=${summaryFile}`, ...vars, script], { stdio: ['ignore', 'ignore', 'inherit'] });
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`k6 exited with ${code}; its messages are above.`))));
    });
    return (JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as { metrics: K6Metrics }).metrics;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** k6 running the cache-aside script, reading its exported summary. */
export async function runK6(run: LoadRun, script: string): Promise<RunStats> {
  const ids = run.paths.map((p) => p.split('/').pop()).join(',');
  const metrics = await runK6Script(script, { BASE_URL: run.baseUrl, IDS: ids, DURATION: `${run.durationSeconds}s`, VUS: String(run.connections) });
  const duration = metrics.http_req_duration ?? {};
  const reqs = metrics.http_reqs ?? {};
  const failed = metrics.http_req_failed ?? {};
  return {
    requestsPerSecond: reqs.rate ?? Number.NaN,
    p50Ms: duration.med ?? Number.NaN,
    p95Ms: duration['p(95)'] ?? Number.NaN,
    p99Ms: duration['p(99)'] ?? Number.NaN,
    requests: reqs.count ?? 0,
    failures: failed.passes ?? 0,
  };
}

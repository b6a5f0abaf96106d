// @ts-check
/// <reference types="k6" />
/**
 * k6 scenario for the cache-aside kata: GET over a fixed list of request paths
 * (one shape: product ids, list pages or the price report), round robin, for
 * DURATION with VUS virtual users, or ITERATIONS requests shared by the VUs
 * however long they take (the runner's choice for a route slower than the
 * run). The perf runner (perf/run.ts) runs it once per shape and side
 * (uncached, cached, ceiling) and compares the summaries:
 *
 *   k6 run -e BASE_URL=http://127.0.0.1:PORT -e PATHS_FILE=paths.json -e DURATION=10s -e VUS=20 perf/k6/cache-aside.js
 *   k6 run -e BASE_URL=… -e PATHS_FILE=paths.json -e ITERATIONS=10 -e VUS=2 -e TIMEOUT=600s perf/k6/cache-aside.js
 *
 * PATHS_FILE is a JSON array of paths (["/products/66…", …]). HISTOGRAM_BOUNDS_MS
 * (e.g. "1,2,5,10") makes it count responses per latency bucket, in counters
 * `latency_bucket_<i>` (the last one for slower than every bound), for the
 * report's histograms. autocannon drives the same URLs when k6 is not installed
 * (see perf/README.md).
 */
import http from 'k6/http';
import { check } from 'k6';
import { Counter } from 'k6/metrics';

const baseUrl = __ENV.BASE_URL;
/** @type {string[]} */
const paths = __ENV.PATHS_FILE ? JSON.parse(open(__ENV.PATHS_FILE)) : [];
const bounds = (__ENV.HISTOGRAM_BOUNDS_MS || '').split(',').filter(Boolean).map(Number);
// Metrics are created in the init context, one counter per bucket.
const buckets = [...bounds, Infinity].map((_, i) => new Counter(`latency_bucket_${i}`));

const vus = Number(__ENV.VUS || 20);
const shared = { summaryTrendStats: ['avg', 'med', 'p(50)', 'p(75)', 'p(90)', 'p(95)', 'p(99)', 'p(99.9)', 'max'], thresholds: { checks: ['rate>0.99'] } };

/** @type {import('k6/options').Options} */
export const options = __ENV.ITERATIONS
  ? // Every request counted, however long it takes: the run ends when the last one is answered.
    { ...shared, scenarios: { byCount: { executor: 'shared-iterations', vus, iterations: Number(__ENV.ITERATIONS), maxDuration: '60m' } } }
  : { ...shared, vus, duration: __ENV.DURATION || '10s' };

export function setup() {
  if (!baseUrl || paths.length === 0) throw new Error('BASE_URL and PATHS_FILE are required (the perf runner sets them).');
}

export default function () {
  // Each VU walks the list from its own offset, so VUs do not move in lockstep.
  const target = paths[(__VU * 7919 + __ITER) % paths.length];
  const res = http.get(`${baseUrl}${target}`, { tags: { name: 'cache-aside shape' }, timeout: __ENV.TIMEOUT || '10s' });
  check(res, { 'status is 200': (r) => r.status === 200 });
  if (res.error) return; // no answer (a timeout, a refused connection): no latency to count
  const ms = res.timings.duration;
  const bucket = bounds.findIndex((bound) => ms <= bound);
  buckets[bucket === -1 ? bounds.length : bucket].add(1);
}

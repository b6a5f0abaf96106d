// @ts-check
/// <reference types="k6" />
/**
 * k6 scenario for the cache-aside kata: GET over a fixed list of request paths
 * (one shape: product ids, list pages or the price report), round robin, for
 * DURATION with VUS virtual users. The perf runner (perf/run.ts) runs it once
 * per shape and side (uncached, cached, ceiling) and compares the summaries:
 *
 *   k6 run -e BASE_URL=http://127.0.0.1:PORT -e PATHS_FILE=paths.json -e DURATION=10s -e VUS=20 perf/k6/cache-aside.js
 *
 * PATHS_FILE is a JSON array of paths (["/products/66…", …]). autocannon drives
 * the same URLs when k6 is not installed (see perf/README.md).
 */
import http from 'k6/http';
import { check } from 'k6';

const baseUrl = __ENV.BASE_URL;
/** @type {string[]} */
const paths = __ENV.PATHS_FILE ? JSON.parse(open(__ENV.PATHS_FILE)) : [];

/** @type {import('k6/options').Options} */
export const options = {
  vus: Number(__ENV.VUS || 20),
  duration: __ENV.DURATION || '10s',
  // The runner reads these back for its table and percentile curves.
  summaryTrendStats: ['avg', 'med', 'p(50)', 'p(75)', 'p(90)', 'p(95)', 'p(99)', 'p(99.9)', 'max'],
  thresholds: { checks: ['rate>0.99'] },
};

export function setup() {
  if (!baseUrl || paths.length === 0) throw new Error('BASE_URL and PATHS_FILE are required (the perf runner sets them).');
}

export default function () {
  // Each VU walks the list from its own offset, so VUs do not move in lockstep.
  const target = paths[(__VU * 7919 + __ITER) % paths.length];
  const res = http.get(`${baseUrl}${target}`, { tags: { name: 'cache-aside shape' } });
  check(res, { 'status is 200': (r) => r.status === 200 });
}

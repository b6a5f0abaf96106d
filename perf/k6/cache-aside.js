// @ts-check
/// <reference types="k6" />
/**
 * k6 scenario for the cache-aside kata: GET /products/:id over a fixed list of
 * product ids, round robin, for DURATION with VUS virtual users. The perf
 * runner (perf/run.ts) runs it twice, against the uncached and the cached app,
 * and compares the two summaries:
 *
 *   k6 run -e BASE_URL=http://127.0.0.1:PORT -e IDS=id1,id2 -e DURATION=10s -e VUS=20 perf/k6/cache-aside.js
 *
 * autocannon drives the same URLs when k6 is not installed (see perf/README.md).
 */
import http from 'k6/http';
import { check } from 'k6';

const baseUrl = __ENV.BASE_URL;
const ids = (__ENV.IDS || '').split(',').filter(Boolean);

/** @type {import('k6/options').Options} */
export const options = {
  vus: Number(__ENV.VUS || 20),
  duration: __ENV.DURATION || '10s',
  summaryTrendStats: ['avg', 'med', 'p(95)', 'p(99)', 'max'],
  thresholds: { checks: ['rate>0.99'] },
};

export function setup() {
  if (!baseUrl || ids.length === 0) throw new Error('BASE_URL and IDS are required (the perf runner sets them).');
}

export default function () {
  // Each VU walks the list from its own offset, so VUs do not move in lockstep.
  const id = ids[(__VU * 7919 + __ITER) % ids.length];
  const res = http.get(`${baseUrl}/products/${id}`, { tags: { name: 'GET /products/:id' } });
  check(res, { 'status is 200': (r) => r.status === 200 });
}

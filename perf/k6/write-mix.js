// @ts-check
/// <reference types="k6" />
/**
 * k6 read/write mix for the cache-aside kata, checked for stale reads. Each VU
 * owns the products IDS[i] with i % VUS === VU - 1: it is their only writer,
 * so it knows the price its last acknowledged PATCH set, and every read of one
 * of them must answer that price. Anything else counts in `stale_reads`
 * (the runner fails the run when it is not 0).
 * Prices only grow (per VU, from a VU-specific base), so they never repeat.
 *
 *   k6 run -e BASE_URL=… -e IDS_FILE=ids.json -e TOKEN=… -e WRITE_SHARE=0.1 -e DURATION=10s -e VUS=20 perf/k6/write-mix.js
 *
 * perf/write-mix.ts is the same mix in Node, for when k6 is not installed.
 */
import http from 'k6/http';
import { Counter, Rate, Trend } from 'k6/metrics';

const baseUrl = __ENV.BASE_URL;
/** @type {string[]} */
const ids = __ENV.IDS_FILE ? JSON.parse(open(__ENV.IDS_FILE)) : [];
const writeShare = Number(__ENV.WRITE_SHARE || 0.1);
const vus = Number(__ENV.VUS || 20);

const readDuration = new Trend('read_duration', true);
const writeDuration = new Trend('write_duration', true);
const cacheHits = new Rate('cache_hits');
const staleReads = new Counter('stale_reads');
const reads = new Counter('reads');
const writes = new Counter('writes');
const readFailures = new Counter('read_failures');
const writeFailures = new Counter('write_failures');

/** @type {import('k6/options').Options} */
export const options = {
  vus,
  duration: __ENV.DURATION || '10s',
  summaryTrendStats: ['avg', 'med', 'p(50)', 'p(75)', 'p(90)', 'p(95)', 'p(99)', 'p(99.9)', 'max'],
};

export function setup() {
  if (!baseUrl || ids.length < vus || !__ENV.TOKEN) throw new Error('BASE_URL, IDS_FILE (at least VUS ids) and TOKEN are required (the perf runner sets them).');
}

const owned = ids.filter((_, i) => i % vus === __VU - 1);
/** @type {Record<string, number>} */
const acked = {};
let nextPrice = __VU * 1_000_000;

export default function () {
  const id = owned[Math.floor(Math.random() * owned.length)];
  if (Math.random() < writeShare) {
    nextPrice += 1;
    const price = nextPrice / 100;
    const res = http.patch(`${baseUrl}/products/${id}`, JSON.stringify({ price }), {
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${__ENV.TOKEN}` },
      tags: { name: 'PATCH /products/:id' },
    });
    writes.add(1);
    writeDuration.add(res.timings.duration);
    if (res.status === 200) acked[id] = price;
    else writeFailures.add(1);
    return;
  }
  const res = http.get(`${baseUrl}/products/${id}`, { tags: { name: 'GET /products/:id' } });
  reads.add(1);
  readDuration.add(res.timings.duration);
  if (res.status !== 200) {
    readFailures.add(1);
    return;
  }
  cacheHits.add(res.headers['X-Cache'] === 'HIT');
  const expected = acked[id];
  if (expected !== undefined && /** @type {{ price: number }} */ (res.json()).price !== expected) staleReads.add(1);
}

import http from 'node:http';
import { runK6Script, statsFromK6Trend } from './drivers';
import { summarise, type RunStats } from './stats';

/** A read/write mix against the cached app, checked for stale reads. */
export interface WriteMixRun {
  baseUrl: string;
  /** Products read and written; each worker owns a share of them. */
  ids: string[];
  /** A bearer token the app accepts for PATCH. */
  token: string;
  /** Fraction of requests that are writes (0.1 for 90/10). */
  writeShare: number;
  durationSeconds: number;
  connections: number;
}

export interface WriteMixStats {
  writeShare: number;
  reads: RunStats;
  writes: RunStats;
  /** Reads answered X-Cache: HIT ÷ all reads. */
  hitRate: number;
  /** Reads that answered a price other than the one the last acknowledged write set. */
  staleReads: number;
}

/**
 * `connections` workers, each owning the products `ids[i]` with
 * `i % connections === worker`, so each product has one writer and the writer
 * knows the price its last acknowledged PATCH set. Every read of an owned
 * product must answer that price: anything else is a stale read (the cache
 * served what a write had replaced). Prices only grow, one writer per product,
 * so a late answer can never be mistaken for a fresh one.
 */
export async function runWriteMix(run: WriteMixRun): Promise<WriteMixStats> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: run.connections });
  const readMs: number[] = [];
  const writeMs: number[] = [];
  let readFailures = 0;
  let writeFailures = 0;
  let hits = 0;
  let staleReads = 0;
  let nextPrice = 100_000;
  const deadline = performance.now() + run.durationSeconds * 1_000;
  const started = performance.now();

  async function worker(index: number): Promise<void> {
    const owned = run.ids.filter((_, i) => i % run.connections === index);
    const acked = new Map<string, number>();
    for (let n = 0; performance.now() < deadline; n += 1) {
      const id = owned[Math.floor(Math.random() * owned.length)]!;
      if (Math.random() < run.writeShare) {
        nextPrice += 1;
        const price = nextPrice / 100;
        const t0 = performance.now();
        const res = await send(agent, run.baseUrl, 'PATCH', `/products/${id}`, { price }, run.token);
        writeMs.push(performance.now() - t0);
        if (res.status === 200) acked.set(id, price);
        else writeFailures += 1;
      } else {
        const t0 = performance.now();
        const res = await send(agent, run.baseUrl, 'GET', `/products/${id}`);
        readMs.push(performance.now() - t0);
        if (res.status !== 200) {
          readFailures += 1;
          continue;
        }
        if (res.cache === 'HIT') hits += 1;
        const expected = acked.get(id);
        if (expected !== undefined && (JSON.parse(res.body) as { price: number }).price !== expected) staleReads += 1;
      }
    }
  }

  try {
    await Promise.all(Array.from({ length: run.connections }, (_, i) => worker(i)));
  } finally {
    agent.destroy();
  }
  const seconds = (performance.now() - started) / 1_000;
  return {
    writeShare: run.writeShare,
    reads: summarise(readMs, seconds, readFailures),
    writes: summarise(writeMs, seconds, writeFailures),
    hitRate: readMs.length === 0 ? 0 : hits / readMs.length,
    staleReads,
  };
}

function send(agent: http.Agent, baseUrl: string, method: string, path: string, body?: unknown, token?: string) {
  return new Promise<{ status: number; cache: string | undefined; body: string }>((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: http.OutgoingHttpHeaders = {};
    if (payload !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const req = http.request(new URL(path, baseUrl), { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, cache: res.headers['x-cache'] as string | undefined, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** The same mix with k6 (perf/k6/write-mix.js), read back from its summary. */
export async function runK6WriteMix(run: WriteMixRun, script: string): Promise<WriteMixStats> {
  const metrics = await runK6Script(
    script,
    { BASE_URL: run.baseUrl, TOKEN: run.token, WRITE_SHARE: String(run.writeShare), DURATION: `${run.durationSeconds}s`, VUS: String(run.connections) },
    { IDS_FILE: run.ids },
  );
  const count = (name: string) => metrics[name]?.count ?? 0;
  const reads = count('reads');
  return {
    writeShare: run.writeShare,
    reads: statsFromK6Trend(metrics.read_duration, reads, run.durationSeconds, count('read_failures')),
    writes: statsFromK6Trend(metrics.write_duration, count('writes'), run.durationSeconds, count('write_failures')),
    hitRate: metrics.cache_hits?.value ?? 0,
    staleReads: count('stale_reads'),
  };
}

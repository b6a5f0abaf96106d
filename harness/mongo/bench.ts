/**
 * `npm run bench:mongo [-- --short] [-- --json]`: how the embedded engine performs,
 * measured through the real driver over TCP. Exits 1 when a target is missed:
 *   - start ≤ 50 ms
 *   - lookup time at the large size ÷ at 1k ≤ 3, for `_id` and for an indexed field
 *     (both are hash lookups; a full scan would grow ~100×).
 * `--short` (used by `npm run verify`) compares 1k with 20k documents instead of 100k.
 */
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { type Collection, MongoClient } from 'mongodb';
import { stylerFor } from '../output/style';
import { startEmbeddedMongo } from './index';

const args = new Set(process.argv.slice(2));
const SHORT = args.has('--short');
const JSON_OUT = args.has('--json');
const LARGE = SHORT ? 20_000 : 100_000;
const SMALL = 1_000;
const LOOKUPS = SHORT ? 400 : 2_000;
const TARGETS = { startMs: 50, ratio: 3 };

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

interface Row {
  metric: string;
  value: number;
  unit: string;
  target?: string;
  ok?: boolean;
}

interface SmallDoc {
  _id: number;
  email: string;
  n: number;
  name: string;
}

function smallDoc(i: number): Omit<SmallDoc, '_id'> {
  return { email: `user${i}@example.test`, n: i, name: `User ${i}` };
}

async function fill(collection: Collection<SmallDoc>, count: number): Promise<number> {
  const started = performance.now();
  for (let from = 0; from < count; from += 1_000) {
    const batch = Array.from({ length: Math.min(1_000, count - from) }, (_, k) => ({ _id: from + k, ...smallDoc(from + k) }));
    await collection.insertMany(batch, { ordered: false });
  }
  return performance.now() - started;
}

/** Mean microseconds per findOne, after a warm-up; best of three rounds to shed noise. */
async function lookupMicros(collection: Collection<SmallDoc>, count: number, by: 'id' | 'email'): Promise<number> {
  const filter = (i: number): { _id: number } | { email: string } => (by === 'id' ? { _id: i } : { email: `user${i}@example.test` });
  for (let i = 0; i < 200; i += 1) await collection.findOne(filter((i * 7919) % count));
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round += 1) {
    const started = performance.now();
    for (let i = 0; i < LOOKUPS; i += 1) {
      const doc = await collection.findOne(filter((i * 7919 + round) % count));
      if (!doc) throw new Error(`lookup by ${by} found nothing at ${count} documents; the benchmark data is wrong`);
    }
    best = Math.min(best, ((performance.now() - started) * 1000) / LOOKUPS);
  }
  return best;
}

async function measureStart(): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    const started = performance.now();
    const mongo = await startEmbeddedMongo();
    times.push(performance.now() - started);
    await mongo.stop();
  }
  return times.sort((a, b) => a - b)[2] as number;
}

async function main(): Promise<Row[]> {
  const rows: Row[] = [];
  const startMs = await measureStart();
  rows.push({ metric: 'start (median of 5)', value: startMs, unit: 'ms', target: `≤ ${TARGETS.startMs}`, ok: startMs <= TARGETS.startMs });

  const mongo = await startEmbeddedMongo();
  const client = await MongoClient.connect(mongo.uri);
  try {
    const db = client.db('bench');
    const small = db.collection<SmallDoc>('small');
    const large = db.collection<SmallDoc>('large');
    await small.createIndex({ email: 1 }, { unique: true });
    await large.createIndex({ email: 1 }, { unique: true });
    await fill(small, SMALL);
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const insertMs = await fill(large, LARGE);
    gc();
    const heapAfter = process.memoryUsage().heapUsed;
    rows.push({ metric: `insert throughput (${LARGE / 1000}k docs, 2 indexes)`, value: LARGE / (insertMs / 1000), unit: 'docs/s' });
    rows.push({ metric: 'memory per 100k small docs', value: ((heapAfter - heapBefore) / LARGE) * 100_000 / 1048576, unit: 'MiB' });

    const atLargeBy: Record<string, number> = {};
    for (const by of ['id', 'email'] as const) {
      const atSmall = await lookupMicros(small, SMALL, by);
      const atLarge = await lookupMicros(large, LARGE, by);
      atLargeBy[by] = atLarge;
      const label = by === 'id' ? '_id lookup' : 'indexed lookup (email)';
      rows.push({ metric: `${label} @ 1k`, value: atSmall, unit: 'µs' });
      rows.push({ metric: `${label} @ ${LARGE / 1000}k`, value: atLarge, unit: 'µs' });
      const ratio = atLarge / atSmall;
      rows.push({ metric: `${label} ratio ${LARGE / 1000}k/1k`, value: ratio, unit: '×', target: `≤ ${TARGETS.ratio}`, ok: ratio <= TARGETS.ratio });
    }
    const versus = (atLargeBy.email ?? 0) / (atLargeBy.id ?? 1);
    rows.push({ metric: `indexed vs _id lookup @ ${LARGE / 1000}k`, value: versus, unit: '×', target: `≤ ${TARGETS.ratio}`, ok: versus <= TARGETS.ratio });
  } finally {
    await client.close();
    await mongo.stop();
  }
  return rows;
}

function printTable(rows: Row[]): void {
  const format = (row: Row): string => (row.value >= 100 ? Math.round(row.value).toLocaleString('en-US') : row.value.toFixed(2));
  const width = Math.max(...rows.map((r) => r.metric.length));
  process.stdout.write(`embedded MongoDB benchmark (${SHORT ? 'short: 1k vs 20k' : '1k vs 100k'} documents, driver over TCP)\n\n`);
  const style = stylerFor(process.stdout);
  for (const row of rows) {
    const verdict = row.ok === undefined ? '' : row.ok ? style.green(`ok (${row.target})`) : style.red(`MISSED (${row.target})`);
    process.stdout.write(`${row.metric.padEnd(width)}  ${format(row).padStart(10)} ${row.unit.padEnd(6)} ${verdict}\n`);
  }
}

main().then(
  (rows) => {
    const missed = rows.filter((row) => row.ok === false);
    if (JSON_OUT) process.stdout.write(`${JSON.stringify({ short: SHORT, rows, ok: missed.length === 0 }, null, 2)}\n`);
    else printTable(rows);
    if (missed.length > 0) {
      process.stderr.write(`\n${missed.length} target(s) missed: ${missed.map((m) => m.metric).join(', ')}\n`);
      process.exitCode = 1;
    }
  },
  (error: unknown) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);

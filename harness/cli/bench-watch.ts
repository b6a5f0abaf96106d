/**
 * Measures what a learner waits for in watch mode: from a save to the spec
 * results on screen. Rewrites one starter file with its own bytes (nothing
 * changes) and times save → result event, through the real file watcher and
 * the warm Jest process, after one warm-up run. On a stepped kata's starter
 * each save runs step 1 (what a learner starting the kata waits for);
 * `--whole` runs the whole kata instead, as the last stage of watch does.
 *
 *   npx tsx harness/cli/bench-watch.ts [kata] [--runs 7] [--whole]
 */
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config';
import { filesUnder, findKata } from './project';
import { startWatch, type WatchEvent } from './watch';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 7;
  const kataName = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs') ?? 'errors/next-and-middleware';
  const whole = args.includes('--whole');
  const kata = findKata({ cwd: projectRoot }, kataName);
  const file = path.join(kata.dir, 'src', filesUnder(path.join(kata.dir, 'src'))[0]!);
  const bytes = fs.readFileSync(file);

  let onResult: ((event: Extract<WatchEvent, { type: 'result' }>) => void) | undefined;
  const session = await startWatch({
    cwd: projectRoot,
    kata: kata.id,
    steps: !whole,
    onEvent: (event) => {
      if (event.type === 'result') onResult?.(event);
      if (event.type === 'error') console.error(event.error.message);
    },
  });
  await session.idle(); // the first run starts Jest: not what a save costs
  const timings: number[] = [];
  let tests = 0;
  let scope = 'the whole kata';
  for (let i = 0; i < runs; i++) {
    const result = new Promise<Extract<WatchEvent, { type: 'result' }>>((resolve) => (onResult = resolve));
    const saved = performance.now();
    fs.writeFileSync(file, bytes);
    const event = await result;
    timings.push(performance.now() - saved);
    tests = event.run.total;
    if (event.step.number !== null) scope = `step ${event.step.number}/${event.step.count}`;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await session.close();
  const sorted = [...timings].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  console.log(`kata ${kata.id}, ${scope} (${tests} tests), ${runs} saves: save → result median ${Math.round(median)} ms, min ${Math.round(sorted[0]!)} ms, max ${Math.round(sorted.at(-1)!)} ms`);
  console.log(`each: ${timings.map((t) => Math.round(t)).join(', ')} ms`);
}

void main();

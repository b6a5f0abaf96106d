/**
 * Push against polling, side by side in one run: the delivery-guarantees
 * solution in a child process (perf/realtime/server.ts), 200 clients in one
 * room, a producer publishing at a steady rate, and four ways for the clients
 * to get the messages: Socket.io push, HTTP polling every 1 s and every 100 ms
 * (`GET /rooms/:room/messages?after=offset`), and push again across three
 * nodes on the Redis adapter.
 */
import path from 'node:path';
import { projectRoot } from '../../harness/config';
import { startChild, startMongo, startRedis, stopAll, type Stopper } from '../infra';
import { runK6Realtime } from './k6-driver';
import { runNodeDriver, warmUp, type RealtimeRun, type Way } from './node-driver';
import { buildReport, type RealtimeDriver, type RealtimeReport, type WayReport } from './report';

export interface RealtimeOptions {
  short: boolean;
  driver: RealtimeDriver;
  /** Subscribed clients; 200 by default, 10 short. */
  clients?: number;
  /** Messages published per second; 5 by default (a busy chat room). */
  rate?: number;
}

interface ServerStats {
  cpuMs: number;
  requests: number;
  stored: number;
}

export async function runRealtime(options: RealtimeOptions, progress: (line: string) => void): Promise<RealtimeReport> {
  const clients = options.clients ?? (options.short ? 10 : 200);
  const ratePerSecond = options.rate ?? 5;
  const durationSeconds = options.short ? 2 : 15;
  const stoppers: Stopper[] = [];
  try {
    progress('starting Redis and MongoDB…');
    const [redisUrl, mongo] = await Promise.all([startRedis(stoppers), startMongo(stoppers)]);
    progress('starting the delivery-guarantees solution: one node, and three on the Redis adapter…');
    const app = await startChild(
      path.join(projectRoot, 'perf', 'realtime', 'server.ts'),
      { PERF_MONGO_URI: mongo.uri, PERF_MONGO_DB: `perf_realtime_${process.pid}`, PERF_REDIS_URL: redisUrl },
      stoppers,
    );
    const urls = JSON.parse(app.firstLine) as { single: string; cluster: string[] };
    const stats = async (room: string): Promise<ServerStats> => {
      app.process.stdin!.write(`stats ${room}\n`);
      const line = await app.lines.next();
      if (line.done) throw new Error('the realtime perf server stopped answering (its messages are above).');
      return JSON.parse(line.value) as ServerStats;
    };

    const runWay = async (name: string, room: string, way: Way, nodes: string[]): Promise<WayReport> => {
      progress(`${name}: ${options.driver}, ${clients} clients, ${ratePerSecond} messages/s for ${durationSeconds}s…`);
      const run: RealtimeRun = {
        way,
        producerUrl: nodes[0]!,
        clientUrls: nodes,
        room,
        clients,
        ratePerSecond,
        durationSeconds,
        // Generous: a saturated server answers polls seconds late, and that is a figure to report, not a loss.
        drainMs: 30_000 + (way.kind === 'poll' ? way.intervalMs : 0),
      };
      let before: ServerStats | undefined;
      let after: ServerStats | undefined;
      const measure = {
        begin: async () => {
          before = await stats(room);
        },
        end: async () => {
          after = await stats(room);
        },
      };
      const result =
        options.driver === 'k6'
          ? await runK6Realtime(run, path.join(projectRoot, 'perf', 'k6', 'realtime.js'), measure, async () => (await stats(room)).stored)
          : await runNodeDriver(run, measure);
      const cpuMs = after!.cpuMs - before!.cpuMs;
      return {
        name,
        ...result,
        httpRequests: after!.requests - before!.requests,
        cpuSecondsPer1k: result.delivered > 0 ? cpuMs / result.delivered : Number.NaN,
      };
    };

    progress('warming up every node (publishes and polls that are not measured)…');
    // The nodes share one process, hence one compiled code: the single node warms the chat, one cluster node the adapter.
    await warmUp(urls.single, 'perf-warm-up', options.short ? 5 : 10);
    await warmUp(urls.cluster[0]!, 'perf-warm-up', options.short ? 2 : 3);

    const push = await runWay('push', 'perf-push', { kind: 'push' }, [urls.single]);
    const poll1s = await runWay('poll 1 s', 'perf-poll-1000', { kind: 'poll', intervalMs: 1_000 }, [urls.single]);
    const poll100ms = await runWay('poll 100 ms', 'perf-poll-100', { kind: 'poll', intervalMs: 100 }, [urls.single]);
    const pushCluster = await runWay('push, 3 nodes', 'perf-cluster', { kind: 'push' }, urls.cluster);

    return buildReport(
      { driver: options.driver, mongo: mongo.engine, clients, ratePerSecond, durationSeconds },
      { push, poll1s, poll100ms, pushCluster },
    );
  } finally {
    await stopAll(stoppers);
  }
}

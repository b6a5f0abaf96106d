/**
 * The app side of the realtime scenario, run as a child process so that the
 * clients do not share its event loop: the delivery-guarantees kata's
 * reference solution (messages stored with a per-room offset, pushed to the
 * room over Socket.io, and served to pollers by `GET
 * /rooms/:room/messages?after=offset`), once as a single node and once as
 * three nodes joined by the scaling-with-redis kata's Redis adapter, all on
 * one MongoDB database.
 *
 * Input (environment): PERF_MONGO_URI, PERF_MONGO_DB, PERF_REDIS_URL.
 * Output: one JSON line on stdout once ready, `{ single, cluster }` (the URLs
 * of the single node and of the three cluster nodes). Then, for each line
 * `stats <room>` on stdin, one JSON line: `{ cpuMs, requests, stored }`, this
 * process's CPU time (user + system), the HTTP requests it served (Socket.io's
 * own excluded) and the messages stored in `room`. Stops cleanly on SIGTERM or
 * when stdin closes (the runner died).
 */
import type http from 'node:http';
import readline from 'node:readline';
import Redis from 'ioredis';
import mongoose from 'mongoose';
import { Server } from 'socket.io';
import { listen, type RunningServer } from '../../harness/http/listen';
import { createChat } from '../../solutions/realtime/delivery-guarantees/src/chat';
import { messagesAfter } from '../../solutions/realtime/delivery-guarantees/src/store';
import { pubSubAdapter } from '../../solutions/realtime/scaling-with-redis/src/adapter';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; this server is started by perf/run.ts.`);
  return value;
}

interface Node {
  running: RunningServer;
  io: Server;
}

let httpRequests = 0;

/** One node: its own chat (as a separate process would have), its own HTTP server and Socket.io server. */
async function startNode(redisClients?: Redis[], redisUrl?: string): Promise<Node> {
  const chat = createChat({ log: (entry) => process.stderr.write(`realtime perf server: ${JSON.stringify(entry)}\n`) });
  // Counts what the app serves; Socket.io answers its own requests before this handler is reached.
  const counted: http.RequestListener = (req, res) => {
    httpRequests++;
    chat.app(req, res);
  };
  const running = await listen(counted);
  // The load is 200 clients from one address: no per-connection limits in the way.
  const io = new Server(running.server, { serveClient: false, maxHttpBufferSize: 64_000 });
  if (redisClients && redisUrl) {
    io.adapter(
      pubSubAdapter(() => {
        const client = new Redis(redisUrl, { maxRetriesPerRequest: null });
        redisClients.push(client);
        return client;
      }),
    );
  }
  chat.register(io);
  return { running, io };
}

async function storedIn(room: string): Promise<number> {
  // The last offset is the number stored: offsets start at 1 and none is skipped.
  let last = 0;
  for (;;) {
    const page = await messagesAfter(room, last, 1_000);
    if (page.length === 0) return last;
    last = page.at(-1)!.offset;
  }
}

async function main(): Promise<void> {
  const redisUrl = required('PERF_REDIS_URL');
  await mongoose.connect(required('PERF_MONGO_URI'), { dbName: required('PERF_MONGO_DB') });
  // The indexes (the unique key, the room + offset order) exist before the first message.
  await mongoose.connection.syncIndexes();

  const redisClients: Redis[] = [];
  const single = await startNode();
  const cluster = [];
  for (let i = 0; i < 3; i++) cluster.push(await startNode(redisClients, redisUrl));
  const nodes = [single, ...cluster];

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // io.close() closes the HTTP server too; keep-alive connections would hold it open.
    await Promise.all(
      nodes.map(({ io, running }) => {
        const closed = io.close();
        running.server.closeAllConnections();
        return closed;
      }),
    );
    await Promise.all(redisClients.map((client) => client.quit().catch(() => client.disconnect())));
    await mongoose.connection.dropDatabase().catch(() => {});
    await mongoose.disconnect();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  const requests = readline.createInterface({ input: process.stdin });
  requests.on('line', (line) => {
    const [command, room] = line.trim().split(' ');
    if (command !== 'stats' || !room) return;
    // CPU first: the count below is the runner's question, not the load's cost.
    const cpu = process.cpuUsage();
    const served = httpRequests;
    void storedIn(room).then((stored) => {
      process.stdout.write(`${JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1_000, requests: served, stored })}\n`);
    });
  });
  requests.on('close', () => void stop());

  process.stdout.write(`${JSON.stringify({ single: single.running.url, cluster: cluster.map((n) => n.running.url) })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`realtime perf server: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

/**
 * The realtime scenario driven from Node when k6 is not installed:
 * socket.io-client for the producer and the push clients, fetch (undici) for
 * the pollers, all in this process so that publish and receipt times are read
 * on one clock.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { io as connect, type Socket } from 'socket.io-client';
import { DeliveryTally, stampBody, type DeliveryStats } from './tally';

/** How the clients get the room's messages. */
export type Way = { kind: 'push' } | { kind: 'poll'; intervalMs: number };

export interface RealtimeRun {
  way: Way;
  /** The node the producer publishes on. */
  producerUrl: string;
  /** The nodes clients connect to, round robin (one URL for a single node). */
  clientUrls: string[];
  room: string;
  clients: number;
  /** Messages published per second, for `durationSeconds`. */
  ratePerSecond: number;
  durationSeconds: number;
  /** After the last publish, how long stragglers may take before they count as lost. */
  drainMs: number;
}

/** The clock every timestamp of a run is read on: milliseconds, sub-millisecond precision. */
const now = () => performance.timeOrigin + performance.now();

async function connectSocket(url: string): Promise<Socket> {
  const socket = connect(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 20_000 });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

interface Clients {
  /** Stops receiving: sockets closed, poll loops ended (their last request answered). */
  stop(): Promise<void>;
}

async function startPushClients(run: RealtimeRun, tally: DeliveryTally, onReceipt: () => void): Promise<Clients> {
  const sockets: Socket[] = [];
  const stop = async () => {
    for (const socket of sockets) socket.disconnect();
  };
  try {
    await Promise.all(
      Array.from({ length: run.clients }, async (_, client) => {
        const socket = await connectSocket(run.clientUrls[client % run.clientUrls.length]!);
        sockets.push(socket);
        socket.on('message', (message: { body?: unknown }) => {
          tally.receive(client, message.body, now());
          onReceipt();
        });
        const ack = (await socket.timeout(20_000).emitWithAck('join', { room: run.room })) as { ok: boolean };
        if (!ack.ok) throw new Error(`join refused: ${JSON.stringify(ack)}`);
      }),
    );
  } catch (error) {
    // The clients that did connect would keep this process alive.
    await stop();
    throw error;
  }
  return { stop };
}

function startPollers(run: RealtimeRun, intervalMs: number, tally: DeliveryTally, onReceipt: () => void, requests: { count: number; failed: number }): Clients {
  let running = true;
  const poll = async (client: number) => {
    const base = run.clientUrls[client % run.clientUrls.length]!;
    let after = 0;
    // A random phase, as independent clients would have: 200 clients in lockstep would be a thundering herd no real fleet is.
    await delay(Math.random() * intervalMs);
    while (running) {
      const started = performance.now();
      try {
        const res = await fetch(`${base}/rooms/${run.room}/messages?after=${after}&limit=1000`);
        requests.count++;
        if (res.ok) {
          const page = (await res.json()) as { messages: Array<{ body: string }>; last: number };
          const receivedAt = now();
          for (const message of page.messages) tally.receive(client, message.body, receivedAt);
          after = page.last;
          if (page.messages.length > 0) onReceipt();
        } else {
          requests.failed++;
          await res.body?.cancel();
        }
      } catch {
        requests.count++;
        requests.failed++;
      }
      // Every interval from the start of the last request, never two at once, as a client with setTimeout after each answer.
      await delay(Math.max(0, intervalMs - (performance.now() - started)));
    }
  };
  const loops = Array.from({ length: run.clients }, (_, client) => poll(client));
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

export interface NodeRunResult extends DeliveryStats {
  /** HTTP requests the clients made (polls), and how many failed. */
  clientRequests: number;
  failedRequests: number;
}

/**
 * One way, start to end: clients subscribed first, then the producer
 * publishes at a steady rate; after its last acknowledgement the clients get
 * `drainMs` to receive the rest. `measure` brackets the part whose server
 * cost is reported (publishing and draining, not connecting).
 */
export async function runNodeDriver(run: RealtimeRun, measure: { begin(): Promise<void>; end(): Promise<void> }): Promise<NodeRunResult> {
  const tally = new DeliveryTally(run.clients);
  const requests = { count: 0, failed: 0 };
  const published: number[] = [];
  let drained: (() => void) | undefined;
  const onReceipt = () => {
    if (drained && tally.missing(published) === 0) drained();
  };
  const producer = await connectSocket(run.producerUrl);
  let clients: Clients | undefined;
  try {
    clients = run.way.kind === 'push' ? await startPushClients(run, tally, onReceipt) : startPollers(run, run.way.intervalMs, tally, onReceipt, requests);
    await measure.begin();

    // A steady rate: message i leaves at start + i × period, whatever the acks take.
    const period = 1_000 / run.ratePerSecond;
    const total = Math.round(run.ratePerSecond * run.durationSeconds);
    const start = performance.now();
    const acks: Array<Promise<void>> = [];
    let publishFailures = 0;
    for (let seq = 1; seq <= total; seq++) {
      await delay(Math.max(0, start + (seq - 1) * period - performance.now()));
      const body = stampBody({ seq, publishedAt: now() });
      acks.push(
        producer
          // Long: a publish queued behind a saturated database is slow, not failed.
          .timeout(60_000)
          .emitWithAck('send', { room: run.room, key: randomUUID(), body })
          .then((ack: { ok?: boolean }) => {
            if (ack.ok) published.push(seq);
            else publishFailures++;
          })
          .catch(() => {
            publishFailures++;
          }),
      );
    }
    await Promise.all(acks);

    // Wait for the last receipts, event by event; what has not come by the deadline is lost.
    if (tally.missing(published) > 0) {
      await new Promise<void>((resolve) => {
        const deadline = setTimeout(resolve, run.drainMs);
        drained = () => {
          clearTimeout(deadline);
          resolve();
        };
      });
    }
    drained = undefined;
    await measure.end();
    return { ...tally.summary(published, publishFailures), clientRequests: requests.count, failedRequests: requests.failed };
  } finally {
    await clients?.stop();
    producer.disconnect();
  }
}

/**
 * Runs each node's code paths before anything is measured (the first
 * transactions, the first broadcast, the first poll compile and cache what
 * every later one reuses), so that the first way measured does not pay for
 * the others.
 */
export async function warmUp(url: string, room: string, messages: number): Promise<void> {
  const socket = await connectSocket(url);
  try {
    await socket.timeout(60_000).emitWithAck('join', { room });
    for (let seq = 1; seq <= messages; seq++) {
      await socket.timeout(60_000).emitWithAck('send', { room, key: randomUUID(), body: stampBody({ seq, publishedAt: now() }) });
      const res = await fetch(`${url}/rooms/${room}/messages?after=0`);
      await res.json();
    }
  } finally {
    socket.disconnect();
  }
}

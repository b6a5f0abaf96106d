// @ts-check
/// <reference types="k6" />
/**
 * k6 scenario for push against polling: CLIENTS virtual users subscribed to
 * one room of the delivery-guarantees chat, and one producer publishing RATE
 * messages per second for DURATION seconds. The perf runner (perf/run.ts)
 * runs it once per way and reads the summary:
 *
 *   k6 run -e MODE=push -e CLIENT_URLS=http://127.0.0.1:PORT -e PRODUCER_URL=http://127.0.0.1:PORT \
 *     -e ROOM=perf-push -e CLIENTS=200 -e RATE=20 -e DURATION=15 perf/k6/realtime.js
 *   k6 run -e MODE=poll -e INTERVAL_MS=1000 … perf/k6/realtime.js
 *
 * Socket.IO has no k6 client: the script speaks its framing over a plain
 * WebSocket. Engine.IO packets are a digit and a payload (`0` open, `2` ping,
 * `3` pong, `4` message); a Socket.IO packet rides inside a `4`: `40`
 * connects the default namespace, `42["event",data]` is an event,
 * `42<id>[...]` one that wants an ack, `43<id>[...]` that ack.
 *
 * Every body carries the producer's sequence number and its publish time
 * (`{"seq":n,"t":ms}`); consumers and producer run in one k6 process, so
 * receipt − publish is read on one clock. Metrics: delivery_latency (ms),
 * messages_received (first receipts), messages_duplicated, publish_failed.
 * Lost messages are (stored × CLIENTS) − messages_received, which the runner
 * works out with the server's count of stored messages.
 */
import http from 'k6/http';
import { sleep } from 'k6';
import { Counter, Trend } from 'k6/metrics';
import { clearInterval, clearTimeout, setInterval, setTimeout } from 'k6/timers';
import { WebSocket } from 'k6/websockets';

const mode = __ENV.MODE || 'push';
const clientUrls = (__ENV.CLIENT_URLS || '').split(',').filter(Boolean);
const producerUrl = __ENV.PRODUCER_URL || clientUrls[0] || '';
const room = __ENV.ROOM || 'perf-push';
const clients = Number(__ENV.CLIENTS || 200);
const rate = Number(__ENV.RATE || 20);
const durationSeconds = Number(__ENV.DURATION || 15);
const intervalMs = Number(__ENV.INTERVAL_MS || 1000);
const drainMs = Number(__ENV.DRAIN_MS || 10000);
const total = Math.round(rate * durationSeconds);
/** Consumers connect and join first; the producer starts this much later. */
const settleSeconds = 5;
/** A consumer gives up on what has not arrived by then (counted lost by the runner). */
const consumerDeadlineMs = (settleSeconds + durationSeconds) * 1000 + drainMs;

const latency = new Trend('delivery_latency', true);
const received = new Counter('messages_received');
const duplicated = new Counter('messages_duplicated');
const publishFailed = new Counter('publish_failed');

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    consumers: {
      executor: 'per-vu-iterations',
      exec: mode === 'push' ? 'pushConsumer' : 'pollConsumer',
      vus: clients,
      iterations: 1,
      maxDuration: `${Math.ceil(consumerDeadlineMs / 1000) + 30}s`,
    },
    producer: {
      executor: 'per-vu-iterations',
      exec: 'producer',
      vus: 1,
      iterations: 1,
      startTime: `${settleSeconds}s`,
      maxDuration: `${durationSeconds + 60}s`,
    },
  },
  summaryTrendStats: ['avg', 'med', 'p(95)', 'p(99)', 'max'],
};

export function setup() {
  if (clientUrls.length === 0) throw new Error('CLIENT_URLS is required (the perf runner sets it).');
  if (mode !== 'push' && mode !== 'poll') throw new Error(`MODE must be push or poll, not ${mode}.`);
}

/** The first receipt of each sequence number counts; any later one is a duplicate. */
function receiver() {
  /** @type {Set<number>} */
  const seen = new Set();
  return {
    seen,
    /** @param {unknown} body @param {number} receivedAt */
    receive(body, receivedAt) {
      const stamp = JSON.parse(String(body));
      if (seen.has(stamp.seq)) {
        duplicated.add(1);
        return;
      }
      seen.add(stamp.seq);
      received.add(1);
      latency.add(receivedAt - stamp.t);
    },
  };
}

/** @param {string} url */
const socketUrl = (url) => `${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;

/**
 * A Socket.IO connection over a raw WebSocket: answers pings, connects the
 * default namespace, then calls `onConnected`; events go to `onEvent`, acks
 * to `onAck`.
 * @param {string} url
 * @param {{ onConnected(ws: WebSocket): void; onEvent?(name: string, data: any): void; onAck?(id: number, data: any): void }} handlers
 */
function socketIo(url, handlers) {
  const ws = new WebSocket(socketUrl(url));
  ws.onmessage = (event) => {
    const packet = String(event?.data ?? '');
    if (packet === '2') return ws.send('3');
    if (packet.startsWith('0')) return ws.send('40');
    if (packet.startsWith('40')) return handlers.onConnected(ws);
    const ack = /^43(\d+)(.*)$/.exec(packet);
    if (ack) return handlers.onAck?.(Number(ack[1]), JSON.parse(ack[2] ?? '[]')[0]);
    if (packet.startsWith('42')) {
      const [name, data] = JSON.parse(packet.slice(2));
      handlers.onEvent?.(name, data);
    }
  };
  return ws;
}

export function pushConsumer() {
  const url = clientUrls[__VU % clientUrls.length] ?? clientUrls[0] ?? '';
  const inbox = receiver();
  const ws = socketIo(url, {
    onConnected(socket) {
      socket.send(`420${JSON.stringify(['join', { room }])}`);
    },
    onEvent(name, message) {
      if (name !== 'message') return;
      inbox.receive(message.body, Date.now());
      if (inbox.seen.size >= total) ws.close();
    },
  });
  // The iteration ends when nothing is pending: the deadline is cleared once the socket closes.
  const deadline = setTimeout(() => ws.close(), consumerDeadlineMs);
  ws.onclose = () => clearTimeout(deadline);
}

export function pollConsumer() {
  const base = clientUrls[__VU % clientUrls.length] ?? clientUrls[0] ?? '';
  const inbox = receiver();
  const deadline = Date.now() + consumerDeadlineMs;
  let after = 0;
  // A random phase: independent clients do not poll in lockstep.
  sleep((Math.random() * intervalMs) / 1000);
  while (Date.now() < deadline && inbox.seen.size < total) {
    const started = Date.now();
    const res = http.get(`${base}/rooms/${room}/messages?after=${after}&limit=1000`, { tags: { name: 'GET /rooms/:room/messages' } });
    if (res.status === 200) {
      const receivedAt = Date.now();
      const page = /** @type {{ messages: Array<{ body: string }>, last: number }} */ (/** @type {unknown} */ (res.json()));
      for (const message of page.messages) inbox.receive(message.body, receivedAt);
      after = page.last;
    }
    sleep(Math.max(0, intervalMs - (Date.now() - started)) / 1000);
  }
}

export function producer() {
  const period = 1000 / rate;
  let sent = 0;
  let answered = 0;
  const ws = socketIo(producerUrl, {
    onConnected(socket) {
      const timer = setInterval(() => {
        sent++;
        const body = JSON.stringify({ seq: sent, t: Date.now() });
        const key = `perf-${room}-${sent}-${Date.now()}`;
        socket.send(`42${sent}${JSON.stringify(['send', { room, key, body }])}`);
        if (sent >= total) clearInterval(timer);
      }, period);
    },
    onAck(_id, ack) {
      answered++;
      if (!ack || ack.ok !== true) publishFailed.add(1);
      if (answered >= total) ws.close();
    },
  });
  // Acks that never come are failures too: give up a while after the last send.
  const deadline = setTimeout(() => {
    if (answered < total) publishFailed.add(total - answered);
    ws.close();
  }, durationSeconds * 1000 + 20000);
  ws.onclose = () => clearTimeout(deadline);
}

import { readConfig } from '../config';

/* eslint-disable @typescript-eslint/no-explicit-any -- Socket.io's typed `on`/`off`
   and Node's EventEmitter both take `(...args: any[]) => void`; nothing narrower
   is assignable from all of them. */
/** Anything that emits: a Socket.io socket (client or server side), a `ws` WebSocket, a RawSocket. */
export interface Emitter {
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** The event did not come (waitFor) or came when it must not (expectNoEvent). */
export class EventAssertionError extends Error {
  override name = 'EventAssertionError';
}

const endEvents: Record<string, string> = { disconnect: 'disconnected', close: 'closed' };

/**
 * Resolves with the arguments of the next `event` on `emitter`. Rejects with an
 * error naming the event when it has not come within `timeoutMs` (default
 * `KATA_EVENT_TIMEOUT_MS`, 10 s; generous: a
 * safety net so a missing event fails this test instead of Jest's timeout,
 * never a measurement), or when the socket disconnects or closes first.
 *
 * @example
 *   const [message] = await waitFor(bob, 'message');
 *   const [code, reason] = await waitFor(ws, 'close');
 */
// The default is `any[]` so a spec can destructure what it knows the event carries.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function waitFor<Args extends unknown[] = any[]>(
  emitter: Emitter,
  event: string,
  { timeoutMs = readConfig().eventTimeoutMs }: { timeoutMs?: number } = {},
): Promise<Args> {
  const waiting = new Promise<Args>((resolve, reject) => {
    const ends = Object.keys(endEvents).filter((end) => end !== event);
    const timer = setTimeout(() => {
      settle();
      reject(new EventAssertionError(`waitFor: no "${event}" event within ${timeoutMs} ms`));
    }, timeoutMs);
    const onEvent = (...args: unknown[]) => {
      settle();
      resolve(args as Args);
    };
    const onEnd = (end: string) => (reason?: unknown) => {
      settle();
      reject(new EventAssertionError(`waitFor: the socket ${endEvents[end]} (${String(reason)}) before any "${event}" event`));
    };
    const endListeners = ends.map((end) => [end, onEnd(end)] as const);
    function settle() {
      clearTimeout(timer);
      emitter.off(event, onEvent);
      for (const [end, listener] of endListeners) emitter.off(end, listener);
    }
    emitter.on(event, onEvent);
    for (const [end, listener] of endListeners) emitter.on(end, listener);
  });
  // A test that failed before awaiting this promise (or never needed it) must not
  // crash the run with an unhandled rejection when the socket closes afterwards;
  // whoever awaits it still gets the rejection.
  waiting.catch(() => {});
  return waiting;
}

/** What `expectNoEvent` needs: a Socket.io client socket, or any emitter with a `roundTrip`. */
interface SocketIoClientLike extends Emitter {
  io: { socket(nsp: string, options?: object): Emitter & { connect(): unknown; disconnect(): unknown } };
}

export interface NoEventOptions {
  /** The action that must not cause `event`; it should resolve once the server has handled it (e.g. its ack). */
  whileDoing: () => unknown;
  /**
   * A round trip on the same connection, answered by the server after
   * anything the action made it send. Default for a Socket.io client: a
   * CONNECT to an unused namespace, which the server answers (with an error)
   * on the same connection, so every packet queued before it has arrived.
   * For a `ws` WebSocket: a ping and its pong.
   */
  roundTrip?: () => Promise<unknown>;
}

let probes = 0;

/** A CONNECT/CONNECT_ERROR round trip on the client's own connection; no app code involved. */
function probeNamespace(socket: SocketIoClientLike): Promise<void> {
  const probe = socket.io.socket(`/__kata_probe_${++probes}`);
  return new Promise<void>((resolve) => {
    const done = () => {
      probe.off('connect', done);
      probe.off('connect_error', done);
      probe.disconnect();
      resolve();
    };
    probe.on('connect', done);
    probe.on('connect_error', done);
    probe.connect();
  }).then(() => undefined);
}

function pingPong(ws: Emitter & { ping(data?: unknown): void }): Promise<void> {
  const pong = waitFor(ws, 'pong');
  ws.ping();
  return pong.then(() => undefined);
}

function defaultRoundTrip(emitter: Emitter): () => Promise<unknown> {
  const candidate = emitter as Partial<SocketIoClientLike> & Partial<{ ping(data?: unknown): void }>;
  if (candidate.io && typeof candidate.io.socket === 'function') return () => probeNamespace(emitter as SocketIoClientLike);
  if (typeof candidate.ping === 'function') return () => pingPong(emitter as Emitter & { ping(): void });
  throw new TypeError('expectNoEvent: pass a roundTrip for this kind of socket (not a Socket.io client, not a ws WebSocket).');
}

/**
 * Asserts that `event` does not reach `emitter` because of `whileDoing`,
 * without sleeping: after the action, a round trip on the same connection
 * comes back, and since a connection delivers in order, an event the server
 * sent while handling the action would have arrived before it.
 *
 * @example
 *   await expectNoEvent(bob, 'message', {
 *     whileDoing: () => alice.timeout(5_000).emitWithAck('message', { text: 42 }),
 *   });
 */
export async function expectNoEvent(emitter: Emitter, event: string, { whileDoing, roundTrip }: NoEventOptions): Promise<void> {
  const proveOrder = roundTrip ?? defaultRoundTrip(emitter);
  const seen: unknown[][] = [];
  const onEvent = (...args: unknown[]) => seen.push(args);
  emitter.on(event, onEvent);
  try {
    await whileDoing();
    await proveOrder();
  } finally {
    emitter.off(event, onEvent);
  }
  if (seen.length > 0) {
    throw new EventAssertionError(
      `expectNoEvent: "${event}" arrived ${seen.length} time(s), first with ${JSON.stringify(seen[0]).slice(0, 300)}`,
    );
  }
}

/**
 * Time as the server sees it: the current instant and one-shot timers. Injected
 * so that the specs move time by hand instead of sleeping until a token expires.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `task` once, `ms` from now; the returned function cancels it. */
  schedule(ms: number, task: () => void): () => void;
}

// setTimeout keeps its delay in a signed 32-bit integer: anything longer (a
// 30-day token) fires at once, with only a warning. Longer waits are chained.
const MAX_TIMER_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  schedule(ms, task) {
    let timer: NodeJS.Timeout;
    const arm = (remaining: number) => {
      timer = setTimeout(() => (remaining > MAX_TIMER_MS ? arm(remaining - MAX_TIMER_MS) : task()), Math.min(remaining, MAX_TIMER_MS));
      // A timer per connection must not keep the process alive on shutdown.
      timer.unref();
    };
    arm(Math.max(0, ms));
    return () => clearTimeout(timer);
  },
};

/** Everything the rooms server needs to know, injected so that specs can choose. */
export interface RoomsConfig {
  /** The access tokens of phase 2: HS256 with this secret, this issuer and audience. */
  jwt: { secret: string; issuer: string; audience: string; clockToleranceSeconds: number };
  /** The web origins whose pages may open a connection, exactly as browsers send them. */
  allowedOrigins: string[];
  /** Messages (message:send, dm:send) one socket may send per window. */
  rateLimit: { limit: number; windowMs: number };
  clock: Clock;
  /** Where unexpected errors go; a client only ever sees a code. */
  log: (entry: Record<string, unknown>) => void;
}

export const defaultConfig: RoomsConfig = {
  jwt: {
    secret: process.env.KATA_JWT_SECRET ?? 'dev-only-secret-change-me-0123456789abcdef',
    issuer: 'https://auth.kata.local',
    audience: 'kata-api',
    clockToleranceSeconds: 5,
  },
  allowedOrigins: ['http://localhost:5173'],
  rateLimit: { limit: 10, windowMs: 10_000 },
  clock: systemClock,
  log: (entry) => console.error(entry),
};

// The few parts of autocannon 9's API that perf/ uses (the package ships no types).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    amount?: number;
    /** Seconds a request may take before it counts as a timeout (default 10). */
    timeout?: number;
    pipelining?: number;
    requests?: { method?: string; path: string }[];
  }

  interface Result {
    requests: { average: number; total: number };
    /** Every failed request, the timeouts included. */
    errors: number;
    timeouts: number;
    non2xx: number;
    duration: number;
  }

  interface Instance extends EventEmitter {
    on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): this;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }

  function autocannon(options: Options, callback: (error: Error | null, result: Result) => void): Instance;
  export = autocannon;
}

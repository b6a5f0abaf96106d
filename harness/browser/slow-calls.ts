import { readBrowserConfig } from '../config';

/**
 * The browser calls of a grading that took a long time, or never answered: what a
 * grading's verdict shows when the learner's tests failed on the real app, so that a
 * test that ran out of time says where the time went ("firefox: open a page took 48.2 s")
 * instead of only Jest's "Exceeded timeout".
 *
 * A page's calls wait for what the test asks (each page wait has its own limit,
 * KATA_BROWSER_TIMEOUT), so `slowMs` sits above that: a call slower than it is the
 * browser or the machine being slow, not the page.
 *
 * @example
 *   const slow = new SlowCalls(10_000);
 *   const page = await slow.timed('firefox: open a page', browser.newPage());
 *   slow.report(); // ['firefox: open a page took 12.4 s']
 *   await slow.timed('webkit: start the browser', openWebKit(), (browser) => browser.startPhases);
 *   slow.report(); // […, 'webkit: start the browser (lock 0.0 s, Xvfb 0.4 s, driver 1.1 s, session 18.9 s) took 20.4 s']
 */
export class SlowCalls {
  private readonly done: { label: string; ms: number }[] = [];
  private readonly pending = new Map<number, { label: string; since: number }>();
  private calls = 0;

  constructor(
    private readonly slowMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** `call`, timed: settles as it does. A slow answer's `detail` is reported with it (where its time went). */
  async timed<T>(label: string, call: Promise<T>, detail?: (value: T) => string | undefined): Promise<T> {
    const id = ++this.calls;
    const since = this.now();
    this.pending.set(id, { label, since });
    let said: string | undefined;
    try {
      const value = await call;
      said = detail?.(value);
      return value;
    } finally {
      this.pending.delete(id);
      const ms = this.now() - since;
      if (ms >= this.slowMs) this.done.push({ label: said ? `${label} (${said})` : label, ms });
    }
  }

  /** The calls unanswered for `slowMs` or longer (a hang looks like this), then the slow calls so far; the longest first in each. */
  report(): string[] {
    const now = this.now();
    const waiting = [...this.pending.values()]
      .map(({ label, since }) => ({ label, ms: now - since }))
      .filter(({ ms }) => ms >= this.slowMs)
      .sort((a, b) => b.ms - a.ms)
      .map(({ label, ms }) => `${label}: no answer after ${seconds(ms)}`);
    const finished = [...this.done].sort((a, b) => b.ms - a.ms).map(({ label, ms }) => `${label} took ${seconds(ms)}`);
    return [...waiting, ...finished];
  }
}

/**
 * Times the phases of a browser's start, for the report of a slow one (a driver's
 * `startPhases`): `phase('launch', …)` each, then `phases.toString()`.
 */
export function startPhases() {
  const spent: string[] = [];
  return {
    async phase<T>(name: string, step: Promise<T>): Promise<T> {
      const since = performance.now();
      try {
        return await step;
      } finally {
        spent.push(`${name} ${seconds(performance.now() - since)}`);
      }
    },
    toString: () => spent.join(', '),
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * When a grading's browser call counts as slow: slower than twice a page wait's limit
 * (KATA_BROWSER_TIMEOUT), and 10 s at least, the browser or the machine is slow, not the page.
 *
 * @example
 *   slowBrowserCallMs(5_000); // 10_000
 *   slowBrowserCallMs(8_000); // 16_000
 */
export function slowBrowserCallMs(timeoutMs = readBrowserConfig().timeoutMs): number {
  return Math.max(10_000, 2 * timeoutMs);
}

import { describe, expect, it } from '@jest/globals';
import { SlowCalls, slowBrowserCallMs, startPhases } from './slow-calls';

/** A clock the test moves by hand. */
function manualClock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

/** A call the test settles by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('SlowCalls', () => {
  it('reports calls that took the limit or longer, slowest first, and none quicker', async () => {
    const clock = manualClock();
    const slow = new SlowCalls(10_000, clock.now);
    const quick = deferred<string>();
    const open = deferred<string>();
    const click = deferred<void>();

    const timedQuick = slow.timed('chromium: goto', quick.promise);
    const timedOpen = slow.timed('firefox: open a page', open.promise);
    clock.advance(9_999);
    quick.resolve('done');
    await expect(timedQuick).resolves.toBe('done');
    const timedClick = slow.timed('firefox: click', click.promise);
    clock.advance(1);
    open.resolve('page');
    await expect(timedOpen).resolves.toBe('page');
    clock.advance(12_345);
    click.resolve();
    await timedClick;

    expect(slow.report()).toEqual(['firefox: click took 12.3 s', 'firefox: open a page took 10.0 s']);
  });

  it('reports a call still unanswered once past the limit, before the slow ones, and a slow call that failed, which still fails', async () => {
    const clock = manualClock();
    const slow = new SlowCalls(10_000, clock.now);
    const hanging = deferred<void>();
    const failing = deferred<void>();
    void slow.timed('firefox: open a page', hanging.promise);
    const timedFailing = slow.timed('webkit: goto', failing.promise);

    clock.advance(9_000);
    expect(slow.report()).toEqual([]);
    clock.advance(52_500);
    failing.reject(new Error('navigation failed'));
    await expect(timedFailing).rejects.toThrow('navigation failed');

    expect(slow.report()).toEqual(['firefox: open a page: no answer after 61.5 s', 'webkit: goto took 61.5 s']);
  });

  it("reports a slow answer with its detail, such as a start's phases, and a quick one not at all", async () => {
    const clock = manualClock();
    const slow = new SlowCalls(10_000, clock.now);
    const start = deferred<{ startPhases: string }>();
    const quick = deferred<{ startPhases: string }>();

    const timedStart = slow.timed('webkit: start the browser', start.promise, (browser) => browser.startPhases);
    const timedQuick = slow.timed('chromium: start the browser', quick.promise, (browser) => browser.startPhases);
    quick.resolve({ startPhases: 'launch 1.0 s' });
    await timedQuick;
    clock.advance(20_400);
    start.resolve({ startPhases: 'lock 0.0 s, Xvfb 0.4 s, driver 1.1 s, session 18.9 s' });
    await timedStart;

    expect(slow.report()).toEqual(['webkit: start the browser (lock 0.0 s, Xvfb 0.4 s, driver 1.1 s, session 18.9 s) took 20.4 s']);
  });
});

describe('startPhases', () => {
  it('names each phase of a start with its time, in order, a failed one too', async () => {
    const phases = startPhases();

    await phases.phase('profile', Promise.resolve());
    await expect(phases.phase('launch', Promise.reject(new Error('no display')))).rejects.toThrow('no display');

    expect(phases.toString()).toMatch(/^profile \d+\.\d s, launch \d+\.\d s$/);
  });
});

describe('slowBrowserCallMs', () => {
  it('is twice the page wait limit, and 10 s at least', () => {
    expect(slowBrowserCallMs(1_000)).toBe(10_000);
    expect(slowBrowserCallMs(5_000)).toBe(10_000);
    expect(slowBrowserCallMs(8_000)).toBe(16_000);
  });
});

import { describe, expect, it } from '@jest/globals';
import { BrowserLanes } from './browser-lanes';
import type { DriverBrowser } from './driver';

/** A WebKit-like browser (one page at a time), named so that a test can tell which one served. */
const oneWindow = (name: string): DriverBrowser & { name: string } => ({
  name,
  engine: 'webkit',
  onePageAtATime: true,
  newPage: () => Promise.reject(new Error('not used')),
  close: async () => {},
});

/** Whether `promise` has settled once pending callbacks have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('BrowserLanes', () => {
  it('starts a browser given as a start when a client first asks for it, and once', async () => {
    let starts = 0;
    const lanes = new BrowserLanes(async () => {
      starts++;
      return oneWindow('started on demand');
    });

    expect([starts, lanes.browsers()]).toEqual([0, []]);
    await lanes.up();
    const taken = (await lanes.take('a')) as ReturnType<typeof oneWindow>;

    expect([starts, taken.name, lanes.browsers().length]).toEqual([1, 'started on demand', 1]);
  });

  it('opens a second browser of a one-page-at-a-time engine for a client that would wait, and no third', async () => {
    const opened: string[] = [];
    const open = async () => {
      opened.push(`browser ${opened.length + 2}`);
      return oneWindow(opened.at(-1)!);
    };
    const lanes = new BrowserLanes(Promise.resolve(oneWindow('browser 1')), { open, most: 2 });

    const first = (await lanes.take('a')) as ReturnType<typeof oneWindow>;
    const second = (await lanes.take('b')) as ReturnType<typeof oneWindow>;
    const third = lanes.take('c');

    expect([first.name, second.name]).toEqual(['browser 1', 'browser 2']);
    expect(await settled(third)).toBe(false);
    expect(opened).toEqual(['browser 2']);
    lanes.release('b');
    expect(((await third) as ReturnType<typeof oneWindow>).name).toBe('browser 2');
  });

  it("gives a client its own browser again for its test's second page, while others wait", async () => {
    const lanes = new BrowserLanes(Promise.resolve(oneWindow('only')));

    const mine = await lanes.take('a');
    const other = lanes.take('b');
    const mineAgain = await lanes.take('a');

    expect(mineAgain).toBe(mine);
    expect(await settled(other)).toBe(false);
    lanes.release('a');
    expect(await other).toBe(mine);
  });

  it('serves every client at once from one browser with a tab per page, and opens no other', async () => {
    const chromium: DriverBrowser = { engine: 'chromium', newPage: () => Promise.reject(new Error('not used')), close: async () => {} };
    const open = () => Promise.reject(new Error('must not open'));
    const lanes = new BrowserLanes(Promise.resolve(chromium), { open, most: 3 });

    const served = await Promise.all(['a', 'b', 'c'].map((client) => lanes.take(client)));

    expect(served).toEqual([chromium, chromium, chromium]);
    expect(lanes.browsers()).toHaveLength(1);
  });

  it("goes on with the browsers that started when another fails to, and fails every client with the first one's launch error", async () => {
    const failing = Promise.reject(new Error('Xvfb exited (1) before opening a display'));
    const lanes = new BrowserLanes(Promise.resolve(oneWindow('first')), { open: () => failing, most: 2 });
    const first = await lanes.take('a');
    const waiting = lanes.take('b');
    await expect(failing).rejects.toThrow();
    lanes.release('a');
    expect(await waiting).toBe(first);

    const neverUp = new BrowserLanes(Promise.reject(new Error('Failed to launch the browser process: no display')));
    await expect(neverUp.take('a')).rejects.toThrow('Failed to launch the browser process: no display');
  });
});

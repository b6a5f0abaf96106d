import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { readBrowserConfig } from '../config';
import { stopProcess } from '../process/stop-process';
import { browserStartLimitMs, setValueScript, setValueTypes, type DriverBrowser } from './driver';
import { findMiniBrowser } from './engines';
import { acquireLock } from './lock';
import { clearStorageScript } from './reused-tabs';
import { startPhases } from './slow-calls';
import { newWebDriverSession, webDriverReady, type WebDriverSession } from './webdriver-client';

/**
 * WebKit through WebDriver classic: WebKitGTK's `WebKitWebDriver` driving
 * `MiniBrowser --automation` under a private Xvfb display on Linux, or, with
 * `KATA_WEBKIT=safari` on macOS, Safari through `safaridriver` (same protocol;
 * that route is not exercised by this project's CI, which runs on Linux).
 *
 * A driver allows one session at a time, so each browser is a driver and Xvfb of
 * its own; two MiniBrowsers starting at once on a loaded machine trip over each other,
 * so WebKit starts (not runs: started ones work side by side) are serialized across
 * processes with a lock file, which Safari (one automation session a machine) keeps
 * until it closes. The session is reused for every page of a run.
 */
export async function openWebKit(): Promise<DriverBrowser> {
  const { session, close, phases } = await startWebKit();
  return {
    engine: 'webkit',
    startPhases: phases,
    // The session has one window: a page opened while another is open would take its place.
    onePageAtATime: true,
    async newPage() {
      // One window per session: it shows about:blank, where a session starts and where the page before was left when it closed.
      return {
        goto: (url) => session.navigate(url),
        evaluate: (expression) => session.executeAsync(`return await (${expression});`),
        // WebDriver's element click and send keys: the driver scrolls, checks and types natively.
        click: async ({ selector }) => session.click(await session.findCss(selector)),
        async fill({ selector, type }, value) {
          if (setValueTypes.has(type ?? '')) {
            await session.executeAsync(`return ${setValueScript(selector, value)};`);
            return;
          }
          const element = await session.findCss(selector);
          await session.clear(element);
          // WebDriver refuses to send no text: an empty value is the cleared field.
          if (value !== '') await session.sendKeys(element, value);
        },
        // Leaving the page drops its sockets and timers, as closing a tab would; its
        // storage and cookies go too, since the next page shares this window's profile
        // (WebDriver deletes the cookies of the page shown: they go before it does).
        async close() {
          await session.executeAsync(clearStorageScript).catch(() => {});
          await session.deleteCookies().catch(() => {});
          await session.navigate('about:blank').catch(() => {});
        },
      };
    },
    close,
  };
}

/** Starts the driver (and Xvfb for WebKitGTK) and one session. */
async function startWebKit(): Promise<{ session: WebDriverSession; close(): Promise<void>; phases: string }> {
  const safari = readBrowserConfig().webkit === 'safari';
  const phases = startPhases();
  const release = await phases.phase('lock', acquireLock('webkit'));
  // The start's hang guard, as Chromium's and Firefox's launches have theirs (from the lock on:
  // waiting for another process's WebKit start is not this one hanging). Each phase gives up on it.
  const limit = AbortSignal.timeout(browserStartLimitMs);
  const started: ChildProcess[] = [];
  const stop = async () => {
    for (const child of started.reverse()) await stopProcess(child);
    release();
  };
  try {
    const env = { ...process.env };
    if (!safari) {
      // Pages painted by the CPU without WebKit's accelerated compositing, which under Xvfb
      // (no GPU) goes through a software OpenGL: 22 to 25 % less CPU for the same eight page
      // rounds (WebKitGTK 2.50, this project's 2-core machine). What a page does is the same.
      env.WEBKIT_DISABLE_COMPOSITING_MODE = '1';
      const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
        stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
      });
      started.push(xvfb);
      env.DISPLAY = `:${await phases.phase('Xvfb', displayNumber(xvfb, limit))}`;
    }
    const port = await freePort();
    const driver = spawn(safari ? 'safaridriver' : 'WebKitWebDriver', [`--port=${port}`], { stdio: 'ignore', env });
    started.push(driver);
    const base = `http://127.0.0.1:${port}`;
    await phases.phase('driver', driverListening(driver, base, limit));
    const capabilities = safari ? { browserName: 'safari' } : { 'webkitgtk:browserOptions': { binary: findMiniBrowser(), args: ['--automation'] } };
    const session = await phases.phase('session', newWebDriverSession(base, capabilities, limit));
    // Safari allows one automation session on the machine: it keeps the lock until it closes.
    if (!safari) release();
    return {
      session,
      phases: phases.toString(),
      async close() {
        await session.delete().catch(() => {});
        await stop();
      },
    };
  } catch (error) {
    await stop();
    if (limit.aborted) throw new Error(`WebKit did not start within ${browserStartLimitMs / 1000} s (${phases.toString()}), and was stopped`, { cause: error });
    throw error;
  }
}

/** Xvfb picks a free display itself and writes its number to fd 3 when it is ready. */
function displayNumber(xvfb: ChildProcess, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
    let out = '';
    const pipe = xvfb.stdio[3] as NodeJS.ReadableStream;
    pipe.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited (${code}) before opening a display`)));
    xvfb.once('error', reject);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** The driver prints nothing when it is up, so ask its /status until it answers (or it dies). */
async function driverListening(driver: ChildProcess, base: string, signal: AbortSignal): Promise<void> {
  let exited: string | undefined;
  driver.once('exit', (code) => (exited = `exited with ${code}`));
  driver.once('error', (error) => (exited = error.message));
  // Until it answers or exits, however long a loaded machine takes (4 s in a verify run here): the start's limit ends a hang.
  while (!(await webDriverReady(base, signal))) {
    if (exited) throw new Error(`the WebDriver server ${exited}`);
    signal.throwIfAborted();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

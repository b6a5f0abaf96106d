import type http from 'node:http';
import { listen } from '../http/listen';
import type { BrowserLanes } from './browser-lanes';
import type { DriverPage, Target } from './driver';
import type { BrowserEngine } from './engines';
import { SlowCalls } from './slow-calls';

/**
 * One browser per engine, driven from ONE process, serving pages to many: a grader's
 * Jest workers run the learner's tests against every mutant, each suite in a spec file
 * of its own, and they all open their pages here (remote-browser.ts is their side).
 *
 * Why not let each spec file connect to the browser itself: each worker process then
 * loaded the driver libraries (playwright-core, puppeteer-core: most of a CPU-second
 * each), each spec file opened a protocol session of its own, and Firefox allows one
 * WebDriver BiDi session: its spec files took turns, a lane of 25 s while the other
 * engines' ran side by side. Here the one session serves pages to every worker at
 * once, each page in a browser context of its own.
 *
 * The API is the driver's (driver.ts), as JSON over HTTP on 127.0.0.1:
 *
 *   POST /<engine>/up                                       → {} once the engine's browser is up
 *   POST /<engine>/pages            { client }              → { page }
 *   POST /pages/<page>/<action>     { url | expression | target, value } → { value }
 *   POST /clients/<client>/close                            → {}
 *
 * A driver's failure answers 500 `{ error }`, its message as the driver worded it
 * (a page wait's message says what the page showed), for the client to throw.
 *
 * An engine whose browser shows one page at a time (`onePageAtATime`, WebKit's one
 * window) serves one client per browser at a time (browser-lanes.ts): another client's
 * page waits until the pages of one before are closed (after its test, by useBrowser()),
 * or until another browser of the engine is up.
 */
export interface PageService {
  /** `http://127.0.0.1:<port>`: an engine's endpoint is `<url>/<engine>`. */
  readonly url: string;
  close(): Promise<void>;
}

/** A client's request the service refuses (not a driver's failure). */
class ServiceRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface OpenPage {
  /** The driver's page, once the browser has opened it. */
  opening: Promise<DriverPage>;
  engine: BrowserEngine;
  client: string;
}

/**
 * Serves the pages of `browsers`, which may still be starting: a page asked for meanwhile
 * opens once its browser is up (so the runs can start while a Firefox takes seconds to),
 * and fails with the browser's launch error if it never comes up. Every call is timed
 * in `slow`, for a grading's verdict to say where a test's time went.
 */
export async function servePages(browsers: ReadonlyMap<BrowserEngine, BrowserLanes>, slow = new SlowCalls(Infinity)): Promise<PageService> {
  const pages = new Map<string, OpenPage>();
  let opened = 0;

  /** Once a client has no page left in an engine, its browser goes to the next client waiting for one. */
  const passTurn = (engine: BrowserEngine, client: string) => {
    if ([...pages.values()].some((page) => page.engine === engine && page.client === client)) return;
    browsers.get(engine)?.release(client);
  };

  const closePage = async (id: string) => {
    const page = pages.get(id);
    if (!page) return;
    pages.delete(id);
    try {
      await slow.timed(`${page.engine}: close a page`, page.opening.then((opened) => opened.close(), () => undefined));
    } finally {
      passTurn(page.engine, page.client);
    }
  };

  const actions: Record<string, (page: DriverPage, body: Record<string, unknown>) => Promise<unknown>> = {
    goto: (page, body) => page.goto(text(body, 'url')),
    evaluate: (page, body) => page.evaluate(text(body, 'expression')),
    click: (page, body) => page.click(target(body)),
    fill: (page, body) => page.fill(target(body), text(body, 'value')),
  };

  const handle = async (method: string, route: string[], body: Record<string, unknown>): Promise<unknown> => {
    if (method !== 'POST') throw new ServiceRequestError(405, 'the page service answers POST only');
    const [first, second, third] = route;
    const lanesOf = (engine: string | undefined) => {
      const lanes = browsers.get(engine as BrowserEngine);
      if (!lanes) throw new ServiceRequestError(404, `no ${engine} browser is served here`);
      return lanes;
    };
    if (route.length === 2 && second === 'up') {
      return void (await slow.timed(`${first}: waiting for its browser to start`, lanesOf(first).up()));
    }
    if (route.length === 2 && second === 'pages') {
      const lanes = lanesOf(first);
      const client = text(body, 'client');
      const browser = await slow.timed(`${first}: waiting for its browser`, lanes.take(client));
      const id = `p${++opened}`;
      // Listed while it opens, so that the client keeps its browser meanwhile.
      const opening = slow.timed(`${first}: open a page`, browser.newPage());
      pages.set(id, { opening, engine: browser.engine, client });
      try {
        await opening;
      } catch (error) {
        pages.delete(id);
        passTurn(browser.engine, client);
        throw error;
      }
      return { page: id };
    }
    if (route.length === 3 && first === 'pages' && second !== undefined && third !== undefined) {
      if (third === 'close') return void (await closePage(second));
      const page = pages.get(second);
      const action = Object.hasOwn(actions, third) ? actions[third] : undefined;
      if (!page) throw new ServiceRequestError(404, `no open page ${second}`);
      if (!action) throw new ServiceRequestError(404, `no page action ${third}`);
      return { value: await slow.timed(`${page.engine}: ${third}`, action(await page.opening, body)) };
    }
    if (route.length === 3 && first === 'clients' && third === 'close') {
      const own = [...pages].filter(([, page]) => page.client === second).map(([id]) => id);
      for (const id of own) await closePage(id);
      return {};
    }
    throw new ServiceRequestError(404, `no route ${route.join('/')}`);
  };

  const running = await listen((request, response) => {
    void readJson(request)
      .then((body) => handle(request.method ?? '', (request.url ?? '/').split('/').filter(Boolean), body))
      .then(
        (result) => answer(response, 200, result ?? {}),
        (error: unknown) =>
          error instanceof ServiceRequestError
            ? answer(response, error.status, { error: error.message })
            : answer(response, 500, { error: error instanceof Error ? error.message : String(error) }),
      );
  });

  // Clients keep their connections for the whole spec file, idle between calls as long as a
  // test takes. With Node's 5 s keep-alive limit the service closed idle ones, and a client
  // whose worker was busy when that happened sent its next call on the closed connection
  // (ECONNRESET: seen failing a web-tests sign-in, with two gradings side by side).
  // The clients end their connections when they close; close() ends any left.
  running.server.keepAliveTimeout = 0;

  return {
    url: running.url,
    async close() {
      await running.close();
      await Promise.all([...pages.keys()].map((id) => closePage(id).catch(() => {})));
    },
  };
}

function text(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string') throw new ServiceRequestError(400, `"${field}" must be a string`);
  return value;
}

function target(body: Record<string, unknown>): Target {
  const value = body.target as Partial<Target> | null | undefined;
  const { selector, x, y, type } = value ?? {};
  if (typeof selector !== 'string' || typeof x !== 'number' || typeof y !== 'number' || (type !== null && typeof type !== 'string')) {
    throw new ServiceRequestError(400, '"target" must be { selector, x, y, type } (a string, two numbers, a string or null)');
  }
  return { selector, x, y, type };
}

async function readJson(request: http.IncomingMessage): Promise<Record<string, unknown>> {
  let raw = '';
  for await (const chunk of request) raw += String(chunk);
  if (raw === '') return {};
  try {
    const body: unknown = JSON.parse(raw);
    if (body !== null && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // Answered below.
  }
  throw new ServiceRequestError(400, 'the body must be a JSON object');
}

function answer(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

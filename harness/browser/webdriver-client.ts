/**
 * The few WebDriver classic commands (W3C WebDriver, https://www.w3.org/TR/webdriver2/)
 * the WebKit engine needs: new/delete session, navigate, execute async script,
 * find element, clear, send keys, click, delete cookies.
 *
 * Why not a client from npm: webdriver 10 (WebdriverIO's) needs Node 22.19 and
 * does not load on Node 20 (its undici 8 fails at import); webdriver 9 and
 * selenium-webdriver bring 60–100 packages (driver downloaders, zip, proxies)
 * for these eight HTTP calls. The protocol is plain JSON over HTTP, so the
 * client is fetch and an error type.
 */

/** The W3C element reference key, fixed by the specification. */
const elementKey = 'element-6066-11e4-a52e-4f735466cecf';

/** A WebDriver error answer, with the W3C error code ("no such element", …). */
export class WebDriverError extends Error {
  constructor(
    readonly error: string,
    message: string,
    readonly command: string,
  ) {
    super(`WebDriver ${command}: ${error}: ${message}`);
    this.name = 'WebDriverError';
  }
}

export interface WebDriverSession {
  readonly id: string;
  /** The WebDriver server's URL. */
  readonly base: string;
  navigate(url: string): Promise<void>;
  /** Runs `script` as the body of an async function; its return value (or rejection) comes back. */
  executeAsync(script: string): Promise<unknown>;
  findCss(selector: string): Promise<string>;
  clear(element: string): Promise<void>;
  sendKeys(element: string, text: string): Promise<void>;
  click(element: string): Promise<void>;
  deleteCookies(): Promise<void>;
  delete(): Promise<void>;
}

async function send(base: string, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, signal?: AbortSignal): Promise<unknown> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
  const payload = (await response.json().catch(() => ({}))) as { value?: unknown };
  const value = payload.value as { error?: string; message?: string } | null | undefined;
  if (!response.ok || (value && typeof value === 'object' && 'error' in value && value.error)) {
    throw new WebDriverError(value?.error ?? `HTTP ${response.status}`, value?.message ?? '', `${method} ${path}`);
  }
  return payload.value;
}

/** Whether a WebDriver server answers `GET /status` with `ready: true` (false once `signal` aborts the request). */
export async function webDriverReady(base: string, signal?: AbortSignal): Promise<boolean> {
  try {
    const status = (await send(base, 'GET', '/status', undefined, signal)) as { ready?: boolean };
    return status.ready !== false;
  } catch {
    return false;
  }
}

/**
 * Opens a session on the WebDriver server at `base` (`http://127.0.0.1:4444`); `signal`
 * abandons the request (the server starts the browser before it answers).
 *
 * @example
 *   const session = await newWebDriverSession('http://127.0.0.1:4444', { browserName: 'safari' });
 *   await session.navigate('https://example.org');
 *   await session.delete();
 */
export async function newWebDriverSession(base: string, alwaysMatch: Record<string, unknown>, signal?: AbortSignal): Promise<WebDriverSession> {
  const created = (await send(base, 'POST', '/session', { capabilities: { alwaysMatch } }, signal)) as { sessionId: string };
  return attachWebDriverSession(base, created.sessionId);
}

/** Drives the session with that id on the WebDriver server at `base`. */
function attachWebDriverSession(base: string, id: string): WebDriverSession {
  const at = `/session/${id}`;
  // A session answers one command at a time; WebKitWebDriver can stall when two overlap
  // (two pages closed at once did, in CI), so every command waits for the one before it.
  let last: Promise<unknown> = Promise.resolve();
  const command = (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<unknown> => {
    const next = last.catch(() => {}).then(() => send(base, method, path, body));
    last = next;
    return next;
  };
  const element = (found: unknown) => (found as Record<string, string>)[elementKey]!;
  return {
    id,
    base,
    navigate: async (url) => void (await command('POST', `${at}/url`, { url })),
    executeAsync: async (script) => {
      // WebDriver's async scripts report through a callback passed as the last argument;
      // a rejection travels back as a value so that its message survives the trip.
      const wrapped = `const done = arguments[arguments.length - 1];
        (async () => { ${script} })().then((value) => done({ ok: true, value }), (error) => done({ ok: false, message: String(error && error.message || error) }));`;
      const outcome = (await command('POST', `${at}/execute/async`, { script: wrapped, args: [] })) as
        | { ok: true; value: unknown }
        | { ok: false; message: string };
      if (!outcome.ok) throw new Error(outcome.message);
      return outcome.value;
    },
    findCss: async (selector) => element(await command('POST', `${at}/element`, { using: 'css selector', value: selector })),
    clear: async (ref) => void (await command('POST', `${at}/element/${ref}/clear`, {})),
    sendKeys: async (ref, text) => void (await command('POST', `${at}/element/${ref}/value`, { text })),
    click: async (ref) => void (await command('POST', `${at}/element/${ref}/click`, {})),
    deleteCookies: async () => void (await command('DELETE', `${at}/cookie`)),
    delete: async () => void (await command('DELETE', at)),
  };
}

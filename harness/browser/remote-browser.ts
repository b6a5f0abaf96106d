import { randomUUID } from 'node:crypto';
import type { DriverBrowser, DriverPage } from './driver';
import type { BrowserEngine } from './engines';

/**
 * A browser served by a page service (page-service.ts) in another process, reached at
 * `endpoint` (`http://127.0.0.1:<port>/<engine>`): the same driver API, each call one
 * HTTP request. Nothing of the driver libraries loads here.
 *
 * @example
 *   const browser = openRemoteBrowser('chromium', process.env.KATA_BROWSER_ENDPOINT_CHROMIUM!);
 *   const page = await browser.newPage();
 *   await page.goto(url);
 */
export function openRemoteBrowser(engine: BrowserEngine, endpoint: string): DriverBrowser {
  const service = new URL(endpoint).origin;
  // This browser's pages, for the service: an engine that shows one page at a time serves one client at a time.
  const client = randomUUID();
  const call = async (path: string, body: Record<string, unknown> = {}): Promise<Record<string, unknown>> => {
    const response = await fetch(`${service}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    // Parsed here, with this file's JSON: the values belong to the spec file's realm.
    const answer = JSON.parse(await response.text()) as Record<string, unknown>;
    // The driver's own words (a page wait says what the page showed), thrown where the test called.
    if (!response.ok) throw new Error(String(answer.error));
    return answer;
  };
  return {
    engine,
    async newPage(): Promise<DriverPage> {
      const { page } = await call(`/${engine}/pages`, { client });
      const act = (action: string, body: Record<string, unknown>) => call(`/pages/${String(page)}/${action}`, body);
      return {
        goto: async (url) => void (await act('goto', { url })),
        evaluate: async (expression) => (await act('evaluate', { expression })).value,
        click: async (selector) => void (await act('click', { selector })),
        fill: async (selector, value) => void (await act('fill', { selector, value })),
        close: async () => void (await act('close', {})),
      };
    },
    // The browser stays up for the other clients: only this one's pages close.
    close: async () => void (await call(`/clients/${client}/close`)),
  };
}

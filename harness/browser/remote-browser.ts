import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { DriverBrowser, DriverPage } from './driver';
import type { BrowserEngine } from './engines';

/** The variable through which a browser started once (by a grader: share-browsers.ts) is shared with spec files. */
export const endpointVariable = (engine: BrowserEngine) => `KATA_BROWSER_ENDPOINT_${engine.toUpperCase()}`;

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
export function openRemoteBrowser(engine: BrowserEngine, endpoint: string): DriverBrowser & { whenUp(): Promise<void> } {
  const service = new URL(endpoint).origin;
  // This browser's pages, for the service: an engine that shows one page at a time serves one client at a time.
  const client = randomUUID();
  // node:http on kept-alive connections rather than fetch: a call cost a quarter of fetch's
  // CPU (0.44 against 1.75 ms a round trip, both ends), and a grading makes hundreds.
  const agent = new http.Agent({ keepAlive: true });
  const call = (path: string, body: Record<string, unknown> = {}): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const request = http.request(`${service}${path}`, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('error', reject);
        response.on('end', () => {
          try {
            // Parsed here, with this file's JSON: the values belong to the spec file's realm.
            const answer = JSON.parse(text) as Record<string, unknown>;
            // The driver's own words (a page wait says what the page showed), thrown where the test called.
            if (response.statusCode !== 200) reject(new Error(String(answer.error)));
            else resolve(answer);
          } catch (error) {
            reject(error);
          }
        });
      });
      request.on('error', reject);
      request.end(JSON.stringify(body));
    });
  return {
    engine,
    /** Settles once the served browser is up (it may still be starting); rejects with its launch error. */
    whenUp: async () => void (await call(`/${engine}/up`)),
    async newPage(): Promise<DriverPage> {
      const { page } = await call(`/${engine}/pages`, { client });
      const act = (action: string, body: Record<string, unknown>) => call(`/pages/${String(page)}/${action}`, body);
      return {
        goto: async (url) => void (await act('goto', { url })),
        evaluate: async (expression) => (await act('evaluate', { expression })).value,
        click: async (target) => void (await act('click', { target })),
        fill: async (target, value) => void (await act('fill', { target, value })),
        close: async () => void (await act('close', {})),
      };
    },
    // The browser stays up for the other clients: only this one's pages close.
    async close() {
      try {
        await call(`/clients/${client}/close`);
      } finally {
        agent.destroy();
      }
    },
  };
}

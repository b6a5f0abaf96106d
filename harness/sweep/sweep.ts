import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { expect, it } from '@jest/globals';
import { stateDir } from '../config';
import { listen } from '../http/listen';
import { fillPath, hostileRequests, type HostileRequest } from './hostile-requests';
import { judgeAnswer } from './judge';
import { discoverRoutes, type Route } from './routes';

/**
 * The bad-input sweep of one kata's reference solution (run by `npm run verify`
 * with NODE_ENV=production): every route the app's router declares receives
 * every class of hostile input in hostile-requests.ts, anonymously and, when
 * the kata has authentication, as a signed-in user. A 5xx, a non-JSON error, a
 * library's message, a polluted Object.prototype or a request that hangs is a
 * finding. Each kata's target (harness/sweep/targets/) builds the app with its
 * dependencies, as the kata's own specs do.
 */
export interface SweepTarget {
  app: http.RequestListener & { router?: unknown };
  /** Headers of a signed-in user (a bearer token, a session cookie); sent beside the anonymous requests. */
  auth?: (url: string) => Promise<Record<string, string>> | Record<string, string>;
  /** Valid path parameter values, so hostile bodies get past the 404. */
  params?: Record<string, string>;
  /** A valid body per route ("PATCH /products/:id"), broken one field at a time. */
  bodies?: Record<string, Record<string, unknown>>;
  /** Restores state the sweep may have changed (a user deleted…) before the signed-in pass. */
  reset?: () => Promise<void>;
}

export interface SweepReport {
  kata: string;
  routes: string[];
  requests: number;
  findings: string[];
  elapsedMs: number;
}

/** An answer slower than this is a hang: every request here is small and local. */
const HANG_MS = 15_000;
/** One kata's whole sweep: thousands of requests, on a machine that may be busy. */
const SWEEP_TIMEOUT_MS = 5 * 60_000;
/** Requests in flight at once: enough to keep the app busy, few enough for a 2-core machine. */
const CONCURRENCY = 6;

export const sweepReportDir = path.join(stateDir, 'verify', 'sweep');

/** What the app logs for a 5xx (lib/errors' problemHandler `log` option), kept to explain the finding. */
export type SweepLog = (entry: { requestId: string; error: unknown }) => void;

/** Registers the kata's sweep as one test; `build` runs inside it, after the file's hooks. */
export function sweep(kata: string, build: (log: SweepLog) => Promise<SweepTarget> | SweepTarget): void {
  it(`${kata}: every route answers hostile input with a clean 4xx`, async () => {
    const logged = new Map<string, unknown>();
    const target = await build((entry) => logged.set(entry.requestId, entry.error));
    const report = await runSweep(kata, target, logged);
    fs.mkdirSync(sweepReportDir, { recursive: true });
    fs.writeFileSync(path.join(sweepReportDir, `${kata.replace('/', '--')}.json`), JSON.stringify(report, null, 2));
    expect(report.findings).toEqual([]);
  }, SWEEP_TIMEOUT_MS);
}

export async function runSweep(kata: string, target: SweepTarget, logged = new Map<string, unknown>()): Promise<SweepReport> {
  const started = performance.now();
  const declared = discoverRoutes(target.app);
  if (declared.length === 0) return { kata, routes: [], requests: 0, findings: [`${kata}: no route found in the app's router`], elapsedMs: 0 };
  // Requests no route matches go through the same middleware (sessions, auth, the 404).
  const routes = [...declared, { method: 'GET', path: '/no-such-route/:anything' }, { method: 'POST', path: '/no-such-route/:anything' }];
  const server = await listen(target.app);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const findings = new Set<string>();
  let requests = 0;
  try {
    const passes: Array<[string, Record<string, string>]> = [['anonymous', {}]];
    if (target.auth) passes.push(['signed in', await target.auth(server.url)]);
    for (const [who, credentials] of passes) {
      const send = (queue: Array<{ route: Route; request: HostileRequest }>) => {
        requests += queue.length;
        return inParallel(queue, CONCURRENCY, async ({ route, request }) => {
          const finding = await probe(server.url, agent, route, request, credentials, logged);
          if (finding) findings.add(`${route.method} ${route.path} (${who}, ${request.label}): ${finding}`);
        });
      };
      // With a signed-in pass to come, the anonymous one skips the field-by-field
      // bodies: they would mostly meet the 401, and they are most of the requests.
      const fieldByField = who === 'signed in' || !target.auth;
      await send(
        routes.flatMap((route) =>
          hostileRequests(route, { params: target.params, body: target.bodies?.[`${route.method} ${route.path}`], fieldByField }).map((request) => ({ route, request })),
        ),
      );
      // State a refused (or accepted) request left behind must not break later reads.
      await send(declared.filter((r) => r.method === 'GET').map((route) => ({ route, request: rereadOf(route, target.params) })));
      await target.reset?.();
    }
  } finally {
    agent.destroy();
    await server.close();
  }
  return {
    kata,
    routes: routes.map((r) => `${r.method} ${r.path}`),
    requests,
    findings: [...findings],
    elapsedMs: Math.round(performance.now() - started),
  };
}

async function probe(
  baseUrl: string,
  agent: http.Agent,
  route: Route,
  request: HostileRequest,
  credentials: Record<string, string>,
  logged: Map<string, unknown>,
): Promise<string | undefined> {
  const before = Object.getOwnPropertyNames(Object.prototype).length;
  let answer;
  try {
    answer = await send(baseUrl, agent, request, { ...credentials, ...request.headers });
  } catch (error) {
    return error instanceof HangError ? `no answer within ${HANG_MS / 1000} s (hang)` : `the connection failed: ${(error as Error).message}`;
  }
  if (Object.getOwnPropertyNames(Object.prototype).length !== before) {
    const added = Object.getOwnPropertyNames(Object.prototype).slice(before);
    for (const key of added) delete (Object.prototype as Record<string, unknown>)[key];
    return `polluted Object.prototype with ${added.join(', ')}`;
  }
  const verdict = judgeAnswer(answer, { ...request, loginRoute: route.method === 'POST' && /login|sign-?in/i.test(route.path) });
  return verdict && answer.status >= 500 ? `${verdict}${causeOf(answer.body, logged)}` : verdict;
}

/** The error the app logged for this response's request id, for the author reading the finding. */
function causeOf(body: string, logged: Map<string, unknown>): string {
  const id = /"requestId"\s*:\s*"([^"]+)"/.exec(body)?.[1];
  const error = id === undefined ? undefined : logged.get(id);
  if (error === undefined) return '';
  return ` (logged: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)})`.slice(0, 300);
}

function rereadOf(route: Route, params: Record<string, string> = {}): HostileRequest {
  return { method: 'GET', path: fillPath(route.path, (name) => params[name] ?? 'x'), headers: {}, label: 'a plain read after the sweep' };
}

class HangError extends Error {}

function send(baseUrl: string, agent: http.Agent, request: HostileRequest, headers: Record<string, string>) {
  return new Promise<{ status: number; contentType: string; body: string }>((resolve, reject) => {
    const url = new URL(baseUrl);
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.path,
        agent,
        headers: { ...headers, ...(request.body ? { 'content-length': String(request.body.length) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(HANG_MS, () => {
      req.destroy(new HangError());
    });
    req.on('error', reject);
    req.end(request.body);
  });
}

async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(workers);
}

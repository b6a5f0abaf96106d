import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { INFRASTRUCTURE_START_TIMEOUT_MS, projectRoot, stateDir } from '../config';
import { loadOnce } from '../jest/load-once';
import { stopProcess } from '../process/stop-process';
import type { ProviderAccount, ProviderProcessOptions, TamperKind } from './provider-process';

export type { ProviderAccount, TamperKind } from './provider-process';

/** A client registered at the provider (RFC 7591 dynamic registration). */
export interface RegisteredClient {
  clientId: string;
  clientSecret: string;
}

export interface OidcProviderHandle {
  /** e.g. `http://127.0.0.1:41234`; discovery is at `${issuer}/.well-known/openid-configuration`. */
  readonly issuer: string;
  /** Registers a confidential web client (client_secret_post) for these redirect URIs. */
  registerClient(options: { redirectUris: string[] }): Promise<RegisteredClient>;
  /**
   * Signs in at the provider the way a person would, through its own login and
   * consent pages (HTML forms, cookies, redirects), starting from the
   * authorization URL a client redirected to. Returns the URL the provider
   * finally redirects the browser to: the client's redirect_uri with `code`
   * and `state`. It does not follow it: the spec delivers it to the app.
   */
  signIn(authorizationUrl: string, options: { login: string }): Promise<string>;
  /** The next token response carries an ID token broken in this one way. */
  tamperNextIdToken(kind: TamperKind): Promise<void>;
}

/** Thrown when the handle is used outside the provider's running state. */
export class OidcProviderStateError extends Error {
  readonly code = 'OIDC_PROVIDER_STATE';
  constructor(wanted: string, state: ProviderState) {
    super(`useOidcProvider(): ${wanted} needs a running provider, but it is ${state}. Use the handle inside tests or hooks.`);
    this.name = 'OidcProviderStateError';
  }
}

type ProviderState = 'new' | 'starting' | 'running' | 'stopped';

const script = path.join(__dirname, 'provider-process.ts');

/**
 * provider-process.ts as plain JavaScript, compiled once per version of it into
 * `.kata/oidc/`: started through tsx, each provider (one per spec file, one per wrong
 * solution of the OAuth kata) cost 1.9 CPU-s and 1.2 s before it answered; as
 * JavaScript, 0.8 CPU-s and 0.55 s. It sits inside the project, so its package
 * imports resolve from the project's node_modules.
 */
function compiledScript(): string {
  const source = fs.readFileSync(script, 'utf8');
  const compiled = path.join(stateDir, 'oidc', `provider-process.${createHash('sha256').update(source).digest('hex').slice(0, 16)}.mjs`);
  if (fs.existsSync(compiled)) return compiled;
  const { transformSync } = loadOnce<typeof import('esbuild')>('esbuild');
  const { code } = transformSync(source, { loader: 'ts', format: 'esm', target: 'node20', sourcefile: script });
  fs.mkdirSync(path.dirname(compiled), { recursive: true });
  // Written aside and renamed: another worker may be starting its provider from it right now.
  const partial = `${compiled}.${process.pid}.tmp`;
  fs.writeFileSync(partial, code);
  fs.renameSync(partial, compiled);
  return compiled;
}

/**
 * A real OpenID Provider for this spec file (oidc-provider, configured like
 * Google: discovery, JWKS, authorization code flow, PKCE, `email_verified`),
 * started in a child process in `beforeAll` and stopped in `afterAll`. Specs
 * exercise the learner's real client code against it, not a mock.
 *
 * @example
 *   const google = useOidcProvider({ accounts: [{ sub: 'ada', email: 'ada@example.com', email_verified: true, name: 'Ada' }] });
 *   it('logs in', async () => {
 *     const client = await google.registerClient({ redirectUris: [`${url}/auth/google/callback`] });
 *     …
 *     const callback = await google.signIn(authorizationUrl, { login: 'ada' });
 *   });
 */
export function useOidcProvider(options: { accounts: ProviderAccount[] }): OidcProviderHandle {
  let state: ProviderState = 'new';
  let child: ChildProcess | undefined;
  let issuer: string | undefined;

  beforeAll(async () => {
    state = 'starting';
    const processOptions: ProviderProcessOptions = { accounts: options.accounts };
    child = spawn(process.execPath, [compiledScript(), JSON.stringify(processOptions)], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      issuer = await readIssuer(child);
      state = 'running';
    } catch (error) {
      // A failed start stops what it started.
      await stopProcess(child);
      state = 'stopped';
      throw error;
    }
  }, INFRASTRUCTURE_START_TIMEOUT_MS);

  // A tamper armed by a test whose client never reached the token endpoint must not hit the next test.
  afterEach(async () => {
    if (state === 'running') await setTamper(issuer as string, undefined);
  });

  afterAll(async () => {
    if (child) await stopProcess(child);
    state = 'stopped';
  });

  const running = (wanted: string): string => {
    if (state !== 'running' || !issuer) throw new OidcProviderStateError(wanted, state);
    return issuer;
  };

  return {
    get issuer() {
      return running('issuer');
    },

    async registerClient({ redirectUris }) {
      const res = await fetch(`${running('registerClient()')}/reg`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ redirect_uris: redirectUris, token_endpoint_auth_method: 'client_secret_post', grant_types: ['authorization_code'], response_types: ['code'] }),
      });
      const body = (await res.json()) as { client_id?: string; client_secret?: string };
      if (!res.ok || !body.client_id || !body.client_secret) throw new Error(`client registration failed: ${res.status} ${JSON.stringify(body)}`);
      return { clientId: body.client_id, clientSecret: body.client_secret };
    },

    async signIn(authorizationUrl, { login }) {
      return signInThroughPages(running('signIn()'), authorizationUrl, login);
    },

    async tamperNextIdToken(kind) {
      await setTamper(running('tamperNextIdToken()'), kind);
    },
  };
}

async function setTamper(issuer: string, kind: TamperKind | undefined): Promise<void> {
  const res = await fetch(`${issuer}/__harness/tamper`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind: kind ?? null }),
  });
  await res.body?.cancel();
}

function readIssuer(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const line = stdout.split('\n').find((candidate) => candidate.startsWith('{"issuer"'));
      if (line) resolve((JSON.parse(line) as { issuer: string }).issuer);
    });
    child.once('exit', (code) => reject(new Error(`the OpenID provider exited (code ${code}) before it was ready:\n${stderr.trim()}`)));
    child.once('error', reject);
  });
}


/** What a browser does on the provider's pages, with fetch: follow redirects, keep cookies, submit the forms. */
async function signInThroughPages(issuer: string, authorizationUrl: string, login: string): Promise<string> {
  const cookies = new Map<string, string>();
  let url = authorizationUrl;
  let form: URLSearchParams | undefined;
  for (let step = 0; step < 20; step += 1) {
    const res = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form?.toString(),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    form = undefined;
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      const location = new URL(res.headers.get('location') ?? '', url).href;
      // Leaving the provider: this is the client's redirect_uri.
      if (!location.startsWith(`${issuer}/`)) return location;
      url = location;
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    if (res.status !== 200 || !action || !prompt) {
      throw new Error(`the provider answered ${res.status} at ${url} with no login or consent form: ${html.slice(0, 500)}`);
    }
    url = new URL(action.replace(/&amp;/g, '&'), url).href;
    form = prompt === 'login' ? new URLSearchParams({ prompt, login, password: 'any password' }) : new URLSearchParams({ prompt });
  }
  throw new Error(`signing in at ${issuer} took more than 20 steps`);
}

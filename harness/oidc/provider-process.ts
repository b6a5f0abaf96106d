/**
 * A real OpenID Provider (panva's oidc-provider, certified by the OpenID
 * Foundation) configured the way Google's is: discovery, JWKS, the
 * authorization code flow with optional PKCE, `openid email profile` scopes,
 * and `email`, `email_verified`, `name` inside the ID token.
 *
 * It runs in a child process because oidc-provider is ESM-only and Jest runs
 * CommonJS (see use-oidc-provider.ts), compiled to JavaScript once (useOidcProvider
 * does it), or by hand as
 *
 *   node --import tsx harness/oidc/provider-process.ts '<options as JSON>'
 *
 * it listens on 127.0.0.1 port 0 and prints one line, `{"issuer":"http://127.0.0.1:<port>"}`,
 * when it is ready. SIGTERM stops it.
 *
 * Test-only extras, under /__harness (never part of a real provider):
 * - POST /__harness/tamper `{ "kind": … }` makes the next token response carry an
 *   ID token broken in one way (see TamperKind), so specs can prove a client
 *   verifies what it receives;
 * Clients are registered with standard dynamic client registration (RFC 7591, POST /reg).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { JWTHeaderParameters } from 'jose';

export type TamperKind = 'signature' | 'unsigned' | 'issuer' | 'audience' | 'expired' | 'nonce';

export interface ProviderAccount {
  /** The stable subject identifier; also what you type in the login page's "login" field. */
  sub: string;
  email: string;
  email_verified: boolean;
  name: string;
}

export interface ProviderProcessOptions {
  accounts: ProviderAccount[];
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{"accounts":[]}') as ProviderProcessOptions;
  // ESM-only packages, imported when the provider starts.
  const { default: Provider } = await import('oidc-provider');
  const jose = await import('jose');

  const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const signingJwk = { ...(await jose.exportJWK(privateKey)), kid: 'harness-key-1', alg: 'RS256', use: 'sig' };

  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const accounts = new Map(options.accounts.map((account) => [account.sub, account]));
  const provider = new Provider(issuer, {
    jwks: { keys: [signingJwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    features: {
      // The provider's own login and consent pages ("Enter any login": the login is the account's sub).
      devInteractions: { enabled: true },
      registration: { enabled: true },
    },
    scopes: ['openid', 'email', 'profile'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // Like Google: the ID token carries the claims of the granted scopes.
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    findAccount: (_ctx, id) => {
      const account = accounts.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: () => ({ ...account }) };
    },
    ttl: { AuthorizationCode: 60, IdToken: 3600, AccessToken: 3600, Interaction: 600, Session: 3600, Grant: 3600 },
    // No open redirect on errors: render them as JSON.
    renderError: (ctx, out) => {
      ctx.type = 'json';
      ctx.body = out;
    },
  });

  let tamperNext: TamperKind | undefined;
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as Record<string, unknown> | undefined;
    if (ctx.path === '/token' && tamperNext && typeof body?.id_token === 'string') {
      const kind = tamperNext;
      tamperNext = undefined;
      ctx.body = { ...body, id_token: await tamper(body.id_token, kind) };
    }
  });

  async function tamper(idToken: string, kind: TamperKind): Promise<string> {
    const [header = '', payload = '', signature = ''] = idToken.split('.');
    if (kind === 'signature') {
      // Same claims, a signature that no longer matches them.
      const flipped = signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
      return `${header}.${payload}.${flipped}`;
    }
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (kind === 'unsigned') {
      const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      return `${none}.${payload}.`;
    }
    const now = Math.floor(Date.now() / 1000);
    // Re-signed with the provider's real key: only the one claim is wrong.
    if (kind === 'issuer') claims.iss = 'https://accounts.evil.example';
    if (kind === 'audience') claims.aud = 'someone-elses-client-id';
    if (kind === 'expired') Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
    if (kind === 'nonce') claims.nonce = 'a-nonce-from-another-login';
    const protectedHeader = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as JWTHeaderParameters;
    return new jose.SignJWT(claims).setProtectedHeader(protectedHeader).sign(privateKey);
  }

  const handleProvider = provider.callback();
  server.on('request', (req, res) => {
    if (req.method === 'POST' && req.url === '/__harness/tamper') {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (raw += chunk));
      req.on('end', () => {
        tamperNext = (JSON.parse(raw || "{}") as { kind?: TamperKind | null }).kind ?? undefined;
        res.writeHead(204).end();
      });
      return;
    }
    void handleProvider(req, res);
  });

  process.on('SIGTERM', () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`oidc provider failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

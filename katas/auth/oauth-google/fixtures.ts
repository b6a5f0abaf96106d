import type http from 'node:http';
import { beforeAll } from '@jest/globals';
import { startServer, useMongo, useOidcProvider, type ProviderAccount } from '../../../harness';
import { createApp } from './src/app';
import { User } from './src/user.model';

/** The people with an account at the (pretend) Google. Their `sub` is also what one types at its login page. */
export const accounts = {
  grace: { sub: 'grace-sub', email: 'grace@example.com', email_verified: true, name: 'Grace Hopper' },
  ada: { sub: 'ada-sub', email: 'ada@example.com', email_verified: true, name: 'Ada Lovelace' },
  // Anyone can open a provider account with someone else's address; the provider just does not verify it.
  mallory: { sub: 'mallory-sub', email: 'victim@example.com', email_verified: false, name: 'Mallory' },
  // An unverified address no local account uses (yet).
  eve: { sub: 'eve-sub', email: 'eve@example.com', email_verified: false, name: 'Eve' },
} satisfies Record<string, ProviderAccount>;

/**
 * The spec file's world: MongoDB, a real OpenID provider, and the app
 * registered with it as a client. The app's URL is needed to register its
 * redirect URI, so the server starts first and gets the app once it exists.
 */
export function useGoogleLoginApp() {
  useMongo();
  const google = useOidcProvider({ accounts: Object.values(accounts) });
  const world = { url: '', google };

  beforeAll(async () => {
    await User.init();
    let app: http.RequestListener = (_req, res) => void res.writeHead(503).end();
    const server = await startServer((req, res) => app(req, res));
    const redirectUri = `${server.url}/auth/google/callback`;
    const { clientId, clientSecret } = await google.registerClient({ redirectUris: [redirectUri] });
    app = createApp({
      config: { oidc: { issuer: google.issuer, clientId, clientSecret, redirectUri, allowInsecureRequests: true }, sessionSecret: 'oauth-google-spec-secret' },
      log: () => {},
    });
    world.url = server.url;
  });

  return world;
}

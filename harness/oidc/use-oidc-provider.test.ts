import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { OidcProviderStateError, useOidcProvider } from './use-oidc-provider';

const ada = { sub: 'ada-sub', email: 'ada@example.com', email_verified: true, name: 'Ada Lovelace' };
const provider = useOidcProvider({ accounts: [ada] });

const redirectUri = 'http://127.0.0.1:9/callback';

async function authorizationUrl(clientId: string, challenge: string) {
  const discovery = (await (await fetch(`${provider.issuer}/.well-known/openid-configuration`)).json()) as { authorization_endpoint: string };
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    state: 'state-1',
    nonce: 'nonce-1',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  return url.href;
}

describe('useOidcProvider()', () => {
  it('serves discovery like Google: issuer, JWKS, the code flow, S256 PKCE and email_verified', async () => {
    const res = await fetch(`${provider.issuer}/.well-known/openid-configuration`);

    const discovery = (await res.json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({ issuer: provider.issuer, jwks_uri: `${provider.issuer}/jwks`, response_types_supported: ['code'], code_challenge_methods_supported: ['S256'] });
    expect(discovery.claims_supported).toEqual(expect.arrayContaining(['sub', 'email', 'email_verified', 'name']));
  });

  it('signs in through its login and consent pages and issues an ID token with the account\'s claims', async () => {
    const client = await provider.registerClient({ redirectUris: [redirectUri] });
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');

    const callback = new URL(await provider.signIn(await authorizationUrl(client.clientId, challenge), { login: ada.sub }));
    const token = await fetch(`${provider.issuer}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'authorization_code', code: callback.searchParams.get('code') ?? '', redirect_uri: redirectUri, code_verifier: verifier, client_id: client.clientId, client_secret: client.clientSecret }),
    });

    expect(`${callback.origin}${callback.pathname}`).toBe(redirectUri);
    expect(callback.searchParams.get('state')).toBe('state-1');
    const { id_token: idToken } = (await token.json()) as { id_token: string };
    const claims = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: provider.issuer, aud: client.clientId, sub: ada.sub, nonce: 'nonce-1', email: ada.email, email_verified: true });
  });

  it('hands out the next ID token broken in the way asked for', async () => {
    const client = await provider.registerClient({ redirectUris: [redirectUri] });
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const callback = new URL(await provider.signIn(await authorizationUrl(client.clientId, challenge), { login: ada.sub }));
    await provider.tamperNextIdToken('audience');

    const token = await fetch(`${provider.issuer}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'authorization_code', code: callback.searchParams.get('code') ?? '', redirect_uri: redirectUri, code_verifier: verifier, client_id: client.clientId, client_secret: client.clientSecret }),
    });

    const { id_token: idToken } = (await token.json()) as { id_token: string };
    const claims = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(claims.aud).toBe('someone-elses-client-id');
  });

  it('throws a typed error when used before it runs', () => {
    const error = new OidcProviderStateError('issuer', 'starting');

    expect(error.code).toBe('OIDC_PROVIDER_STATE');
    expect(error.message).toContain('starting');
  });
});

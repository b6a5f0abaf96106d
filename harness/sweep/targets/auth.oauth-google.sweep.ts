import { useMongo, useOidcProvider } from '../..';
import { createApp } from '../../../solutions/auth/oauth-google/src/app';
import { User } from '../../../solutions/auth/oauth-google/src/user.model';
import { sweep } from '../sweep';

useMongo();
const google = useOidcProvider({ accounts: [{ sub: 'ada-sub', email: 'ada@example.com', email_verified: true, name: 'Ada Lovelace' }] });

// The callback's hostile variants are refused at the state check, before any
// token exchange, so the registered redirect URI need not be the sweep's port.
sweep('auth/oauth-google', async (log) => {
  await User.init();
  const redirectUri = 'http://127.0.0.1:9/auth/google/callback';
  const { clientId, clientSecret } = await google.registerClient({ redirectUris: [redirectUri] });
  return {
    app: createApp({
      config: { oidc: { issuer: google.issuer, clientId, clientSecret, redirectUri, allowInsecureRequests: true }, sessionSecret: 'oauth-google-sweep-secret' },
      log,
    }),
  };
});
